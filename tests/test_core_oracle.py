"""The durable-rules path against the reference evaluator, over random scenarios."""

from __future__ import annotations

import dataclasses
import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor import scenario as scenarios
from advisor.compile import make_plan
from advisor.service import advise
from strategies import scenario_data, scenarios_strategy

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _firings(advice) -> list:
    """Every alternative that held with what it matched; the engine's order is its own."""
    return sorted(
        ((f.rule_id, f.disjunct, f.stratum, f.concluded, f.matched) for f in advice.evaluation.firings),
        key=repr,
    )


def _comparable(advice) -> dict:
    out = advice.to_json()
    out.pop("trace")  # the same firings (compared by _firings), in each evaluator's own order
    return out


@SETTINGS
@given(scenarios_strategy())
def test_engine_and_oracle_agree_on_the_real_rule_base(real_rulebase, s):
    durable = advise(real_rulebase, s)
    reference = advise(real_rulebase, s, engine="reference")
    assert durable.evaluation.concluded == reference.evaluation.concluded
    assert durable.evaluation.fired_ids() == reference.evaluation.fired_ids()
    assert _firings(durable) == _firings(reference)
    assert _comparable(durable) == _comparable(reference)


@SETTINGS
@given(scenarios_strategy(known_probability=0.9))
def test_engine_and_oracle_agree_on_the_chain_fixture(chain_rulebase, s):
    durable, reference = advise(chain_rulebase, s), advise(chain_rulebase, s, "reference")
    assert durable.evaluation.concluded == reference.evaluation.concluded
    assert _firings(durable) == _firings(reference)


def _shuffled(rulebase, seed: int):
    rules = list(rulebase.rules)
    random.Random(seed).shuffle(rules)
    problems = []
    plan = make_plan(tuple(rules), problems)
    assert not [p for p in problems if p.severity == "error"]
    # A different hash compiles a separate engine for the permuted rule order.
    return dataclasses.replace(rulebase, rules=tuple(rules), plan=plan, sha256=f"{rulebase.sha256}-shuffled-{seed}")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(scenario_data(), st.integers(0, 3), st.randoms(use_true_random=False))
def test_advice_does_not_depend_on_rule_or_fact_order(real_rulebase, data, seed, rnd):
    items = list(data.items())
    rnd.shuffle(items)
    s = scenarios.from_mapping(dict(data))
    t = scenarios.from_mapping(dict(items))
    base = _comparable(advise(real_rulebase, s))
    shuffled = _comparable(advise(_shuffled(real_rulebase, seed), t))
    assert shuffled.pop("ruleset")["sha256"] != base.pop("ruleset")["sha256"]
    assert shuffled == base
