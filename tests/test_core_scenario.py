"""The scenario model: every contract field accepted, every mistake located."""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor import scenario as scenarios
from advisor import vocabulary as v
from advisor.errors import ScenarioError

BAD = Path(__file__).parent / "fixtures" / "scenarios" / "bad"
GOOD = Path(__file__).parent / "fixtures" / "scenarios" / "good"


@pytest.mark.parametrize("path", sorted(p for p in BAD.iterdir() if p.suffix != ".error"), ids=lambda p: p.name)
def test_bad_scenario_gives_the_expected_located_error(path):
    expected = path.with_suffix(".error").read_text(encoding="utf-8").strip()
    with pytest.raises(ScenarioError) as caught:
        scenarios.load(path)
    first = str(caught.value.problems[0]).replace(str(path), path.name)
    assert first.startswith(expected), first


def test_every_contract_field_and_value_is_accepted():
    s = scenarios.load(GOOD / "full.yaml")
    for field in v.FIELDS:
        assert field.name in s.values, field.name
    assert s.get("host_capacity.capacity_building") == "absent"
    assert s.get("agreements") == v.FIELDS_BY_NAME["agreements"].values


@pytest.mark.parametrize("field", [f for f in v.FIELDS if f.kind in (v.CHOICE, v.MAPPING)], ids=lambda f: f.name)
def test_each_value_of_each_choice_field_loads(field):
    for value in field.values:
        data = {field.name: {"legislative": value}} if field.kind == v.MAPPING else {field.name: value}
        s = scenarios.from_mapping(data)
        path = f"{field.name}.legislative" if field.kind == v.MAPPING else field.name
        assert s.get(path) == value


def test_json_scenarios_load_with_accents_and_euro():
    s = scenarios.load(GOOD / "full.json")
    assert s.name == "JSON scenario with accents: Côte d'Ivoire €"
    assert s.get("agreements") == ("bcp_agreement",)


def test_missing_and_explicit_unknown_facts_stay_unknown():
    s = scenarios.load(GOOD / "unknowns.yaml")
    assert not s.known("host_authority") and not s.known("host_consent")
    assert not s.known("host_capacity.legislative")
    assert s.get("host_capacity.operational") == "weak"
    assert "interim_administration" in s.unknown_paths()


def test_all_problems_of_a_file_are_reported_at_once():
    text = "host_authorty: absent\nconflict_status: postconflict\nthreats: [smugling]\n"
    with pytest.raises(ScenarioError) as caught:
        scenarios.from_text(text, "many.yaml")
    assert [p.field for p in caught.value.problems] == ["host_authorty", "conflict_status", "threats"]
    assert [p.line for p in caught.value.problems] == [1, 2, 3]
    assert caught.value.problems[2].suggestion == "smuggling"


def test_with_value_round_trips_and_validates():
    s = scenarios.load(GOOD / "unknowns.yaml")
    changed = s.with_value("host_capacity.legislative", "absent").with_value("threats", ("smuggling",))
    assert changed.get("host_capacity.legislative") == "absent"
    assert changed.get("threats") == ("smuggling",)
    assert scenarios.from_text(changed.to_yaml()).values == changed.values
    assert not changed.with_value("host_capacity.operational", None).known("host_capacity.operational")
    with pytest.raises(ScenarioError):
        s.with_value("host_authority", "gone")
