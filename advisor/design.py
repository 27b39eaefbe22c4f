"""From advice to a focused mission design: priorities, lines of effort and sizing.

Rules place concluded items with the design slots `core`, `supporting` and `optional`
and size the mission with `size`; this module only resolves what the rules concluded:

- an item's level is the one proposed by its highest-priority placing rule (a tie goes to
  the lower level, so contested grounds never make a line of effort); an item no rule
  places is `supporting`;
- every placement carries the facts that put it there, read from the firing itself;
- core tasks group into lines of effort under their objective, ranked, and a size caps
  how many lines are core in phase 1; the rest move to phase 2 as `supporting`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from . import vocabulary as v
from .conditions import LEAF_SEP, leaf_name
from .evaluation import Evaluation, Match, MatchKind
from .lifetimes import per_version
from .slots import LEVELS, PLACED_SLOTS, Conclusion

MAX_LINES = 7  # the design's ceiling when no sizing rule fired
MANDATE_RANK = ("substitution", "monitoring", "political", "strengthening")


@dataclass(frozen=True)
class Placement:
    """Where one concluded item stands in this mission, and why."""

    slot: str
    value: str
    level: str  # core | supporting | optional
    reason: tuple[str, ...]  # the facts that put it there, in the planner's words
    rules: tuple[str, ...]  # rules that placed it (empty: the rules that included it)
    phase: int = 1


@dataclass(frozen=True)
class LineOfEffort:
    objective: str
    tasks: tuple[str, ...]  # core task ids (phase 1), or the phased tasks (phase 2)
    partners: tuple[str, ...]  # advised partners that serve this line
    phase: int
    reason: tuple[str, ...]


@dataclass(frozen=True)
class Design:
    placements: Mapping[tuple[str, str], Placement]
    lines: tuple[LineOfEffort, ...]
    size: str | None
    max_core_lines: int
    size_reason: tuple[str, ...]
    size_rules: tuple[str, ...]

    def placement(self, slot: str, value: str) -> Placement | None:
        return self.placements.get((slot, value))

    def level(self, slot: str, value: str) -> str | None:
        found = self.placements.get((slot, value))
        return found.level if found else None

    def core(self, slot: str) -> tuple[str, ...]:
        return tuple(val for (s, val), p in self.placements.items() if s == slot and p.level == "core")


def _shown(value) -> str:
    from .explain.words import word  # the one value-to-words formatter

    return word(value)


def fact_phrase(match: Match) -> str | None:
    """One matched fact or conclusion as the planner would say it; None for bookkeeping."""
    if match.kind == MatchKind.FACT:
        name = match.name
        if name.startswith("host_capacity."):
            return f"{_shown(name.split('.', 1)[1])} capacity {_shown(match.value)}"
        path = v.PATHS.get(name)
        label = (path.field.label if path else name).lower()
        if path and path.field.kind == v.LIST:
            return None  # list members are phrased from their leaf below
        return (
            f"{label} {_shown(match.value)}"
            if path and path.field.kind == v.BOOL
            else f"{label}: {_shown(match.value)}"
        )
    if match.kind == MatchKind.CONCLUDED:
        slot, value = Conclusion.of_key(match.name).pair
        if slot in LEVELS or slot == "size":
            return None
        if slot == "derived":
            return _shown(value)
        return f"{_shown(value)} {'mandate' if slot == 'mandate' else slot.replace('_', ' ')}"
    return None


def _list_phrase(match: Match, leaf: str) -> str | None:
    path = v.PATHS.get(match.name)
    if not path or path.field.kind != v.LIST:
        return None
    member = leaf[len(leaf_name(match.name)) + len(LEAF_SEP) :]
    verb = "include" if match.value else "do not include"
    return f"{path.field.label.lower()} {verb} {_shown(member)}"


def _phrases(rulebase, evaluation: Evaluation, rule_id: str, with_conclusions: bool) -> tuple[str, ...]:
    """What a rule's first alternative that held matched, phrased (Evaluation.first_firing)."""
    firing = evaluation.first_firing(rule_id)
    if firing is None:
        return ()
    conj = rulebase.plan.by_id[rule_id].conjuncts[firing.disjunct]
    leaves = [t.leaf for t in conj.tests]
    out: list[str] = []
    for i, match in enumerate(firing.matched):
        if match.kind != MatchKind.FACT and not with_conclusions:
            continue
        phrase = (_list_phrase(match, leaves[i]) if match.kind == MatchKind.FACT else None) or fact_phrase(match)
        if phrase and phrase not in out:
            out.append(phrase)
    return tuple(out)


