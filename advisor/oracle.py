"""The reference evaluator: the rule semantics in plain Python, kept small.

It reads the condition *trees* with three-valued logic (not the engine's DNF), runs
each stratum to a fixpoint, and serves as the test oracle for the durable-rules path.
Like the engine it records one firing per alternative that held, with what it matched.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .conditions import Conjunct, evaluate, facts_of
from .evaluation import Evaluation, Firing, Match, MatchKind
from .ruleset import RuleBase


def matches_of(conj: Conjunct, facts: Mapping[str, Any]) -> tuple[Match, ...]:
    """What an alternative matched, with the scenario's values (it held, so all are known)."""
    out = [Match(MatchKind.FACT, t.path, facts[t.leaf], t.text) for t in conj.tests]
    out += [Match(MatchKind.CONCLUDED, key) for key in conj.positive]
    out += [Match(MatchKind.ABSENT, key) for key in conj.negative]
    return tuple(out)


def evaluate_reference(rulebase: RuleBase, scenario) -> Evaluation:
    facts = facts_of(scenario)
    concluded: set[str] = set()
    firings: list[Firing] = []
    fired: set[str] = set()
    for stratum in range(rulebase.plan.strata):
        layer = [c for c in rulebase.plan.rules if c.stratum == stratum]
        before = set(concluded)
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
        firings += _alternatives(layer, fired, facts, concluded, before, stratum)
    return Evaluation(tuple(firings), frozenset(concluded))


def _alternatives(layer, fired, facts, concluded, before, stratum) -> list[Firing]:
    """The alternatives of a stratum's fired rules that hold, each after what it builds on.

    A stratum's conclusions are final at its fixpoint (positive reads are of this stratum or
    lower, negated reads of lower ones), so the alternatives that hold then are exactly those
    the engine fires; they are recorded in an order where every conclusion an alternative
    reads was drawn by an earlier firing, as the engine's forward chaining does.
    """
    pending = [
        (compiled, index, conj)
        for compiled in layer
        if compiled.rule.id in fired
        for index, conj in enumerate(compiled.conjuncts)
        if conj.holds(facts, concluded)
    ]
    drawn, out = set(before), []
    while pending:
        ready = [p for p in pending if p[2].holds(facts, drawn)] or pending  # `or`: never loop
        for compiled, index, conj in ready:
            out.append(Firing(compiled.rule.id, index, matches_of(conj, facts), compiled.rule.conclusions, stratum))
            drawn.update(c.key for c in compiled.rule.conclusions)
        # By (rule id, alternative): `p not in ready` compared whole compiled rules field by
        # field, quadratic in the firings and most of a reference run's time.
        done = {(compiled.rule.id, index) for compiled, index, _ in ready}
        pending = [p for p in pending if (p[0].rule.id, p[1]) not in done]
    return out
