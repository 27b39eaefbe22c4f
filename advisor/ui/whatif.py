"""What-if and why-not over the core, until the explanation layer (advisor.explain) lands.

Single changes are enumerated over each fact path's finite domain and run through the
real engine (`service.advise`); nothing here decides advice on its own.
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import product
from typing import Any, Callable

from .. import vocabulary as v
from ..advice import Advice
from ..conditions import Concl, Test, atoms, evaluate, facts_of
from ..ruleset import RuleBase
from ..scenario import Scenario
from ..service import advise

UNKNOWN = None


def summary(advice: Advice) -> dict[str, Any]:
    """What a planner reads first: the headline slots and the functions."""
    out = dict(advice.headline())
    out["functions"] = advice.values("function")
    return out


@dataclass(frozen=True)
class Change:
    path: str
    before: Any
    after: Any
    changed: dict      # key -> (before, after), only the headline keys that differ


def alternatives(scenario: Scenario, path: str) -> list[Any]:
    """Values a single change can give a fact path (None = make it unknown)."""
    p = v.PATHS[path]
    current = scenario.get(path)
    if p.field.kind == v.LIST:
        have = tuple(current or ())
        out = [] if current is not None else [()]
        for member in p.field.values:
            toggled = tuple(m for m in have if m != member) if member in have else have + (member,)
            out.append(toggled)
    else:
        out = [x for x in p.domain if x != current]
    if current is not None:
        out.append(UNKNOWN)
    return out


def single_changes(rulebase: RuleBase, scenario: Scenario, paths=None,
                   run: Callable = advise) -> list[Change]:
    """Every single fact change that alters the headline, in vocabulary order."""
    base = summary(run(rulebase, scenario))
    out = []
    for path in paths or v.PATHS:
        for value in alternatives(scenario, path):
            after = summary(run(rulebase, scenario.with_value(path, value)))
            diff = {k: (base[k], after[k]) for k in base if base[k] != after[k]}
            if diff:
                out.append(Change(path, scenario.get(path), value, diff))
    return out


@dataclass(frozen=True)
class Check:
    """One test of a rule's condition on the current scenario: True, False or None (unknown)."""

    text: str
    truth: bool | None
    path: str | None
    value: Any


@dataclass(frozen=True)
class RuleCheck:
    rule_id: str
    title: str
    fired: bool
    priority: int
    checks: tuple[Check, ...]
    beaten_by: str | None


def why_not(advice: Advice, slot: str, value: str) -> tuple[RuleCheck, ...]:
    """For each rule that could conclude slot=value: which of its tests hold, fail, are unknown."""
    rb = advice.rulebase
    facts = facts_of(advice.scenario)
    concluded = advice.evaluation.concluded
    fired = advice.evaluation.fired_ids()
    key = f"{slot}:{value}"
    out = []
    for compiled in rb.plan.rules:
        rule = compiled.rule
        if key not in {c.key for c in rule.conclusions}:
            continue
        checks, seen = [], set()
        for atom in atoms(rule.condition):
            text = atom.text
            if text in seen:
                continue
            seen.add(text)
            truth = evaluate(atom, facts, concluded)
            if isinstance(atom, Test):
                checks.append(Check(text, truth, atom.path, advice.scenario.get(atom.path)))
            elif isinstance(atom, Concl):
                checks.append(Check(text, truth, None, None))
        beaten = next((o.beaten_by for o in advice.overridden if o.rule_id == rule.id and o.value == value), None)
        out.append(RuleCheck(rule.id, rule.title, rule.id in fired, rule.priority, tuple(checks), beaten))
    return tuple(out)


def search(rulebase: RuleBase, scenario: Scenario, slot: str, value: str, max_changes: int = 2,
           run: Callable = advise) -> list[tuple[tuple[str, Any], ...]]:
    """Smallest sets of fact changes (1, then 2) that make slot=value the advice.

    Pairs are drawn only from facts the rules concluding that value read, to stay small.
    """
    def reaches(sc: Scenario) -> bool:
        a = run(rulebase, sc)
        return (a.values(slot) if not _single(slot) else (a.headline().get(slot),)).__contains__(value)

    found = []
    for path in v.PATHS:
        for alt in alternatives(scenario, path):
            if reaches(scenario.with_value(path, alt)):
                found.append(((path, alt),))
    if found or max_changes < 2:
        return found
    relevant = _facts_behind(rulebase, f"{slot}:{value}")
    for i, first in enumerate(relevant):
        for second in relevant[i + 1:]:
            for a, b in product(alternatives(scenario, first), alternatives(scenario, second)):
                changed = scenario.with_value(first, a).with_value(second, b)
                if reaches(changed):
                    found.append(((first, a), (second, b)))
            if len(found) >= 10:
                return found
    return found


def _facts_behind(rulebase: RuleBase, key: str) -> list[str]:
    """Fact paths read by the rules concluding `key`, following derived facts back."""
    paths: list[str] = []
    todo, seen = [key], set()
    while todo:
        wanted = todo.pop()
        if wanted in seen:
            continue
        seen.add(wanted)
        for rule in rulebase.rules:
            if wanted not in {c.key for c in rule.conclusions}:
                continue
            for atom in atoms(rule.condition):
                if isinstance(atom, Test) and atom.path not in paths:
                    paths.append(atom.path)
                elif isinstance(atom, Concl) and atom.positive:
                    todo.append(atom.key)
    return paths


def _single(slot: str) -> bool:
    from ..slots import SLOTS
    return SLOTS[slot].single
