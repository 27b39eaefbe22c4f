"""A partner added in YAML alone (knowledge/partners.yaml plus a rule) reaches the advice JSON,
the rule schema and the app; without its catalogue entry the same rule is a located error."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from advisor import slots
from advisor.cli import main
from advisor.ruleset import load_rulebase
from advisor.ui import config
from support import edit_fact

TESTS = Path(__file__).resolve().parent
FIX = TESTS / "fixtures" / "rulebases" / "new_partner"
ON_FIX = ["--rules", str(FIX / "rules"), "--knowledge", str(FIX / "knowledge")]
SCENARIO = FIX / "examples" / "high_risk.yaml"
NEW = "icrc"
# The contract's §3 partner ids: they must stay, whatever planners add.
CONTRACT = (
    "frontex",
    "europol",
    "eusc",
    "un",
    "undp",
    "unhcr",
    "interpol",
    "iom",
    "wco",
    "osce",
    "icmpd",
    "commission",
    "eu_delegation",
    "csdp_military",
)


def cli(args: list[str], capsys) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_no_python_knows_the_new_partner():
    for path in (TESTS.parent / "advisor").rglob("*.py"):
        assert f'"{NEW}"' not in path.read_text(encoding="utf-8"), path


def test_the_new_partner_appears_in_the_advice_json(capsys):
    code, out, err = cli(["recommend", str(SCENARIO), *ON_FIX, "--format", "json"], capsys)
    assert code == 0, err
    partners = {p["id"]: p for p in json.loads(out)["partners"]}
    assert partners[NEW]["because"] == ["partner.icrc"] and partners[NEW]["title"] == "ICRC"


def test_the_new_partner_is_an_allowed_value_in_the_rule_schema(capsys):
    code, out, _ = cli(["schema", "rules", *ON_FIX], capsys)
    assert code == 0
    (partner,) = [c for c in json.loads(out)["$defs"]["conclusion"]["anyOf"] if "partner" in c["properties"]]
    assert partner["properties"]["partner"]["enum"] == ["frontex", "osce", "unhcr", NEW]


def test_without_its_catalogue_entry_the_rule_is_a_located_error(tmp_path, capsys):
    knowledge = tmp_path / "knowledge"
    shutil.copytree(FIX / "knowledge", knowledge)
    partners = knowledge / "partners.yaml"
    partners.write_text(
        "".join(
            line for line in partners.read_text(encoding="utf-8").splitlines(keepends=True) if "id: icrc" not in line
        ),
        encoding="utf-8",
    )
    code, out, err = cli(["validate", "--rules", str(FIX / "rules"), "--knowledge", str(knowledge)], capsys)
    assert code == 2 and out == ""
    assert f"{FIX / 'rules' / 'partners_extra.yaml'}:9:" in err and "rule partner.icrc" in err
    assert "'icrc' is not an entry of the 'partners' catalogue" in err and "allowed: frontex, osce, unhcr" in err


def test_the_packaged_partners_are_the_contracts_in_its_order():
    assert slots.PARTNERS[: len(CONTRACT)] == CONTRACT
    assert slots.SLOTS["partner"].ids(load_rulebase().knowledge) == slots.PARTNERS


@pytest.fixture
def app_on_fixture(monkeypatch):
    monkeypatch.setenv(config.ENV_RULES, str(FIX / "rules"))
    monkeypatch.setenv(config.ENV_KNOWLEDGE, str(FIX / "knowledge"))
    monkeypatch.setenv(config.ENV_EXAMPLES, str(FIX / "examples"))
    st.cache_resource.clear()
    yield
    st.cache_resource.clear()


def _partner_rows(at: AppTest) -> list[str]:
    tables = [df.value for df in at.dataframe if "partner" in df.value.columns]
    return list(tables[0]["partner"]) if tables else []


def test_the_app_shows_the_new_partner_and_drops_it_when_the_risk_falls(app_on_fixture):
    at = AppTest.from_file(str(TESTS.parent / "app.py"), default_timeout=60)
    at.run()
    at.selectbox(key="preset").select("High human-rights risk").run()
    at.session_state["advice_tab:main"] = "Partners"  # only the open advice tab is drawn
    at.run()
    assert not at.exception, at.exception
    assert "ICRC" in _partner_rows(at)
    edit_fact(at, "human_rights_risk", "low")  # the editor's event (AppTest runs it as a full run)
    assert not at.exception, at.exception
    rows = _partner_rows(at)
    assert rows and "ICRC" not in rows
