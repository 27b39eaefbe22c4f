"""What is missing (checked against brute force) and scenario diff (every difference accounted for)."""

from __future__ import annotations

from itertools import combinations
from pathlib import Path

import pytest

from advisor import vocabulary as v
from advisor.explain.diff import compare, items_of
from advisor.explain.missing import missing_facts
from advisor.ruleset import load_rulebase
from advisor.scenario import load
from advisor.service import advise

HERE = Path(__file__).resolve().parent / "fixtures" / "explain"
SCENARIOS = sorted((HERE / "scenarios").glob("*.yaml"))


@pytest.fixture(scope="module")
def rb():
    return load_rulebase(HERE / "rulebase" / "rules", HERE / "rulebase" / "knowledge")


def outcome(advice):
    return (
        {(s, i.value) for s, items in advice.items.items() if s != "derived" for i in items},
        {**advice.headline(), "partners": advice.values("partner")},
    )


def values_for_unknown(name):
    path = v.PATHS[name]
    if path.field.kind == v.LIST:
        return [(m,) for m in path.field.values] + [()]
    return list(path.domain)


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_missing_facts_are_exactly_the_unknowns_that_change_something(rb, path):
    scenario = load(path)
    report = missing_facts(rb, scenario)
    base_items, base_head = outcome(advise(rb, scenario))
    expected = {}
    for name in v.PATHS:
        if scenario.known(name):
            continue
        best, heads = 0, set()
        for value in values_for_unknown(name):
            items, head = outcome(advise(rb, scenario.with_value(name, value)))
            best = max(best, len(items ^ base_items))
            heads |= {s for s in head if head[s] != base_head[s]}
        if best or heads:
            expected[name] = (best, heads)
    got = {f.path: (f.max_changes, set(f.headline_slots)) for f in report.facts}
    assert got == expected
    assert set(report.no_effect) == {p for p in v.PATHS if not scenario.known(p)} - set(expected)
    keys = [(-len(f.headline_slots), -f.max_changes) for f in report.facts]
    assert keys == sorted(keys), "ranked by headline slots, then by how many conclusions change"


def test_the_most_consequential_unknown_comes_first(rb):
    report = missing_facts(rb, load(HERE / "scenarios" / "empty.yaml"))
    top = report.facts[0]
    assert "mandate" in top.headline_slots
    assert report.facts[-1].max_changes <= top.max_changes


PAIRS = list(combinations(SCENARIOS, 2))


@pytest.mark.parametrize("a,b", PAIRS, ids=lambda p: p.stem)
def test_diff_accounts_for_every_differing_conclusion(rb, a, b):
    sa, sb = load(a), load(b)
    report = compare(rb, (sa, sb))
    ia, ib = items_of(advise(rb, sa)), items_of(advise(rb, sb))
    assert {(c.slot, c.value) for c in report.conclusions} == ia ^ ib
    assert {f.path for f in report.facts} == {p for p in v.PATHS if sa.get(p) != sb.get(p)}
    for diff in report.conclusions:
        assert diff.rules, diff
        present = [s for s in diff.sides if s.present]
        absent = [s for s in diff.sides if not s.present]
        assert len(present) == 1 and len(absent) == 1
        advice = advise(rb, sa if present[0] is diff.sides[0] else sb)
        assert present[0].rules == advice.item(diff.slot, diff.value).because
        side = absent[0]
        assert side.rules == rb.plan.producers[f"{diff.slot}:{diff.value}"]
        if side.status == "not concluded":
            assert all(c.failed or c.unknown for c in side.checks), side
        elif side.status == "overridden":
            assert side.beaten_by


def test_three_way_compare_and_duplicate_names(rb):
    s = load(HERE / "scenarios" / "interim.yaml")
    other = s.with_value("interim_administration", False)
    report = compare(rb, (s, other, load(HERE / "scenarios" / "consent.yaml")))
    assert report.scenarios == ("interim #1", "interim #2", "consent")
    sub = next(c for c in report.conclusions if (c.slot, c.value) == ("mandate", "substitution"))
    assert [x.present for x in sub.sides] == [True, False, False]
    assert sub.sides[1].decisive == ("interim_administration",)
    assert "interim_administration" in sub.sides[0].decisive


def test_identical_scenarios_differ_in_nothing(rb):
    s = load(HERE / "scenarios" / "interim.yaml")
    report = compare(rb, (s, s))
    assert report.facts == () and report.conclusions == ()
