"""`every_alteration` skips work (changes that flip no fact test, one rebuild per firing set,
the fired rules without the firings' record);
on random scenarios it must still find exactly what evaluating every change finds.

The brute force here is the algorithm before the skips: every single change of every known
fact through the reference evaluator and a full rebuild of advice and design, no shortcut.
"""

from __future__ import annotations

import pytest

from advisor.advice import build_advice
from advisor.alterations import changes_of, core_lines, every_alteration
from advisor.conditions import facts_of
from advisor.fixpoint import changed_leaves, fired_rules, graph_of
from advisor.oracle import evaluate_reference
from advisor.sample import random_scenarios
from advisor.service import advise

# 200 scenarios with few, most and all facts known (fewer known facts: more unknown
# three-valued tests; all known: the longest lists of changes).
SCENARIOS = [
    s
    for known, seed, n in ((0.5, 11, 67), (0.8, 12, 67), (1.0, 13, 66))
    for s in random_scenarios(n, seed=seed, known=known)
]


def _brute(rb, scenario):
    def outcome(s):
        there = build_advice(rb, s, evaluate_reference(rb, s))
        return there.headline(), core_lines(there)

    head, lines = outcome(scenario)
    out = {}
    for path, value in scenario.paths():
        for other in changes_of(path, value):
            there_head, new = outcome(scenario.with_value(path, other))
            moved = tuple((slot, head[slot], b) for slot, b in there_head.items() if b != head[slot])
            if moved or new != lines:
                key = (path, tuple(other) if isinstance(other, (list, tuple)) else other)
                out[key] = (moved, tuple(sorted(new - lines)), tuple(sorted(lines - new)))
    return out


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name + f"-{i}" for i, s in enumerate(SCENARIOS)])
def test_alterations_equal_every_change_evaluated(scenario, real_rulebase):
    advice = advise(real_rulebase, scenario, engine="reference")
    got = {
        (a.path, tuple(a.after) if isinstance(a.after, (list, tuple)) else a.after): (
            a.headline,
            a.lines_added,
            a.lines_removed,
        )
        for a in every_alteration(advice)
    }
    assert got == _brute(real_rulebase, scenario)


def test_random_scenarios_do_alter_the_design(real_rulebase):
    """Guard against a vacuous comparison: most of these scenarios have changes that matter."""
    altered = sum(bool(every_alteration(advise(real_rulebase, s, engine="reference"))) for s in SCENARIOS)
    assert altered >= len(SCENARIOS) // 2


@pytest.mark.parametrize("scenario", SCENARIOS[::10], ids=[s.name + f"-{i}" for i, s in enumerate(SCENARIOS[::10])])
def test_shortcuts_equal_the_scenario_and_the_reference_run(scenario, real_rulebase):
    """The shortcuts every_alteration takes per change: the changed facts without building the
    changed scenario, the fired rules without recording the firings, and only the rules in
    reach of the change evaluated again."""
    facts, graph = facts_of(scenario), graph_of(real_rulebase)
    fired = fired_rules(graph, facts)
    assert fired == evaluate_reference(real_rulebase, scenario).fired_ids()
    for path, value in scenario.paths():
        for other in changes_of(path, value):
            variant = scenario.with_value(path, other)
            leaves = changed_leaves(path, other)
            changed = {**facts, **leaves}
            assert changed == facts_of(variant), (path, other)
            reference = evaluate_reference(real_rulebase, variant).fired_ids()
            assert fired_rules(graph, changed) == reference, (path, other)
            reach = graph.reach(leaf for leaf, x in leaves.items() if facts.get(leaf) != x)
            assert fired_rules(graph, changed, fired, reach) == reference, (path, other)


def test_design_feeders_are_closed_under_what_they_read(real_rulebase):
    """every_alteration evaluates only the rules behind headline and core lines again: every
    rule whose conclusion such a rule reads must be among them, or a change could be missed."""
    from advisor.conditions import Concl, atoms
    from advisor.fixpoint import DESIGN_SLOTS

    graph = graph_of(real_rulebase)
    concluding: dict[str, set[str]] = {}
    for compiled in real_rulebase.plan.rules:
        for c in compiled.rule.conclusions:
            concluding.setdefault(c.key, set()).add(compiled.rule.id)
    for compiled in real_rulebase.plan.rules:
        rule = compiled.rule
        assert (rule.id in graph.design_rules) == any(c.slot in DESIGN_SLOTS for c in rule.conclusions)
        if rule.id in graph.design_feeders:
            for atom in atoms(rule.condition):
                if isinstance(atom, Concl):
                    assert concluding.get(atom.key, set()) <= graph.design_feeders, (rule.id, atom.key)
    assert graph.design_rules <= graph.design_feeders
    # Not vacuous: rules that only name partners, warnings and the like are left out.
    assert len(graph.design_feeders) < len(graph.keys_of)
