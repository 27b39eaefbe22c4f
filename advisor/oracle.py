"""The reference evaluator: the rule semantics in plain Python, kept small.

It reads the condition *trees* with three-valued logic (not the engine's DNF), runs
each stratum to a fixpoint, and serves as the test oracle for the durable-rules path.
Like the engine it records one firing per alternative that held, with what it matched.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .conditions import Conjunct, evaluate, facts_of
from .evaluation import Evaluation, Firing, Match
from .ruleset import RuleBase


def matches_of(conj: Conjunct, facts: Mapping[str, Any]) -> tuple[Match, ...]:
    """What an alternative matched, with the scenario's values (it held, so all are known)."""
    out = [Match("fact", t.path, facts[t.leaf], t.text) for t in conj.tests]
    out += [Match("concluded", key) for key in conj.positive]
    out += [Match("absent", key) for key in conj.negative]
    return tuple(out)


def evaluate_reference(rulebase: RuleBase, scenario) -> Evaluation:
    facts = facts_of(scenario)
    concluded: set[str] = set()
    firings: list[Firing] = []
    fired: set[str] = set()
    for stratum in range(rulebase.plan.strata):
        layer = [c for c in rulebase.plan.rules if c.stratum == stratum]
        order = []
        changed = True
        while changed:
            changed = False
            for compiled in layer:
                rule = compiled.rule
                if rule.id in fired or evaluate(rule.condition, facts, concluded) is not True:
                    continue
                fired.add(rule.id)
                order.append(compiled)
                changed = True
                concluded.update(c.key for c in rule.conclusions)
        # A stratum's conclusions are final once its fixpoint is reached (positive reads are
        # of this stratum or lower, negated reads of lower ones), so the alternatives that
        # hold now are exactly those the engine fires.
        for compiled in order:
            keys = tuple(c.key for c in compiled.rule.conclusions)
            for index, conj in enumerate(compiled.conjuncts):
                if conj.holds(facts, concluded):
                    firings.append(Firing(compiled.rule.id, index, matches_of(conj, facts), keys, stratum))
    return Evaluation(tuple(firings), frozenset(concluded))
