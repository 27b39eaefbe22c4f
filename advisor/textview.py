"""Readable text for advice: the mission design at a glance, the rest folded.

The glance is what a committee acts on: mandate (how settled, and on what assumption when
consent is refused), lines of effort with their core tasks and partners, structure and HQ,
top risks, the unknowns that mattered and the one or two changes that would alter the
design. Supporting and optional items are only counted there; `full=True` (`advisor
recommend --full`) lists each with its priority and reason, and the rule chains behind any
item are in `advisor explain`.
"""

from __future__ import annotations

from .advice import Advice, Item
from .alterations import alterations
from .design import consent_note
from .explain.words import fact_label
from .slots import LEVELS, PLACED_SLOTS, SLOTS

SEVERITY = ("high", "medium", "low")


def _severity(knowledge, warning: str) -> str | None:
    entry = knowledge.get(warning)
    return entry.extra.get("severity") if entry else None


def _sections(advice: Advice, sections) -> str:
    kn = advice.rulebase.knowledge
    return ", ".join(kn.section_labels(sections))


def _because(advice: Advice, item: Item, indent: str = "    ") -> list[str]:
    lines = []
    for rule_id in item.because:
        rule = advice.rulebase.rule(rule_id)
        lines.append(f"{indent}because [{rule_id}] {rule.title} ({_sections(advice, item.sections or rule.sections)})")
    return lines


def mandate_summary(advice: Advice) -> str:
    """'substitution (functions: strengthening, substitution; partial substitution)': one place for it."""
    item = advice.one("mandate")
    if item is None:
        return "no conclusion"
    if item.value == "none":
        return "none"
    extra = f"functions: {', '.join(advice.values('function')) or '-'}"
    if "partial_substitution" in advice.values("mandate_option"):
        extra += "; partial substitution"
    return f"{item.value} ({extra})"


def _headline(advice: Advice) -> list[str]:
    out = []
    labels = {"mandate": "Mandate", "structure": "Structure", "hq": "HQ location"}
    for slot, label in labels.items():
        item = advice.one(slot)
        conflict = next((c for c in advice.conflicts if c.slot == slot), None)
        if conflict:
            out.append(
                f"{label}: CONFLICT between {', '.join(conflict.values)} "
                f"(rules {', '.join(conflict.rules)} at priority {conflict.priority})"
            )
            continue
        if item is None:
            out.append(f"{label}: no conclusion")
            continue
        out.append(f"{label}: {mandate_summary(advice) if slot == 'mandate' else item.value}")
        out.extend(_because(advice, item))
        settled = advice.unknowns.of(slot)
        if settled is not None:
            words = settled.words()  # why: it starts with its verdict ("settled: ..."); no label before it
            out.append(f"    {words[0].upper()}{words[1:]}")
        note = consent_note(advice) if slot == "mandate" else None
        if note is not None:
            out.append(f"    NOTE: {note.words()}")
    return out


def _design(advice: Advice) -> list[str]:
    kn = advice.rulebase.knowledge
    design = advice.design
    out = []
    phase1 = [line for line in design.lines if line.phase == 1]
    phase2 = [line for line in design.lines if line.phase == 2]
    if design.size:
        out.append(
            f"Size: {kn.title(design.size)}, at most {design.max_core_lines} core lines of effort "
            f"({'; '.join(design.size_reason)})"
        )
    if not design.lines:
        out.append("Lines of effort: none (no item is core for this scenario)")
    for n, line in enumerate(phase1, 1):
        out.append(f"{n}. {kn.title(line.objective)}")
        for task in line.tasks:
            out.append(f"     - {kn.title(task)}")
        if line.partners:
            out.append(f"     partners: {', '.join(kn.title(p) for p in line.partners)}")
        if line.reason:
            out.append(f"     why: {'; '.join(line.reason)}")
    if phase2:
        out.append(
            f"Phase 2 (after the first {design.max_core_lines} lines take hold): "
            + "; ".join(kn.title(line.objective) for line in phase2)
        )
    for slot in ("expertise", "planning_step"):
        core = design.core(slot)
        if core:
            out.append(f"Core {SLOTS[slot].label.lower()}: " + "; ".join(kn.title(x) for x in core))
    return out


