"""Decisive unknowns and settledness against brute force on the real rule base.

Fixtures are archetypes with two or three facts removed: small enough to enumerate every
completion, so the verdicts can be checked exactly.
"""

from __future__ import annotations

import itertools

import pytest

from advisor import scenario as scenarios
from advisor.service import advise
from advisor.slots import HEADLINE
from advisor.unknowns import evaluate, values_of
from support import ROOT

CASES = [
    ("kosovo_interim_partial_substitution", ("interim_administration", "scope")),
    ("airport_security_single_crossing_point", ("scope", "host_structure", "absorption_capacity")),
    ("ceasefire_line_monitoring", ("disputed_border", "host_consent")),
    ("no_host_consent", ("interim_administration",)),
]


def _without(name, paths):
    s = scenarios.load(ROOT / "examples" / f"{name}.yaml")
    for p in paths:
        s = s.with_value(p, None)
    return s


@pytest.mark.parametrize("name,removed", CASES, ids=[c[0] for c in CASES])
def test_every_listed_unknown_changes_some_conclusion_and_no_other_does(name, removed, real_rulebase):
    s = _without(name, removed)
    advice = advise(real_rulebase, s, engine="reference")
    base = evaluate(real_rulebase, s).concluded
    for path in s.unknown_paths():
        changes = any(evaluate(real_rulebase, s.with_value(path, val)).concluded != base for val in values_of(path))
        assert changes == (path in advice.unknowns.mattered), path


@pytest.mark.parametrize("name,removed", CASES, ids=[c[0] for c in CASES])
def test_settledness_agrees_with_every_completion(name, removed, real_rulebase):
    s = _without(name, removed)
    advice = advise(real_rulebase, s, engine="reference")
    head = evaluate(real_rulebase, s).headline
    moved = {slot: False for slot in HEADLINE}
    paths = advice.unknowns.mattered  # shown exact by the test above
    if not all(advice.unknowns.of(slot).exhaustive for slot in HEADLINE):
        pytest.skip("too many completions to enumerate")
    for combo in itertools.product(*(values_of(p) for p in paths)):
        variant = s
        for p, val in zip(paths, combo):
            variant = variant.with_value(p, val)
        other = evaluate(real_rulebase, variant).headline
        for slot in HEADLINE:
            moved[slot] |= other[slot] != head[slot]
    for slot in HEADLINE:
        verdict = advice.unknowns.of(slot)
        if verdict.verdict != "default":
            assert (verdict.verdict == "open") == moved[slot], (slot, verdict)


def test_with_everything_unknown_the_headline_is_not_settled(real_rulebase):
    advice = advise(real_rulebase, scenarios.load(ROOT / "examples" / "nothing_known.yaml"), engine="reference")
    assert all(advice.unknowns.of(slot).verdict != "settled" for slot in HEADLINE)


def test_skipping_values_that_fire_nothing_new_changes_no_answer(real_rulebase):
    """`decisive` skips values under which no rule testing the fact newly fires; brute force
    tries every value of every unknown fact, on partial random scenarios."""
    from advisor.sample import random_scenarios
    from advisor.unknowns import decisive

    for s in random_scenarios(25, seed=11, known=0.5):
        base = evaluate(real_rulebase, s).concluded
        brute = {
            path
            for path in s.unknown_paths()
            if any(evaluate(real_rulebase, s.with_value(path, val)).concluded != base for val in values_of(path))
        }
        assert set(decisive(real_rulebase, s)) == brute, s.name


def test_the_lean_evaluation_equals_the_reference_one(real_rulebase):
    """The analysis evaluates its variants with the lean fixpoint, re-running only the rules in
    reach of the unknown facts it fills in; on partial random scenarios and every value of every
    unknown fact, and one completion of all of them, it must give what the reference gives."""
    import random

    from advisor.conditions import facts_of
    from advisor.fixpoint import graph_of
    from advisor.sample import random_scenarios
    from advisor.unknowns import _evaluate_with_firings, _filled, _lean, _leaves

    graph = graph_of(real_rulebase)
    rnd = random.Random(5)
    tried = 0
    for s in random_scenarios(20, seed=21, known=0.4):
        _, fired = _evaluate_with_firings(real_rulebase, s)
        facts = facts_of(s)
        unknown = list(s.unknown_paths())
        for path in unknown:
            for val in values_of(path):
                variant = s.with_value(path, val)
                got = _lean(real_rulebase, graph, facts | facts_of(variant), fired, graph.reach(_leaves((path,))))
                assert got == evaluate(real_rulebase, variant), (s.name, path, val)
                tried += 1
        variant, pairs = s, [(path, rnd.choice(values_of(path))) for path in unknown]
        for path, val in pairs:
            variant = variant.with_value(path, val)
        assert _filled(facts, pairs) == facts | facts_of(variant), s.name
        got = _lean(real_rulebase, graph, _filled(facts, pairs), fired, graph.reach(_leaves(unknown)))
        assert got == evaluate(real_rulebase, variant), s.name
    assert tried > 100