def reasons(rulebase, evaluation: Evaluation, rule_id: str) -> tuple[str, ...]:
    """The facts a rule's firing matched (and the conclusions it built on), phrased."""
    return _phrases(rulebase, evaluation, rule_id, with_conclusions=True)


def objective_of(knowledge, task_id: str) -> str | None:
    """The objective a task serves: its own `objective` key, else the first of its area and mandate."""
    entry = knowledge.get(task_id)
    if entry is None:
        return None
    if entry.extra.get("objective"):
        return entry.extra["objective"]
    area, mandate = entry.extra.get("area"), entry.extra.get("mandate")
    for obj in knowledge.ids("objectives"):
        e = knowledge.get(obj)
        if e.extra.get("mandate") == mandate and e.extra.get("area") == area:
            return obj
    return None


@per_version
def _objectives(rulebase) -> Mapping[str, str | None]:
    """The objective of every task of a version (objective_of), looked up once per design."""
    kn = rulebase.knowledge
    return {task: objective_of(kn, task) for task in kn.ids("tasks")}


def _level(found) -> tuple[str, tuple[str, ...]]:
    """An item's level from the level conclusions about it, (priority, level index, slot, rule)
    each: the deepest level proposed at the highest priority, and the rules that proposed it."""
    if len(found) == 1:  # most items: one placing rule (a fast path, the alterations call this often)
        return LEVELS[found[0][1]], (found[0][3],)
    top = max(p for p, *_ in found)
    level = LEVELS[max(i for p, i, *_ in found if p == top)]
    return level, tuple(sorted({r for p, _, s, r in found if p == top and s == level}))


def _cap(knowledge, size: str) -> int:
    """The most core lines of effort a mission of this size takes at once."""
    return min(MAX_LINES, int(knowledge.get(size).extra.get("max_core_lines", MAX_LINES)))


def _line_order(knowledge, objectives, core_tasks, core_objectives, capacity) -> dict[str, list[str]]:
    """The lines of effort, strongest first: each core task under its objective, and a core
    objective of a mandate as a line of its own; ordered by mandate (substitution first), then
    the host's capacity in the line's area (weakest first), then catalogue order."""
    by_objective: dict[str, list[str]] = {}
    for task in core_tasks:
        obj = objectives[task] if task in objectives else objective_of(knowledge, task)
        if obj:
            by_objective.setdefault(obj, []).append(task)
    for obj in core_objectives:
        entry = knowledge.get(obj)
        if entry is not None and entry.extra.get("mandate"):
            by_objective.setdefault(obj, [])
    order = {obj: i for i, obj in enumerate(knowledge.ids("objectives"))}

    def rank(obj: str):
        e = knowledge.get(obj)
        mandate = e.extra.get("mandate", "")
        level = capacity.get(e.extra.get("area") or "")
        return (
            MANDATE_RANK.index(mandate) if mandate in MANDATE_RANK else len(MANDATE_RANK),
            v.CAPACITY.index(level) if level in v.CAPACITY else len(v.CAPACITY),
            order.get(obj, 0),
        )

    return {obj: by_objective[obj] for obj in sorted(by_objective, key=rank)}


@per_version
def _design_keys(rulebase) -> Mapping[str, tuple[tuple, tuple, tuple]]:
    """Per rule, what headline_and_core reads of its conclusions, split once per version:
    (one-value slot, value) pairs, (task or objective, value) pairs, and (value, level proposal)
    pairs; the alterations call it for dozens of fired sets per scenario."""
    from .slots import HEADLINE

    out = {}
    for c in rulebase.plan.rules:
        rule = c.rule
        pairs = [k.pair for k in rule.conclusions]
        out[rule.id] = (
            tuple((slot, val) for slot, val in pairs if slot in HEADLINE or slot == "size"),
            tuple((slot, val) for slot, val in pairs if slot in ("task", "objective")),
            tuple((val, (rule.priority, LEVELS.index(slot), slot, rule.id)) for slot, val in pairs if slot in LEVELS),
        )
    return out


