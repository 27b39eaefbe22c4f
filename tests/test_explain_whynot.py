"""Why not: fixture files state the expected checks; properties hold for every alternative."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from advisor.conditions import facts_of
from advisor.explain.checks import FAILED, HELD, UNKNOWN
from advisor.explain.targets import parse_target
from advisor.explain.whynot import why_not
from advisor.ruleset import load_rulebase
from advisor.scenario import load
from advisor.service import advise
from advisor.slots import SLOTS

HERE = Path(__file__).resolve().parent / "fixtures" / "explain"
CASES = sorted((HERE / "whynot").glob("*.yaml"))
SCENARIOS = sorted((HERE / "scenarios").glob("*.yaml"))


@pytest.fixture(scope="module")
def rb():
    return load_rulebase(HERE / "rulebase" / "rules", HERE / "rulebase" / "knowledge")


def _atoms(atoms) -> list[dict]:
    return [{k: a[k] for k in ("kind", "name", "actual", "required")} for a in atoms]


def _check_rules(report: dict, expected: dict) -> None:
    rules = {r["rule"]: r for r in report["rules"]}
    for rule_id, want in expected.items():
        got = rules[rule_id]
        assert got["status"] == want["status"], rule_id
        assert [{k: a[k] for k in w} for a, w in zip(got["failed"], want["failed"])] == want["failed"]
        assert len(got["failed"]) == len(want["failed"]), got["failed"]
        if "unknown" in want:
            assert [a["name"] for a in got["unknown"]] == want["unknown"]


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_why_not_matches_the_fixture(rb, case):
    spec = yaml.safe_load(case.read_text(encoding="utf-8"))
    advice = advise(rb, load(HERE / "scenarios" / f"{spec['scenario']}.yaml"))
    report = why_not(advice, parse_target(spec["target"], rb)).to_json()
    assert report["status"] == spec["status"]
    _check_rules(report, spec["rules"])
    if "beaten" in spec:
        assert report["beaten"] == spec["beaten"]
    if "unknown_that_could_change" in spec:
        assert report["unknown_that_could_change"] == spec["unknown_that_could_change"]
    deeper = {d["key"]: d["why_not"] for d in report["deeper"]}
    for key, want in spec.get("deeper", {}).items():
        _check_rules(deeper[key], want["rules"])
    if spec["status"] in ("concluded", "overridden", "conflict"):
        assert report["why"]["because"], "a concluded alternative comes with its derivation"


def check_every_alternative(rb, scenario) -> int:
    """Every producer rule of every alternative: failed atoms really fail, with values."""
    advice = advise(rb, scenario)
    facts = facts_of(scenario)
    checked = 0
    for slot in ("mandate", "structure", "hq", "partner", "task"):
        values = SLOTS[slot].values or rb.knowledge.ids(SLOTS[slot].catalogue)
        for value in values:
            name = value if slot == "mandate" else f"{slot}:{value}"
            report = why_not(advice, parse_target(name, rb))
            assert {r.rule_id for r in report.rules} == set(rb.plan.producers.get(f"{slot}:{value}", ()))
            for rule in report.rules:
                checked += 1
                if rule.status == FAILED:
                    assert rule.failed, (name, rule.rule_id)
                if rule.status == UNKNOWN:
                    assert rule.unknown and set(a.name for a in rule.unknown) <= set(report.unknown_that_could_change)
                if rule.status == HELD:
                    assert rule.fired and not rule.failed
                for atom in rule.failed:
                    if atom.kind == "fact":
                        assert atom.actual == scenario.get(atom.name) and atom.actual is not None
                        leaf = atom.name.replace(".", "__") + (f"__{atom.member}" if atom.member else "")
                        assert facts[leaf] not in atom.required
                    else:
                        assert atom.actual == (atom.name in advice.evaluation.concluded)
                for atom in rule.unknown:
                    assert atom.actual is None and atom.kind == "fact"
            if slot == "mandate" and value != advice.mandate and report.status == "not concluded":
                assert all(r.status != HELD for r in report.rules)
    return checked


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_every_alternative_is_accounted_for_with_values(rb, path):
    assert check_every_alternative(rb, load(path)) > 0


def _examples():
    root = Path(__file__).resolve().parent.parent / "examples"
    return sorted(root.glob("*.yaml"))


@pytest.fixture(scope="module")
def real_rb():
    return load_rulebase()


@pytest.mark.parametrize("path", _examples() or [None], ids=lambda p: p.stem if p else "no-examples-yet")
def test_archetype_why_not_of_every_alternative_mandate_names_failed_conditions(real_rb, path):
    """On the real rule base: every alternative mandate not concluded has a failed or unknown condition."""
    if path is None:
        pytest.skip("examples/ has no archetype scenarios yet")
    rb = real_rb
    advice = advise(rb, load(path))
    for value in SLOTS["mandate"].values:
        if value == advice.mandate:
            continue
        report = why_not(advice, parse_target(value, rb))
        if report.status == "not concluded":
            assert report.rules, f"{path.name}: no rule concludes mandate {value}"
            for rule in report.rules:
                assert rule.failed or rule.unknown, (path.name, value, rule.rule_id)
                for atom in rule.failed:
                    assert atom.kind != "fact" or atom.actual is not None
        else:
            assert report.beaten or report.status in ("conflict", "no rule"), (path.name, value, report.status)
