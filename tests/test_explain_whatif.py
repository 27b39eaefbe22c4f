"""What-if: single flips checked against brute force; the target search proven minimal."""

from __future__ import annotations

from itertools import combinations
from pathlib import Path

import pytest

from advisor import vocabulary as v
from advisor.conditions import Test as FactTest
from advisor.conditions import atoms
from advisor.explain.targets import Target
from advisor.explain.whatif import flips, search_target
from advisor.ruleset import load_rulebase
from advisor.scenario import from_mapping, load
from advisor.service import advise

HERE = Path(__file__).resolve().parent / "fixtures" / "explain"
SCENARIOS = sorted((HERE / "scenarios").glob("*.yaml"))


@pytest.fixture(scope="module")
def rb():
    return load_rulebase(HERE / "rulebase" / "rules", HERE / "rulebase" / "knowledge")


def headline(advice) -> dict:
    return {**advice.headline(), "partners": advice.values("partner")}


def single_changes(scenario, paths=None):
    """Every single change, straight from the vocabulary: (path, new value)."""
    for name, path in v.PATHS.items():
        if paths is not None and name not in paths:
            continue
        current = scenario.get(name)
        if path.field.kind == v.LIST:
            members = path.field.values
            if current is None:
                yield from ((name, (m,)) for m in members)
                yield name, ()
            else:
                for m in members:
                    yield name, tuple(x for x in members if (x in current) != (x == m))
        else:
            yield from ((name, value) for value in path.domain if value != current)


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_flips_are_exactly_the_single_changes_found_by_brute_force(rb, path):
    scenario = load(path)
    report = flips(rb, scenario)
    base = headline(advise(rb, scenario))
    assert dict(report.headline) == base
    brute = set()
    for name, value in single_changes(scenario):
        after = headline(advise(rb, scenario.with_value(name, value)))
        brute |= {(slot, name, value, after[slot]) for slot in base if after[slot] != base[slot]}
    reported = set()
    for flip in report.flips:
        for value in (flip.change.after,) + flip.change.alternatives:
            reported.add((flip.slot, flip.change.path, value, flip.after))
    assert reported == brute


def test_interim_flips_name_the_facts_behind_substitution(rb):
    report = flips(rb, load(HERE / "scenarios" / "interim.yaml"))
    mandate = {(f.change.path, f.after) for f in report.for_slot("mandate")}
    assert ("interim_administration", "monitoring") in mandate
    assert ("host_authority", "monitoring") in mandate
    assert ("host_consent", "none") in mandate


def read_paths(rb) -> set[str]:
    """Facts some rule tests: a change to any other fact cannot alter the advice."""
    return {a.path for r in rb.rules for a in atoms(r.condition) if isinstance(a, FactTest)}


def elementary(scenario, paths):
    """(coordinate, path, member-or-None, value) for each elementary change."""
    out = []
    for name in paths:
        path = v.PATHS[name]
        current = scenario.get(name)
        if path.field.kind == v.LIST:
            for m in path.field.values:
                out.append(((name, m), name, m, m not in (current or ())))
            if current is None:
                out.append(((name, "*"), name, None, ()))
        else:
            out += [((name, "="), name, None, x) for x in path.domain if x != current]
    return out


def apply_all(scenario, combo):
    data = scenario.to_dict()
    for _, name, member, value in combo:
        if "." in name:
            field, area = name.split(".")
            data.setdefault(field, {})[area] = value
        elif member is not None:
            have = set(data.get(name) or ())
            (have.add if value else have.discard)(member)
            data[name] = sorted(have)
        else:
            data[name] = list(value) if isinstance(value, tuple) else value
    return from_mapping(data, scenario.source)


def brute_force_reaches(rb, scenario, target, size) -> list:
    """Every change set of exactly `size` elementary changes that reaches the target."""
    moves = elementary(scenario, sorted(read_paths(rb)))
    found = []
    for combo in combinations(moves, size):
        coords = [c for c, *_ in combo]
        per_path = {}
        for p, kind in coords:
            per_path.setdefault(p, []).append(kind)
        # One value per fact; several toggles of one list only when each is a member.
        if any(
            len(kinds) > 1 and ({"=", "*"} & set(kinds) or len(set(kinds)) < len(kinds)) for kinds in per_path.values()
        ):
            continue
        if advise(rb, apply_all(scenario, combo)).item(target.slot, target.value):
            found.append(combo)
    return found


CASES = [  # scenario, target, expected size of the smallest change set
    ("interim", Target("mandate", "none"), 1),
    ("interim", Target("mandate", "strengthening"), 2),
    ("consent", Target("mandate", "monitoring"), 2),
    ("consent", Target("mandate", "substitution"), 2),
    ("consent", Target("partner", "unhcr"), 1),
    ("conflicted", Target("structure", "regional"), 1),
    ("empty", Target("mandate", "monitoring"), 2),
    ("empty", Target("task", "task.sub.ops.border-checks"), 3),
]


@pytest.mark.parametrize("name,target,size", CASES, ids=lambda c: getattr(c, "name", str(c)))
def test_target_search_reaches_the_target_and_nothing_smaller_does(rb, name, target, size):
    scenario = load(HERE / "scenarios" / f"{name}.yaml")
    report = search_target(rb, scenario, target)
    assert report.status == "found" and report.minimal
    assert report.size == size
    for solution in report.solutions:
        changed = scenario
        for change in solution:
            changed = changed.with_value(change.path, change.after)
        assert advise(rb, changed).item(target.slot, target.value), solution
    for smaller in range(1, size):
        assert brute_force_reaches(rb, scenario, target, smaller) == []


def test_target_already_reached_and_unreachable_targets_are_said_so(rb):
    interim = load(HERE / "scenarios" / "interim.yaml")
    assert search_target(rb, interim, Target("mandate", "substitution")).status == "already"
    # Nothing concludes eusc in the fixture rule base: no change set can reach it.
    report = search_target(rb, interim, Target("partner", "eusc"), max_size=2)
    assert report.status == "not found" and not report.solutions and report.facts_considered == ()


def test_a_budget_too_small_is_reported_not_claimed_minimal(rb):
    report = search_target(
        rb, load(HERE / "scenarios" / "empty.yaml"), Target("task", "task.sub.ops.border-checks"), budget=5
    )
    assert report.status == "budget exhausted" and not report.minimal


EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "examples").glob("*.yaml"))


@pytest.fixture(scope="module")
def real_rb():
    return load_rulebase()


@pytest.mark.slow
@pytest.mark.parametrize("path", EXAMPLES or [None], ids=lambda p: p.stem if p else "no-examples-yet")
def test_archetype_flips_match_brute_force_and_targets_are_reached(real_rb, path):
    """On the real rule base, whatever it concludes today: flips equal brute force over
    single changes, and every alternative mandate found within two changes is reached."""
    if path is None:
        pytest.skip("examples/ has no archetype scenarios yet")
    scenario = load(path)
    base = headline(advise(real_rb, scenario))
    brute = set()
    for name, value in single_changes(scenario, read_paths(real_rb)):
        after = headline(advise(real_rb, scenario.with_value(name, value)))
        brute |= {(slot, name) for slot in base if after[slot] != base[slot]}
    report = flips(real_rb, scenario)
    assert {(f.slot, f.change.path) for f in report.flips} == brute
    for value in ("strengthening", "substitution", "monitoring", "none"):
        search = search_target(real_rb, scenario, Target("mandate", value), max_size=2)
        for solution in search.solutions:
            changed = scenario
            for change in solution:
                changed = changed.with_value(change.path, change.after)
            assert advise(real_rb, changed).mandate == value, (path.name, value, solution)