def headline_and_core(rulebase, fired, capacity) -> tuple[dict[str, str | None], frozenset]:
    """The headline and the core lines of effort (their objectives) of the advice these fired
    rules give, without building the advice and the design: what advisor/alterations.py compares
    for each of dozens of variants. The same resolution as advice.build_advice (one-value slots by
    priority, a tie leaves the slot empty) and build_design (levels, size, line order); the
    alterations' brute-force test checks it against building both. Each fired rule's conclusions
    are read from the per-version split (_design_keys)."""
    from .advice import _order, _tables, resolve_one
    from .slots import HEADLINE

    kn = rulebase.knowledge
    ranks, priority = _tables(rulebase)
    split = _design_keys(rulebase)
    single: dict[str, dict[str, list[str]]] = {slot: {} for slot in HEADLINE + ("size",)}
    concluded: dict[str, set[str]] = {"task": set(), "objective": set()}
    proposals: dict[str, list[tuple[int, int, str, str]]] = {}
    for rule_id in fired:
        singles, items, levels = split[rule_id]
        for slot, value in singles:
            single[slot].setdefault(value, []).append(rule_id)
        for slot, value in items:
            concluded[slot].add(value)
        for value, proposal in levels:
            proposals.setdefault(value, []).append(proposal)

    def winner(slot: str) -> str | None:
        if not single[slot]:
            return None
        won = resolve_one(single[slot], priority.__getitem__)[0]
        return won[0] if len(won) == 1 else None

    def core(slot: str) -> list[str]:  # in the advice's item order, as build_design sees them
        placed = [v for v in concluded[slot] if v in proposals and _level(proposals[v])[0] == "core"]
        return _order(ranks[slot], placed)  # filtered first: the order of the core ones is the same

    size = winner("size")
    cap = _cap(kn, size) if size is not None else MAX_LINES
    lines = _line_order(kn, _objectives(rulebase), core("task"), core("objective"), capacity)
    return {slot: winner(slot) for slot in HEADLINE}, frozenset(list(lines)[:cap])


def build_design(advice, with_reasons: bool = True) -> Design:
    """The design of one advice; `with_reasons=False` skips phrasing the reasons (the levels,
    lines and phases are the same), for the many variants advisor/alterations.py compares."""
    rb = advice.rulebase
    kn = rb.knowledge
    objectives = _objectives(rb)

    def why(rule_ids) -> tuple[str, ...]:
        if not with_reasons:
            return ()
        out: list[str] = []
        for rule_id in rule_ids:
            for phrase in reasons(rb, advice.evaluation, rule_id):
                if phrase not in out:
                    out.append(phrase)
        return tuple(out)

    proposals: dict[str, list[tuple[int, int, str, str]]] = {}
    for f in advice.evaluation.firings:
        for slot, value in (c.pair for c in f.conclusions):
            if slot in LEVELS:
                proposals.setdefault(value, []).append(
                    (rb.rule(f.rule_id).priority, LEVELS.index(slot), slot, f.rule_id)
                )
    placements: dict[tuple[str, str], Placement] = {}
    for slot in PLACED_SLOTS:
        for item in advice.items.get(slot, ()):
            found = proposals.get(item.value)
            if not found:
                placements[(slot, item.value)] = Placement(slot, item.value, "supporting", why(item.because[:1]), ())
                continue
            level, rules = _level(found)
            placements[(slot, item.value)] = Placement(slot, item.value, level, why(rules), rules)

    size_item = advice.one("size")
    size = size_item.value if size_item else None
    cap = MAX_LINES
    size_rules: tuple[str, ...] = ()
    if size_item is not None:
        cap = _cap(kn, size_item.value)
        size_rules = size_item.because
    size_reason = why(size_rules)

    capacity = {area: advice.scenario.get(f"host_capacity.{area}") for area in v.AREAS}
    by_objective = _line_order(
        kn,
        objectives,
        [val for (s, val), p in placements.items() if s == "task" and p.level == "core"],
        [val for (s, val), p in placements.items() if s == "objective" and p.level == "core"],
        capacity,
    )

    partners = advice.values("partner")
    lines: list[LineOfEffort] = []
    for i, obj in enumerate(by_objective):
        e = kn.get(obj)
        tags = {e.extra.get("area"), e.extra.get("mandate")} - {None, ""}
        serving = tuple(p for p in partners if tags & set((kn.get(p).extra.get("serves") or []) if kn.get(p) else []))
        phase = 1 if i < cap else 2
        tasks = tuple(sorted(by_objective[obj], key=lambda t: kn.ids("tasks").index(t)))
        own = placements.get(("objective", obj))
        line_reason = why(dict.fromkeys(r for t in tasks for r in placements[("task", t)].rules)) or (
            own.reason if own else ()
        )
        lines.append(LineOfEffort(obj, tasks, serving, phase, line_reason))
        if phase == 2:
            phased = ("phased: " + "; ".join(size_reason or (f"at most {MAX_LINES} lines of effort at once",)),)
            for t in tasks:
                p = placements[("task", t)]
                placements[("task", t)] = Placement(
                    p.slot, p.value, "supporting", phased + p.reason, tuple(dict.fromkeys(p.rules + size_rules)), 2
                )
            if own is not None:
                placements[("objective", obj)] = Placement(
                    own.slot,
                    own.value,
                    "supporting",
                    phased + own.reason,
                    tuple(dict.fromkeys(own.rules + size_rules)),
                    2,
                )
        elif own is not None and own.level != "core":
            placements[("objective", obj)] = Placement(own.slot, own.value, "core", line_reason, own.rules)
    return Design(placements, tuple(lines), size, cap, size_reason, size_rules)


