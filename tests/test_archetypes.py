"""Archetype scenarios (examples/) against their reviewed expected advice.

Each expected file cites the concept section behind every expectation, both what must
be recommended and what must not; this test holds the rule base to them, through the
real engine and through the contract's JSON.
"""

from __future__ import annotations

import pytest
import yaml

from advisor import scenario as scenarios
from advisor.service import advise
from support import ROOT, check_contract

EXPECTED = sorted((ROOT / "examples" / "expected").glob("*.yaml"))
LISTS = {
    "partners": "partner",
    "tasks": "task",
    "objectives": "objective",
    "warnings": "warning",
    "expertise": "expertise",
    "planning_steps": "planning_step",
    "structure_elements": "structure_element",
}
SINGLE = {"mandate": "mandate", "structure": "structure", "hq": "hq"}


def test_there_are_at_least_twenty_archetypes():
    assert len(EXPECTED) >= 20
    scenario_files = sorted((ROOT / "examples").glob("*.yaml"))
    assert {p.stem for p in scenario_files} == {p.stem for p in EXPECTED}, "every example has expected advice"


def _slot_of(item: str) -> tuple[str, str]:
    prefix = item.split(".", 1)[0]
    return {"obj": "objective", "task": "task", "exp": "expertise", "plan": "planning_step"}[prefix], item


def _why(spec: dict, key: str, item: str | None = None) -> str:
    why = spec.get("why", {}).get(key)
    if item is not None:
        why = why.get(item) if isinstance(why, dict) else None
    return why or ""


@pytest.mark.parametrize("path", EXPECTED, ids=lambda p: p.stem)
def test_archetype_advice_matches_its_review(path, real_rulebase):
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    scenario = scenarios.load(ROOT / spec["scenario"])
    advice = advise(real_rulebase, scenario)
    check_contract(advice.to_json(), {r.id for r in real_rulebase.rules})
    failures = []
    for key, expected in spec["expect"].items():
        if key in SINGLE:
            got = advice.one(SINGLE[key])
            got = got.value if got else None
            if got != expected:
                failures.append(f"{key}: expected {expected}, got {got}")
            assert "§" in _why(spec, key), f"{path.name}: no § for {key}"
        elif key == "functions":
            if sorted(advice.values("function")) != sorted(expected):
                failures.append(f"functions: expected {expected}, got {list(advice.values('function'))}")
        elif key == "partial_substitution":
            got = "partial_substitution" in advice.values("mandate_option")
            if got != expected:
                failures.append(f"partial_substitution: expected {expected}, got {got}")
        elif key in ("core_include", "core_exclude"):
            # The focused design: items that must (not) be core lines of effort here.
            design = advice.design
            core = {val for (_, val), p in design.placements.items() if p.level == "core"}
            for item in expected:
                assert "§" in _why(spec, key, item), f"{path.name}: no § for {key} {item}"
                if (item in core) != (key == "core_include"):
                    failures.append(f"{key}: {item} is {design.level(*_slot_of(item)) or 'not concluded'}")
        elif key.endswith(("_include", "_exclude")):
            plural, mode = key.rsplit("_", 1)
            assert plural in LISTS, f"{path.name}: unknown expectation '{key}'"
            got = set(advice.values(LISTS[plural]))
            for item in expected:
                assert "§" in _why(spec, key, item), f"{path.name}: no § for {key} {item}"
                if (item in got) != (mode == "include"):
                    failures.append(f"{key}: {item} {'missing' if mode == 'include' else 'present'}")
        else:
            pytest.fail(f"{path.name}: unknown expectation '{key}'")
    assert not failures, f"{path.name}:\n  " + "\n  ".join(failures)


@pytest.mark.parametrize("path", EXPECTED, ids=lambda p: p.stem)
def test_every_conclusion_names_rules_with_sections(path, real_rulebase):
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    advice = advise(real_rulebase, scenarios.load(ROOT / spec["scenario"]))
    for slot, items in advice.items.items():
        for item in items:
            assert item.because, (slot, item.value)
            for rule_id in item.because:
                assert real_rulebase.rule(rule_id).sections
