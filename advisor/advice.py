"""From an evaluation to advice: resolve slots, keep the reasons, render the contract JSON."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property
from typing import Any

from . import vocabulary as v
from .conditions import Test, atoms, evaluate, facts_of
from .evaluation import Evaluation, Firing
from .lifetimes import per_version
from .ruleset import RuleBase
from .slots import HEADLINE, SLOTS, Conclusion


@dataclass(frozen=True)
class Item:
    """One concluded value of a slot and the rules that concluded it."""

    slot: str
    value: str
    because: tuple[str, ...]
    sections: tuple[str, ...]
    # One-value slots: lower-priority rules that fired for the same value. A default that
    # also agrees is not a reason, so it stays out of `because` but is not hidden.
    also_supported_by: tuple[str, ...] = ()


@dataclass(frozen=True)
class Conflict:
    slot: str
    values: tuple[str, ...]
    rules: tuple[str, ...]
    priority: int


@dataclass(frozen=True)
class Overridden:
    slot: str
    value: str
    rule_id: str
    priority: int
    beaten_by: str


class Status(StrEnum):
    """Where one conclusion (slot, value) stands in an advice: Advice.status_of says which."""

    CONCLUDED = "concluded"
    CONFLICT = "conflict"  # tied with another value of a one-value slot
    OVERRIDDEN = "overridden"  # proposed, beaten by a stronger rule
    NO_RULE = "no rule"  # no rule of the rule base concludes it
    NOT_CONCLUDED = "not concluded"


@dataclass(frozen=True)
class Advice:
    scenario: Any  # the Scenario advised on
    rulebase: RuleBase
    items: dict[str, tuple[Item, ...]]  # slot -> concluded items (one-value slots: the winner only)
    conflicts: tuple[Conflict, ...]
    overridden: tuple[Overridden, ...]
    evaluation: Evaluation
    unknown_that_mattered: tuple[str, ...]

    def one(self, slot: str) -> Item | None:
        found = self.items.get(slot, ())
        return found[0] if found else None

    def values(self, slot: str) -> tuple[str, ...]:
        return tuple(i.value for i in self.items.get(slot, ()))

    @property
    def mandate(self) -> str | None:
        item = self.one("mandate")
        return item.value if item else None

    def headline(self) -> dict[str, str | None]:
        return {slot: (item.value if (item := self.one(slot)) else None) for slot in HEADLINE}

    def item(self, slot: str, value: str) -> Item | None:
        return next((i for i in self.items.get(slot, ()) if i.value == value), None)

    def status_of(self, slot: str, value: str) -> Status:
        if self.item(slot, value) is not None:
            return Status.CONCLUDED
        if any(c.slot == slot and value in c.values for c in self.conflicts):
            return Status.CONFLICT
        if any(o.slot == slot and o.value == value for o in self.overridden):
            return Status.OVERRIDDEN
        if not self.rulebase.plan.producers.get(Conclusion(slot, value).key):
            return Status.NO_RULE
        return Status.NOT_CONCLUDED

    def to_json(self) -> dict:
        return to_json(self)

    @cached_property
    def unknowns(self):
        """Decisive unknown facts and headline settledness (advisor/unknowns.py), on demand."""
        from .unknowns import analyse

        return analyse(self)

    @cached_property
    def design(self):
        """The focused mission design (advisor/design.py), resolved once per advice."""
        from .design import build_design

        return build_design(self)


def _sections(rulebase: RuleBase, rule_ids, value: str | None = None) -> tuple[str, ...]:
    """Sections behind a conclusion: of each rule, those the concluded entry itself rests on.

    A rule citing §6.1 D and §7 for a task and a field presence grounds the task on §6.1 D
    only; a rule sharing no section with the entry keeps all of its own.
    """
    entry = rulebase.knowledge.get(value) if value else None
    own = set(entry.sections) if entry is not None else set()
    out: list[str] = []
    for rule_id in rule_ids:
        cited = rulebase.rule(rule_id).sections
        for s in [s for s in cited if s in own] or cited:
            if s not in out:
                out.append(s)
    return tuple(out)


@per_version
def _tables(rulebase: RuleBase) -> tuple[Mapping[str, Mapping[str, int]], Mapping[str, int]]:
    """Per slot the rank of each value (its catalogue order), and per rule its priority: looked up
    once per build, as the alterations build advice for dozens of variants of one scenario."""
    ranks = {slot: {val: i for i, val in enumerate(spec.ids(rulebase.knowledge))} for slot, spec in SLOTS.items()}
    return ranks, {c.rule.id: c.rule.priority for c in rulebase.plan.rules}


def _order(rank: Mapping[str, int], values) -> list[str]:
    return sorted(values, key=lambda val: (rank.get(val, len(rank)), val))


@per_version
def _checks(rulebase: RuleBase) -> tuple:
    """Per rule: its conclusion keys, condition and (leaf, path) of each fact test; once per version."""
    return tuple(
        (
            frozenset(c.key for c in compiled.rule.conclusions),
            compiled.rule.condition,
            tuple(dict.fromkeys((a.leaf, a.path) for a in atoms(compiled.rule.condition) if isinstance(a, Test))),
        )
        for compiled in rulebase.plan.rules
    )


def unknown_that_mattered(rulebase: RuleBase, scenario, concluded) -> tuple[str, ...]:
    """Unknown facts read by a rule that did not fire but could have, adding something new.

    Three-valued evaluation says "unknown" exactly when the unknown facts decide. A rule
    whose facts are all known, or whose unknown facts are already listed, cannot add one.
    """
    facts = facts_of(scenario)
    found: set[str] = set()
    for keys, condition, tests in _checks(rulebase):
        missing = {path for leaf, path in tests if facts.get(leaf) is None}
        if not missing or missing <= found or keys <= concluded:
            continue
        if evaluate(condition, facts, concluded) is None:
            found |= missing
    order = {p: i for i, p in enumerate(v.PATHS)}
    return tuple(sorted(found, key=lambda p: order.get(p, len(order))))


def resolve_one(candidates: dict[str, list[str]], priority) -> tuple[list[str], int]:
    """The values of a one-value slot proposed at the highest priority, and that priority.

    One value: it wins. Several: a conflict. `priority` maps a rule id to its priority.
    """
    best = {val: max(priority(r) for r in rules) for val, rules in candidates.items()}
    top = max(best.values())
    return [val for val, p in best.items() if p == top], top


def build_advice(rulebase: RuleBase, scenario, evaluation: Evaluation, full: bool = True) -> Advice:
    """The advice of one evaluation. `full=False` leaves out what only a reader of this advice
    needs, the sections behind each item and `unknown_that_mattered`: for the many variants
    advisor/alterations.py compares on headline and design only."""

    def sections(rule_ids, value: str | None = None) -> tuple[str, ...]:
        return _sections(rulebase, rule_ids, value) if full else ()

    ranks, priority = _tables(rulebase)

    by_value: dict[str, dict[str, list[str]]] = {}
    for f in evaluation.firings:
        for slot, value in (c.pair for c in f.conclusions):
            rules = by_value.setdefault(slot, {}).setdefault(value, [])
            if f.rule_id not in rules:
                rules.append(f.rule_id)
    # A canonical order (strongest rule first, then id) keeps advice independent of firing order.
    for found in by_value.values():
        for rules in found.values():
            rules.sort(key=lambda r: (-priority[r], r))
    items: dict[str, tuple[Item, ...]] = {}
    conflicts: list[Conflict] = []
    overridden: list[Overridden] = []
    for slot, spec in SLOTS.items():
        found = by_value.get(slot, {})
        if not found:
            items[slot] = ()
            continue
        if not spec.single:
            items[slot] = tuple(
                Item(slot, val, tuple(found[val]), sections(found[val], val)) for val in _order(ranks[slot], found)
            )
            continue
        winners, top = resolve_one(found, priority.__getitem__)
        winners = _order(ranks[slot], winners)
        if len(winners) > 1:
            tied = tuple(r for val in winners for r in found[val] if priority[r] == top)
            conflicts.append(Conflict(slot, tuple(winners), tied, top))
            items[slot] = ()
            continue
        winner = winners[0]
        decisive = tuple(r for r in found[winner] if priority[r] == top)
        champion = decisive[0]
        items[slot] = (
            Item(
                slot,
                winner,
                decisive,
                sections(decisive),
                tuple(r for r in found[winner] if r not in decisive),
            ),
        )
        for val, rules in found.items():
            if val != winner:
                overridden += [Overridden(slot, val, r, priority[r], champion) for r in rules]
    unknown = unknown_that_mattered(rulebase, scenario, evaluation.concluded) if full else ()
    overridden.sort(key=lambda o: (o.slot, o.value, o.rule_id))
    return Advice(scenario, rulebase, items, tuple(conflicts), tuple(overridden), evaluation, unknown)


def _entry(advice: Advice, item: Item) -> dict:
    kn = advice.rulebase.knowledge
    out = {
        "id": item.value,
        "title": kn.title(item.value),
        "because": list(item.because),
        "sections": list(item.sections),
    }
    placed = advice.design.placement(item.slot, item.value)
    if placed is not None:
        out |= {
            "priority": placed.level,
            "reason": "; ".join(placed.reason),
            "priority_because": list(placed.rules),
            "phase": placed.phase,
        }
    entry = kn.get(item.value)
    if entry is not None:
        for key in ("area", "mandate", "role", "severity"):
            if key in entry.extra:
                out[key] = entry.extra[key]
    return out


def _firing_json(advice: Advice, f: Firing) -> dict:
    rule = advice.rulebase.rule(f.rule_id)
    return {
        "rule": f.rule_id,
        "title": rule.title,
        "alternative": f.disjunct,
        "matched": [{"kind": m.kind, "name": m.name, "value": m.value, "test": m.test} for m in f.matched],
        "concluded": list(f.concluded),
        "priority": rule.priority,
        "sections": list(rule.sections),
        "file": rule.location,
    }


def to_json(advice: Advice) -> dict:
    """The contract §3 object, plus the richer keys the contract welcomes."""
    from .design import design_json

    rb = advice.rulebase

    def single(slot: str, key: str) -> dict[str, Any]:
        item = advice.one(slot)
        out: dict[str, Any] = {
            key: item.value if item else None,
            "because": list(item.because) if item else [],
            "sections": list(item.sections) if item else [],
        }
        if item and item.also_supported_by:
            out["also_supported_by"] = list(item.also_supported_by)
        conflict = next((c for c in advice.conflicts if c.slot == slot), None)
        if conflict:
            out["conflict"] = {
                "values": list(conflict.values),
                "rules": list(conflict.rules),
                "priority": conflict.priority,
            }
        return out

    mandate = single("mandate", "type")
    mandate["functions"] = list(advice.values("function")) if advice.mandate != "none" else []
    mandate["partial_substitution"] = "partial_substitution" in advice.values("mandate_option")
    partial = advice.item("mandate_option", "partial_substitution")
    if partial is not None:
        mandate["partial_substitution_because"] = list(partial.because)
    return {
        "scenario": advice.scenario.name,
        "ruleset": {"name": rb.name, "version": rb.version, "sha256": rb.sha256},
        "mandate": mandate,
        "structure": single("structure", "type"),
        "hq": single("hq", "location"),
        "partners": [_entry(advice, i) | {"id": i.value} for i in advice.items.get("partner", ())],
        "unknown_facts_that_mattered": list(advice.unknowns.mattered),
        "settledness": {
            s.slot: {"verdict": s.verdict, "could_change": list(s.could_change), "exhaustive": s.exhaustive}
            for s in advice.unknowns.settledness
        },
        "objectives": [_entry(advice, i) for i in advice.items.get("objective", ())],
        "tasks": [_entry(advice, i) for i in advice.items.get("task", ())],
        "structure_elements": [_entry(advice, i) for i in advice.items.get("structure_element", ())],
        "expertise": [_entry(advice, i) for i in advice.items.get("expertise", ())],
        "planning_steps": [_entry(advice, i) for i in advice.items.get("planning_step", ())],
        "warnings": [_entry(advice, i) for i in advice.items.get("warning", ())],
        "design": design_json(advice, advice.design),
        "derived": [{"name": i.value, "because": list(i.because)} for i in advice.items.get("derived", ())],
        "conflicts": [
            {"slot": c.slot, "values": list(c.values), "rules": list(c.rules), "priority": c.priority}
            for c in advice.conflicts
        ],
        "overridden": [
            {"slot": o.slot, "value": o.value, "rule": o.rule_id, "priority": o.priority, "beaten_by": o.beaten_by}
            for o in advice.overridden
        ],
        "trace": [_firing_json(advice, f) for f in advice.evaluation.firings],
    }
