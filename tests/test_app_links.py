"""Shareable links and the live rule base, without a server."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings

from advisor import scenario as scenarios
from advisor import vocabulary as v
from advisor.errors import ScenarioError
from advisor.ui import links
from advisor.ui.groups import GROUPS
from advisor.ui.live import LiveRuleBase
from advisor.ui.presets import load_presets
from strategies import scenario_data

FIX = Path(__file__).resolve().parent / "fixtures" / "app"


@settings(max_examples=200, deadline=None)
@given(scenario_data())
def test_a_link_reproduces_any_scenario(data):
    sc = scenarios.from_mapping(data)
    params = links.encode(sc)
    assert all(isinstance(x, str) for x in params.values())
    assert links.decode(params).to_dict() == sc.to_dict()


def test_empty_list_and_unknown_list_differ_in_a_link():
    known_empty = scenarios.from_mapping({"agreements": []})
    assert links.encode(known_empty) == {"agreements": "~"}
    assert links.decode({"agreements": "~"}).get("agreements") == ()
    assert links.decode({}).get("agreements") is None


@pytest.mark.parametrize(
    "params, words",
    [
        ({"host_authority": "partial"}, ["host_authority", "partial", "functioning"]),
        ({"host_consnt": "true"}, ["host_consnt", "host_consent"]),
        ({"host_capacity": "legislative=weak"}, ["host_capacity", "area:level"]),
        ({"host_capacity": "legslative:weak"}, ["legslative", "legislative"]),
        ({"threats": "smuggling,piracy"}, ["piracy", "threats"]),
    ],
)
def test_a_bad_link_names_the_parameter_and_what_is_allowed(params, words):
    with pytest.raises(ScenarioError) as err:
        links.decode(params)
    for word in words:
        assert word in str(err.value)


def test_the_editor_groups_cover_every_contract_field_once():
    names = [n for _, group in GROUPS for n in group]
    assert sorted(names) == sorted(f.name for f in v.FIELDS if f.name != "name")


def test_presets_load_and_broken_presets_are_reported(tmp_path):
    shutil.copytree(FIX / "examples", tmp_path / "ex")
    (tmp_path / "ex" / "zz_bad.yaml").write_text("host_authority: partial\n")
    presets = load_presets(tmp_path / "ex")
    assert "Interim administration" in presets.names()
    assert len(presets.problems) == 1 and "zz_bad.yaml:1" in str(presets.problems[0])


def test_live_rule_base_reloads_on_change_and_keeps_the_last_good(tmp_path):
    shutil.copytree(FIX / "rules", tmp_path / "rules")
    live = LiveRuleBase(tmp_path / "rules", FIX / "knowledge")
    first = live.check()
    assert first.rulebase is not None and first.error is None
    assert live.check().rulebase is first.rulebase  # nothing changed: same object, no reload
    path = tmp_path / "rules" / "design.yaml"
    text = path.read_text()
    path.write_text(text.replace("A large country", "A big country"))
    second = live.check()
    assert second.reloaded and second.rulebase.sha256 != first.rulebase.sha256
    path.write_text(text.replace("is: large", "is: huge"))
    third = live.check()
    assert third.rulebase is second.rulebase and "huge" in str(third.error)
    assert live.check().error is third.error  # the error stays until the files change
