"""conditions.holds (a condition compiled to a predicate, for the lean fixpoint) agrees with the
three-valued evaluate: true exactly when evaluate says True, on every rule of the real rule base
and of the chain fixture, for random scenarios (facts unknown too) and random concluded sets."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings

from advisor.conditions import All, Any_, Concl, Not, evaluate, facts_of, holds
from advisor.conditions import Test as FactTest  # not "Test": pytest would try to collect it
from strategies import scenarios_strategy

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _disagreements(rulebase, scenario, seed: int) -> list[str]:
    facts = facts_of(scenario)
    keys = sorted({k.key for c in rulebase.plan.rules for k in c.rule.conclusions})
    rnd = random.Random(seed)
    out = []
    for share in (0.0, 0.3, 0.7):
        concluded = {k for k in keys if rnd.random() < share}
        for c in rulebase.plan.rules:
            want = evaluate(c.rule.condition, facts, concluded) is True
            if holds(c.rule.condition)(facts, concluded) != want:
                out.append(f"{c.rule.id}: evaluate says {want}")
    return out


@SETTINGS
@given(scenarios_strategy(known_probability=0.6))
def test_holds_agrees_with_evaluate_on_the_real_rule_base(real_rulebase, s):
    assert _disagreements(real_rulebase, s, seed=len(s.values)) == []


@SETTINGS
@given(scenarios_strategy(known_probability=0.8))
def test_holds_agrees_with_evaluate_on_the_chain_fixture(chain_rulebase, s):
    assert _disagreements(chain_rulebase, s, seed=len(s.values)) == []


YES = FactTest("a", "a", frozenset({True}), (True, False), "a is yes")
C = Concl("mandate:substitution")
CASES = [  # (condition, facts, concluded, true?) where unknown must not pass for true
    (YES, {}, set(), False),
    (Not(YES), {}, set(), False),  # not(unknown) is unknown, not true
    (Not(YES), {"a": False}, set(), True),
    (Any_((YES, C)), {}, {"mandate:substitution"}, True),
    (All((YES, C)), {"a": True}, set(), False),
    (Not(All((YES, C))), {}, set(), True),  # the conclusion is absent: false, so the all is false
    (Not(Any_((YES, C))), {}, set(), False),
    (Not(Concl("mandate:substitution", positive=False)), {}, {"mandate:substitution"}, True),
    (All(()), {}, set(), True),
    (Any_(()), {}, set(), False),
]


@pytest.mark.parametrize("condition,facts,concluded,expected", CASES)
def test_holds_is_kleene_true(condition, facts, concluded, expected):
    assert holds(condition)(facts, concluded) is expected
    assert (evaluate(condition, facts, concluded) is True) is expected