def fact_grounds(advice, rule_ids, depth: int = 6) -> tuple[str, ...]:
    """The scenario facts under some firings, following derived conclusions down to facts.

    'executive powers needed' is not a reason a planner can check; 'interim administration
    yes; host border authority: absent' is.
    """
    rb = advice.rulebase
    evaluation = advice.evaluation
    firings = evaluation.firings
    out: list[str] = []
    seen: set[str] = set()

    def walk(rule_id: str, left: int) -> None:
        if rule_id in seen or left == 0:
            return
        seen.add(rule_id)
        first = evaluation.first_firing(rule_id)
        if first is None:
            return
        for phrase in _phrases(rb, evaluation, rule_id, with_conclusions=False):
            if phrase not in out:
                out.append(phrase)
        for key in (m.name for m in first.matched if m.kind == MatchKind.CONCLUDED):
            for f in firings:
                if key in f.concluded:
                    walk(f.rule_id, left - 1)

    for rule_id in rule_ids:
        walk(rule_id, depth)
    return tuple(out)


@dataclass(frozen=True)
class ConsentNote:
    """An executive mandate kept although the host refused consent (§6.2, §5.4)."""

    mandate: str
    rests_on: tuple[str, ...]  # the facts that held under the mandate, in words
    assumption: str

    def words(self) -> str:
        return f"{self.mandate} mandate WITHOUT host consent: it rests on {'; '.join(self.rests_on)}; {self.assumption}"


CONSENT_ASSUMPTION = (
    "it assumes an international legal basis for executive powers, such as a UN Security "
    "Council mandate or an interim administration that itself needs them (§6.2); without one "
    "there is no mission (§5.4)"
)


def consent_note(advice) -> ConsentNote | None:
    """Set when the mandate is executive (substitution) while host consent is known to be refused."""
    item = advice.one("mandate")
    if item is None or advice.scenario.get("host_consent") is not False:
        return None
    if item.value != "substitution" and "substitution" not in advice.values("function"):
        return None
    rests_on = tuple(p for p in fact_grounds(advice, item.because) if "consent" not in p)
    return ConsentNote(item.value, rests_on or ("no scenario fact",), CONSENT_ASSUMPTION)


def design_json(advice, design: Design) -> dict:
    from .alterations import alterations

    kn = advice.rulebase.knowledge
    note = consent_note(advice)
    return {
        "size": {
            "id": design.size,
            "title": kn.title(design.size) if design.size else None,
            "max_core_lines": design.max_core_lines,
            "reason": list(design.size_reason),
            "because": list(design.size_rules),
        },
        "lines_of_effort": [
            {
                "objective": line.objective,
                "title": kn.title(line.objective),
                "phase": line.phase,
                "tasks": [{"id": t, "title": kn.title(t)} for t in line.tasks],
                "partners": list(line.partners),
                "reason": list(line.reason),
            }
            for line in design.lines
        ],
        "counts": {
            slot: {
                level: sum(1 for (s, _), p in design.placements.items() if s == slot and p.level == level)
                for level in LEVELS
            }
            for slot in PLACED_SLOTS
        },
        # The one or two single changes of a known fact that would alter the design (advisor/alterations.py).
        "alterations": [a.to_json(kn) for a in alterations(advice)],
        "consent_note": None
        if note is None
        else {
            "mandate": note.mandate,
            "rests_on": list(note.rests_on),
            "assumption": note.assumption,
            "text": note.words(),
        },
    }
