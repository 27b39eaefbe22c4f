"""The reference evaluator: the rule semantics in plain Python, kept small.

It reads the condition *trees* with three-valued logic (not the engine's DNF), runs
each stratum to a fixpoint, and serves as the test oracle for the durable-rules path.
"""

from __future__ import annotations

from .conditions import evaluate, facts_of
from .evaluation import Evaluation, Firing
from .ruleset import RuleBase


def evaluate_reference(rulebase: RuleBase, scenario) -> Evaluation:
    facts = facts_of(scenario)
    concluded: set[str] = set()
    firings: list[Firing] = []
    fired: set[str] = set()
    for stratum in range(rulebase.plan.strata):
        layer = [c for c in rulebase.plan.rules if c.stratum == stratum]
        changed = True
        while changed:
            changed = False
            for compiled in layer:
                rule = compiled.rule
                if rule.id in fired or evaluate(rule.condition, facts, concluded) is not True:
                    continue
                fired.add(rule.id)
                changed = True
                concluded.update(c.key for c in rule.conclusions)
                firings.append(Firing(rule.id, None, (), tuple(c.key for c in rule.conclusions), stratum))
    return Evaluation(tuple(firings), frozenset(concluded))
