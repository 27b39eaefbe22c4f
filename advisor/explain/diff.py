"""Scenario diff: the facts that differ, the conclusions that differ, and the rules behind each.

For every conclusion present in some scenarios and not in others, each scenario's side is
accounted for: where present, the rules that concluded it and the input facts under its
derivation; where absent, every rule that could have concluded it with the conditions
that failed (or the priority it lost on). `decisive` lists the differing facts involved.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import vocabulary as v
from ..advice import Advice, Status
from ..conditions import facts_of
from ..evaluation import MatchKind
from ..ruleset import RuleBase
from ..scenario import Scenario
from ..service import advise
from ..slots import SLOTS, Conclusion
from .checks import RuleCheck, check_rule
from .jsonish import plain
from .targets import Target
from .why import explain_why
from .words import conclusion_title, rule_name


@dataclass(frozen=True)
class FactDiff:
    path: str
    values: tuple  # one per scenario (None: unknown)

    def to_json(self) -> dict:
        return {"path": self.path, "values": plain(self.values)}


@dataclass(frozen=True)
class Side:
    """One scenario's side of a differing conclusion."""

    scenario: str
    present: bool
    status: Status  # concluded, overridden, conflict or not concluded
    rules: tuple[str, ...]  # concluding rules (present) or rules that could have (absent)
    checks: tuple[RuleCheck, ...]  # absent: each candidate rule checked
    beaten_by: tuple[str, ...]  # overridden: the winning rules
    facts: tuple[str, ...]  # input facts involved on this side
    decisive: tuple[str, ...]  # of those, the ones that differ between the scenarios
    # Rules that fired and concluded this value but lost on priority: taken from the
    # evaluation's overridden list, never from which rules could have concluded it.
    proposed: tuple[str, ...] = ()

    def to_json(self) -> dict:
        return {
            "scenario": self.scenario,
            "present": self.present,
            "status": self.status,
            "rules": list(self.rules),
            "beaten_by": list(self.beaten_by),
            "facts": list(self.facts),
            "proposed": list(self.proposed),
            "decisive": list(self.decisive),
            "checks": [
                {
                    "rule": c.rule_id,
                    "status": c.status,
                    "failed": [a.to_json() for a in c.failed],
                    "unknown": [a.to_json() for a in c.unknown],
                }
                for c in self.checks
            ],
        }


@dataclass(frozen=True)
class ConclusionDiff:
    slot: str
    value: str
    sides: tuple[Side, ...]
    title: str = ""  # the conclusion in the planner's words (knowledge title)

    @property
    def rules(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(r for s in self.sides for r in s.rules + s.beaten_by))

    def to_json(self) -> dict:
        return {
            "slot": self.slot,
            "value": self.value,
            "title": self.title,
            "rules": list(self.rules),
            "sides": [s.to_json() for s in self.sides],
        }


@dataclass(frozen=True)
class Comparison:
    scenarios: tuple[str, ...]
    ruleset: str
    facts: tuple[FactDiff, ...]
    conclusions: tuple[ConclusionDiff, ...]
    # every rule the comparison names, as a planner names it: title and sections
    rule_names: tuple[tuple[str, str], ...] = ()

    def rule_name(self, rule_id: str) -> str:
        return dict(self.rule_names).get(rule_id, rule_id)

    def to_json(self) -> dict:
        return {
            "kind": "compare",
            "scenarios": list(self.scenarios),
            "ruleset": self.ruleset,
            "facts": [f.to_json() for f in self.facts],
            "conclusions": [c.to_json() for c in self.conclusions],
            "rule_names": dict(self.rule_names),
        }


def items_of(advice: Advice) -> set[tuple[str, str]]:
    return {(slot, i.value) for slot, found in advice.items.items() for i in found}