def _risks(advice: Advice) -> list[str]:
    kn = advice.rulebase.knowledge
    warnings = sorted(
        advice.items.get("warning", ()),
        key=lambda i: SEVERITY.index(_severity(kn, i.value)) if _severity(kn, i.value) in SEVERITY else len(SEVERITY),
    )
    return [f"  - {kn.title(i.value)}" for i in warnings[:3]]


def _changes(advice: Advice) -> list[str]:
    found = alterations(advice)
    if not found:
        return [
            (
                "What would change the design: no single change of a known fact alters "
                "the mandate, structure, HQ or the lines of effort"
            )
        ]
    kn = advice.rulebase.knowledge
    return ["What would change the design (single changes of the known facts):"] + [
        f"  - {a.change_words()}: {a.effect_words(kn)}" for a in found
    ]


def _folded(advice: Advice) -> list[str]:
    """What the glance leaves out, counted: the planner knows it is there and where to look."""
    counts = []
    for slot in PLACED_SLOTS:
        levels = [advice.design.level(slot, i.value) for i in advice.items.get(slot, ())]
        parts = [f"{levels.count(level)} {level}" for level in LEVELS[1:] if levels.count(level)]
        if parts:
            counts.append(f"{SLOTS[slot].label.lower()} {', '.join(parts)}")
    more = len(advice.items.get("warning", ())) - len(_risks(advice))
    if more > 0:
        counts.append(f"{more} more warning{'s' if more > 1 else ''}")
    elements = len(advice.items.get("structure_element", ()))
    if elements:
        counts.append(f"{elements} structure and HQ guidance item{'s' if elements > 1 else ''}")
    if not counts:
        return []
    return [
        "",
        "Also concluded, not shown: " + "; ".join(counts) + ".",
        "  advisor recommend --full lists each with its priority and reason; advisor explain shows the rules.",
    ]


def render_text(advice: Advice, full: bool = False) -> str:
    rb = advice.rulebase
    kn = rb.knowledge
    out = [f"Advice for: {advice.scenario.name}", f"Rule base: {rb.name} {rb.version} (sha256 {rb.sha256[:16]})", ""]
    out += _headline(advice)
    out += ["", "MISSION DESIGN"] + _design(advice)
    partners = advice.items.get("partner", ())
    if partners:
        out += ["", "Key partners: " + ", ".join(kn.title(p.value) for p in partners)]
    risks = _risks(advice)
    if risks:
        out += ["", "Top risks:"] + risks
    out += [
        "",
        "Unknown facts that mattered: " + (", ".join(fact_label(p) for p in advice.unknowns.mattered) or "none"),
    ]
    out += _changes(advice)
    if not full:
        out += _folded(advice)
        return "\n".join(out) + "\n"
    # The rest, in full: one line per item with its priority and reason.
    out += ["", "THE REST OF THE DESIGN (priority: reason)"]
    for slot in ("objective", "task", "expertise", "planning_step"):
        items = [i for i in advice.items.get(slot, ()) if advice.design.level(slot, i.value) != "core"]
        if not items:
            continue
        out.append(f"{SLOTS[slot].label}:")
        for level in LEVELS[1:]:
            for item in items:
                placed = advice.design.placement(slot, item.value)
                if placed.level == level:
                    out.append(
                        f"  - [{level}] {kn.title(item.value)} ({_sections(advice, item.sections)})"
                        + (f": {'; '.join(placed.reason)}" if placed.reason else "")
                    )
    warnings = advice.items.get("warning", ())
    if warnings:
        out.append("Warnings:")
        out += [f"  - {kn.title(i.value)} ({_sections(advice, i.sections)})" for i in warnings]
    for slot in ("partner", "structure_element"):
        listed = advice.items.get(slot, ())
        if listed:
            out.append(f"{SLOTS[slot].label}:")
            for item in listed:
                out.append(f"  - {kn.title(item.value)} [{item.value}]")
                out.extend(_because(advice, item, "      "))
    if advice.overridden:
        out += ["", "Overridden by priority:"]
        out += [
            f"  - {o.slot} {o.value} [{o.rule_id}, priority {o.priority}] beaten by [{o.beaten_by}]"
            for o in advice.overridden
        ]
    return "\n".join(out) + "\n"
