"""The sweep page, driven through AppTest by widget keys, on a fixture rule base."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from advisor.ruleset import load_rulebase
from advisor.sweep import view
from advisor.sweep.run import sweep_rows
from advisor.sweep.table import frame, to_bytes

HERE = Path(__file__).resolve().parent
PAGE = "../app_pages/sweep.py"
CHAIN = HERE / "fixtures" / "rulebases" / "chain"
PRESETS = HERE / "fixtures" / "sweep" / "presets"


@pytest.fixture
def app(monkeypatch):
    monkeypatch.setenv("ADVISOR_RULES", str(CHAIN / "rules"))
    monkeypatch.setenv("ADVISOR_KNOWLEDGE", str(CHAIN / "knowledge"))
    monkeypatch.setenv("ADVISOR_EXAMPLES", str(PRESETS))
    return AppTest.from_file(PAGE, default_timeout=30)


def pivot(app):
    """The page's pivot table (planner words; the row labels are its first column)."""
    table = app.table[0].value
    return table.set_index(table.columns[0])


def test_default_pivot_over_two_facts(app):
    app.run()
    assert not app.exception and not app.error
    assert app.selectbox(key="sweep_base").value == "consenting osce state"
    table = pivot(app)
    assert list(table.index) == ["absent", "limited", "functioning"]
    assert list(table.columns) == ["stable", "tension", "active conflict", "ceasefire", "post conflict"]
    assert set(table.to_numpy().ravel()) == {"strengthening"}  # consent, nothing else known


def test_changing_facts_values_and_conclusion(app):
    app.run()
    app.selectbox(key="sweep_y").select("host_consent").run()
    app.multiselect(key="sweep_x_values:conflict_status").set_value(["stable", "active_conflict", "unknown"]).run()
    app.selectbox(key="sweep_show").select("partner_osce").run()
    assert not app.exception
    table = pivot(app)
    assert list(table.columns) == ["stable", "active conflict", "unknown"]
    assert list(table.index) == ["no", "yes"]
    # The fixture's OSCE rule: participating state and not in active conflict (unknown: no).
    assert table.loc["yes"].tolist() == ["yes", "no", "no"]


def test_base_from_the_apps_current_scenario(app):
    app.session_state["scenario"] = {"name": "mine", "disputed_border": True}
    app.run()
    assert app.selectbox(key="sweep_base").value == view.CURRENT
    app.selectbox(key="sweep_x").select("interim_administration").run()
    app.selectbox(key="sweep_show").select("mandate").run()
    table = pivot(app)
    # Disputed border (from the base) gives monitoring; executive powers win over it by priority.
    assert table.loc["absent", "yes"] == "substitution"
    assert table.loc["functioning", "yes"] == table.loc["absent", "no"] == "monitoring"


def test_same_fact_twice_asks_for_two(app):
    app.run()
    app.selectbox(key="sweep_y").select("conflict_status").run()
    assert not app.exception
    assert "two different facts" in app.warning[0].value


def test_broken_rule_base_is_reported_not_raised(app, monkeypatch, tmp_path):
    (tmp_path / "bad.yaml").write_text("rules: [\n", encoding="utf-8")
    monkeypatch.setenv("ADVISOR_RULES", str(tmp_path))
    app.run()
    assert not app.exception
    assert "cannot be loaded" in app.error[0].value and "bad.yaml" in app.error[0].value


def test_download_bytes_read_back():
    """Download buttons' contents are not readable in AppTest: test their generator."""
    rulebase = load_rulebase(CHAIN / "rules", CHAIN / "knowledge")
    base = view.base_scenario(view.NOTHING_KNOWN, None, {})
    df = frame(sweep_rows(view.two_fact_grid(base, "host_consent", ["true", "false"], "scope", ["national"]), rulebase))
    pd.testing.assert_frame_equal(pd.read_parquet(io.BytesIO(to_bytes(df, "parquet"))), df)
    back = pd.read_csv(io.BytesIO(to_bytes(df, "csv")))
    assert list(back["mandate"]) == list(df["mandate"]) == ["strengthening", "none"]