def _side(advice: Advice, name: str, slot: str, value: str, differing: set[str]) -> Side:
    target = Target(slot, value)
    item = advice.item(slot, value)
    if item is not None:
        facts = tuple(
            dict.fromkeys(p for n in explain_why(advice, (target,)).entries[0].because for p in n.input_facts())
        )
        return Side(
            name, True, Status.CONCLUDED, item.because, (), (), facts, tuple(p for p in facts if p in differing)
        )
    rb = advice.rulebase
    scenario_facts = facts_of(advice.scenario)
    checks = tuple(
        check_rule(rb, rid, advice.scenario, scenario_facts, advice.evaluation)
        for rid in rb.plan.producers.get(target.key, ())
    )
    lost = tuple(o for o in advice.overridden if o.slot == slot and o.value == value)
    beaten = tuple(dict.fromkeys(o.beaten_by for o in lost))
    proposed = tuple(dict.fromkeys(o.rule_id for o in lost))
    status = advice.status_of(slot, value)
    if status == Status.NO_RULE:
        status = Status.NOT_CONCLUDED  # a comparison does not tell the two apart
    facts = _blocking_facts(advice, checks, scenario_facts, frozenset({target.key}))
    if beaten:
        winners = (
            explain_why(advice, (Target(slot, advice.values(slot)[0]),)).entries[0].because
            if advice.values(slot)
            else ()
        )
        facts += tuple(p for n in winners for p in n.input_facts() if p not in facts)
    return Side(
        name,
        False,
        status,
        tuple(c.rule_id for c in checks),
        checks,
        beaten,
        facts,
        tuple(p for p in facts if p in differing),
        proposed,
    )


def _blocking_facts(advice: Advice, checks, scenario_facts, seen: frozenset) -> tuple[str, ...]:
    """Input facts behind the conditions that kept a conclusion out, followed through
    derived facts: a missing one back to its producers' conditions, a present one that
    had to be absent down to its own derivation."""
    out: dict[str, None] = {}
    for check in checks:
        for atom in check.failed + check.unknown:
            if atom.kind == MatchKind.FACT:
                out[atom.name] = None
            elif atom.name in seen:
                continue
            elif atom.kind == MatchKind.CONCLUDED:
                deeper = tuple(
                    check_rule(advice.rulebase, rid, advice.scenario, scenario_facts, advice.evaluation)
                    for rid in advice.rulebase.plan.producers.get(atom.name, ())
                )
                out.update(dict.fromkeys(_blocking_facts(advice, deeper, scenario_facts, seen | {atom.name})))
            else:
                named = Conclusion.of_key(atom.name)
                for node in explain_why(advice, (Target(named.slot, named.value),)).entries[0].because:
                    out.update(dict.fromkeys(node.input_facts()))
    return tuple(out)


def compare(rulebase: RuleBase, scenarios: tuple[Scenario, ...], engine: str = "durable") -> Comparison:
    """Compare two or more scenarios: every differing conclusion accounted for by rules."""
    advices = tuple(advise(rulebase, s, engine=engine) for s in scenarios)
    facts = tuple(
        FactDiff(p, vals) for p in v.PATHS for vals in [tuple(s.get(p) for s in scenarios)] if len(set(vals)) > 1
    )
    differing = {f.path for f in facts}
    all_items = [items_of(a) for a in advices]
    union = set().union(*all_items)
    common = set.intersection(*all_items) if all_items else set()
    slot_order = {s: i for i, s in enumerate(SLOTS)}
    names = _names(scenarios)
    kn = rulebase.knowledge
    diffs = tuple(
        ConclusionDiff(
            slot,
            value,
            tuple(_side(a, n, slot, value, differing) for a, n in zip(advices, names)),
            conclusion_title(Conclusion(slot, value).key, kn),
        )
        for slot, value in sorted(union - common, key=lambda k: (slot_order.get(k[0], 99), k[1]))
    )
    named = dict.fromkeys(
        r
        for d in diffs
        for s in d.sides
        for r in s.rules + s.beaten_by + s.proposed + tuple(c.rule_id for c in s.checks)
    )
    rule_names = tuple(
        (r, rule_name(rulebase.rule(r).title, kn.section_labels(rulebase.rule(r).sections))) for r in named
    )
    return Comparison(names, rulebase.label, facts, diffs, rule_names)


def _names(scenarios) -> tuple[str, ...]:
    """Scenario names, made distinct (#2, #3 ...) so each side can be told apart."""
    names = [s.name for s in scenarios]
    return tuple(n if names.count(n) == 1 else f"{n} #{i}" for i, n in enumerate(names, 1))
