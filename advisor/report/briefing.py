"""The briefing: everything a reader without the tool needs, as one data object.

Renderers (Markdown, DOCX, PDF) only lay this out; none of them looks at rules or
advice again, so the three formats always say the same thing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from .. import vocabulary as v
from ..advice import Advice, Item
from ..alterations import alterations
from ..design import consent_note
from ..explain import Target, explain_why
from ..explain.why import WhyNode
from ..explain.words import conclusion_title, word
from ..slots import SLOTS


def show(value: object) -> str:
    """A fact value in plain words (explain/words.word); a mapping as "key: value; ..."."""
    if isinstance(value, dict):
        return "; ".join(f"{word(k)}: {word(x)}" for k, x in value.items())
    return word(value)


def path_label(path: str) -> str:
    if "." in path:
        name, area = path.split(".", 1)
        return f"{v.FIELDS_BY_NAME[name].label}: {show(area)}"
    field = v.FIELDS_BY_NAME.get(path)
    return field.label if field and field.label else show(path)


@dataclass(frozen=True)
class Line:
    """One row of a table: what, its value, and the sections or reason next to it."""

    label: str
    value: str
    note: str = ""


@dataclass(frozen=True)
class Entry:
    """One concluded item with its reasons."""

    id: str
    title: str
    summary: str
    detail: str  # role, severity or area, when the catalogue has one
    sections: tuple[str, ...]
    because: tuple[str, ...]  # rule ids


@dataclass(frozen=True)
class Group:
    title: str
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class RuleNote:
    """A cited rule for the appendix: its title, reason, sections and the facts it matched."""

    id: str
    title: str
    rationale: str
    sections: tuple[str, ...]
    facts: tuple[Line, ...]
    depends_on: tuple[str, ...]
    needs_absent: tuple[str, ...]  # conclusions that had to be absent, in words


@dataclass(frozen=True)
class Briefing:
    title: str
    scenario_name: str
    marking: str
    date: str
    ruleset: Line  # label: name, value: version, note: sha256
    headline: tuple[Line, ...]  # label, value, one-line reason with sections
    scenario: tuple[Line, ...]  # known facts: label, value, section of the concept
    unknown_mattered: tuple[Line, ...]
    unknown_other: tuple[str, ...]
    groups: tuple[Group, ...]
    conflicts: tuple[str, ...]
    rules: tuple[RuleNote, ...]


def _sections(advice: Advice, ids) -> tuple[str, ...]:
    return advice.rulebase.knowledge.section_labels(ids)


def _entry(advice: Advice, item: Item) -> Entry:
    kn = advice.rulebase.knowledge
    e = kn.get(item.value)
    extra = e.extra if e else {}
    detail = ""
    if "role" in extra:
        detail = str(extra["role"])
    elif "severity" in extra:
        detail = f"severity: {extra['severity']}"
    summary = e.summary if e else ""
    return Entry(item.value, kn.title(item.value), summary, detail, _sections(advice, item.sections), item.because)


def _reason_line(advice: Advice, item: Item | None) -> str:
    if item is None:
        return ""
    rb = advice.rulebase
    main = max(item.because, key=lambda r: rb.rule(r).priority)
    rule = rb.rule(main)
    return f"{rule.title} ({', '.join(_sections(advice, rule.sections))}; rule {main})"


def _headline(advice: Advice) -> tuple[Line, ...]:
    out = []
    for slot in ("mandate", "structure", "hq"):
        item = advice.one(slot)
        conflict = next((c for c in advice.conflicts if c.slot == slot), None)
        if conflict:
            value = "undecided: conflict between " + " and ".join(show(x) for x in conflict.values)
            out.append(Line(SLOTS[slot].label, value, "rules " + ", ".join(conflict.rules)))
            continue
        value = show(item.value) if item else "no conclusion"
        if slot == "mandate" and item and item.value != "none":
            functions = advice.values("function")
            if functions:
                value += f" (functions: {show(functions)})"
            if "partial_substitution" in advice.values("mandate_option"):
                value += ", partial substitution"
        out.append(Line(SLOTS[slot].label, value, _reason_line(advice, item)))
        consent = consent_note(advice) if slot == "mandate" else None
        if consent is not None:
            out.append(Line("Host consent", "refused: executive mandate kept", consent.words()))
    return tuple(out) + _settled(advice) + _glance(advice)


def _settled(advice: Advice) -> tuple[Line, ...]:
    """One row for how settled the headline is: slots sharing a verdict are said once."""
    by_words: dict[str, list[str]] = {}
    for slot in ("mandate", "structure", "hq"):
        verdict = advice.unknowns.of(slot)
        if verdict is not None and advice.one(slot) is not None:
            by_words.setdefault(verdict.words(), []).append(SLOTS[slot].label)
    if not by_words:
        return ()
    return (
        Line(
            "How settled",
            "; ".join(f"{', '.join(slots)}: {words.split(':', 1)[0]}" for words, slots in by_words.items()),
            "; ".join(words for words in by_words),
        ),
    )


def _glance(advice: Advice) -> tuple[Line, ...]:
    """The rest of the design at a glance, as headline rows so that every renderer puts it on
    the first page: lines of effort, top risks, the changes that would alter the design."""
    kn = advice.rulebase.knowledge
    design = advice.design
    out = []
    phase1 = [line for line in design.lines if line.phase == 1]
    if phase1:
        size = f"{kn.title(design.size)}: {'; '.join(design.size_reason)}" if design.size else ""
        out.append(
            Line(
                "Lines of effort",
                "; ".join(f"{n}. {kn.title(line.objective)}" for n, line in enumerate(phase1, 1)),
                size,
            )
        )
    risks = _top_warnings(advice)[:3]
    if risks:
        out.append(
            Line(
                "Top risks",
                "; ".join(kn.title(i.value) for i in risks),
                ", ".join(dict.fromkeys(s for i in risks for s in _sections(advice, i.sections))),
            )
        )
    for a in alterations(advice):
        out.append(Line("Would change the design", a.change_words(), a.effect_words(kn, most=0)))
    return tuple(out)


def _top_warnings(advice: Advice) -> list[Item]:
    kn = advice.rulebase.knowledge

    def severity(item: Item) -> str:
        entry = kn.get(item.value)
        return str(entry.extra.get("severity")) if entry else ""

    return sorted(advice.items.get("warning", ()), key=lambda i: {"high": 0, "medium": 1}.get(severity(i), 2))


def _lines(advice: Advice) -> Group | None:
    """The lines of effort, each with its core tasks, partners and the facts behind it."""
    kn = advice.rulebase.knowledge
    design = advice.design
    entries = []
    phase2 = [line for line in design.lines if line.phase == 2]
    for n, line in enumerate((line for line in design.lines if line.phase == 1), 1):
        parts = ["Core tasks: " + "; ".join(kn.title(t) for t in line.tasks) + "." if line.tasks else ""]
        # Partners per line are in the text and the app; here the Partners section names each once
        # with its role, to keep the main body within 4 pages.
        if line.reason:
            parts.append("Why: " + "; ".join(line.reason) + ".")
        e = kn.get(line.objective)
        detail = "phase 1" if line.phase == 1 else f"phase 2 (beyond the {design.max_core_lines} core lines)"
        entries.append(
            Entry(
                line.objective,
                f"{n}. {kn.title(line.objective)}",
                " ".join(p for p in parts if p),
                detail,
                _sections(advice, e.sections if e else ()),
                tuple(dict.fromkeys(r for t in line.tasks for r in design.placement("task", t).rules)),
            )
        )
    if phase2:  # named only: their tasks are supporting until the core lines take hold (annex)
        entries.append(
            Entry(
                "phase-2",
                f"Phase 2 (beyond the {design.max_core_lines} core lines)",
                "; ".join(kn.title(line.objective) for line in phase2) + ".",
                "",
                (),
                tuple(design.size_rules),
            )
        )
    if not entries:
        return None
    size = (
        f" ({kn.title(design.size)}, at most {design.max_core_lines} core lines: {'; '.join(design.size_reason)})"
        if design.size
        else ""
    )
    return Group("Lines of effort" + size, tuple(entries))


def _folded(advice: Advice, slots, title: str) -> Group | None:
    """Items that are not core, one short entry each: the priority and its reason, no catalogue text."""
    kn = advice.rulebase.knowledge
    entries = []
    for slot in slots:
        for item in advice.items.get(slot, ()):
            placed = advice.design.placement(slot, item.value)
            if placed is None or placed.level == "core":
                continue
            entries.append(
                Entry(
                    item.value,
                    kn.title(item.value),
                    "; ".join(placed.reason),
                    placed.level,
                    _sections(advice, item.sections),
                    placed.rules or item.because,
                )
            )
    entries.sort(key=lambda e: e.detail != "supporting")
    return Group(title, tuple(entries)) if entries else None


def _groups(advice: Advice) -> tuple[Group, ...]:
    """Main body first (design, partners), then the folded rest and the warnings in annexes."""
    design = advice.design
    groups: list[Group | None] = [_lines(advice)]
    # The main body names things; the catalogue's descriptions of them are for the annexes,
    # which keeps the main body within 4 A4 pages.
    core = [(slot, v_) for slot in ("expertise", "planning_step") for v_ in design.core(slot)]
    if core:
        groups.append(
            Group(
                "Core expertise and planning steps",
                tuple(
                    replace(_entry(advice, item), summary="")
                    for slot, val in core
                    if (item := advice.item(slot, val)) is not None  # a core value is a concluded item
                ),
            )
        )
    warnings = _top_warnings(advice)
    partners = advice.items.get("partner", ())
    if partners:
        groups.append(Group("Partners", tuple(replace(_entry(advice, i), summary="") for i in partners)))
    groups.append(_folded(advice, ("objective", "task"), "Annex: supporting and optional objectives and tasks"))
    groups.append(
        _folded(advice, ("expertise", "planning_step"), "Annex: supporting and optional expertise and planning")
    )
    if warnings:
        groups.append(Group("Annex: warnings, the top risks first", tuple(_entry(advice, i) for i in warnings)))
    elements = advice.items.get("structure_element", ())
    if elements:
        groups.append(Group("Annex: structure and HQ guidance", tuple(_entry(advice, i) for i in elements)))
    return tuple(g for g in groups if g is not None)


def walk(nodes, depth: int = 0):
    """(depth, node) pairs of why-trees (advisor.explain), depth first: a flat view for
    renderers. A node reached through several conclusions it supports appears under each."""
    for node in nodes:
        yield depth, node
        for _, children in node.supports:
            yield from walk(children, depth + 1)


def _rules(advice: Advice) -> tuple[RuleNote, ...]:
    """Every rule under the why-tree of some concluded item, once, in firing order."""
    targets = tuple(
        Target(slot, item.value) for slot, items in advice.items.items() if slot != "derived" for item in items
    )
    notes: dict[str, RuleNote] = {}
    for entry in explain_why(advice, targets).entries:
        for _, node in walk(entry.because):
            notes.setdefault(node.rule_id, _note(node))
    order = {f.rule_id: i for i, f in reversed(tuple(enumerate(advice.evaluation.firings)))}
    return tuple(sorted(notes.values(), key=lambda n: order.get(n.id, 0)))


def _note(node: WhyNode) -> RuleNote:
    facts = tuple(Line(path_label(f.path), show(f.value), f.words) for f in node.facts)
    absent = tuple(conclusion_title(k) for k in node.absent)
    depends = tuple(dict.fromkeys(child.rule_id for _, children in node.supports for child in children))
    return RuleNote(node.rule_id, node.title, node.rationale, node.section_labels, facts, depends, absent)


def _scenario_lines(advice: Advice) -> tuple[Line, ...]:
    """Known facts, one row each; the facts known to be absent (no, none) share one last row,
    which keeps the main body of the briefing within 4 pages without dropping any fact."""
    out, absent, sections = [], [], []
    for f in v.FIELDS:
        if f.name == "name" or f.name not in advice.scenario.values:
            continue
        value = advice.scenario.values[f.name]
        if value is False or value == "none" or (f.kind == v.LIST and not value):
            absent.append(f.label or show(f.name))
            sections += [s.strip() for s in f.section.split(",") if s.strip() and s.strip() not in sections]
            continue
        out.append(Line(f.label or show(f.name), show(dict(value) if f.kind == v.MAPPING else value), f.section))
    if absent:
        out.append(Line("No / none", "; ".join(absent), ", ".join(sections)))
    return tuple(out)


def build_briefing(
    advice: Advice, marking: str = "", date: dt.date | str | None = None, title: str = "Mission design briefing"
) -> Briefing:
    rb = advice.rulebase
    date = date or dt.date.today()
    mattered = tuple(Line(path_label(p), p, v.PATHS[p].field.section) for p in advice.unknowns.mattered)
    other = tuple(path_label(p) for p in advice.scenario.unknown_paths() if p not in advice.unknowns.mattered)
    conflicts = tuple(
        f"{SLOTS[c.slot].label}: {' vs '.join(c.values)} (rules {', '.join(c.rules)}, priority {c.priority})"
        for c in advice.conflicts
    )
    return Briefing(
        title,
        advice.scenario.name,
        marking.strip(),
        str(date),
        Line(rb.name, rb.version, rb.sha256),
        _headline(advice),
        _scenario_lines(advice),
        mattered,
        other,
        _groups(advice),
        conflicts,
        _rules(advice),
    )
