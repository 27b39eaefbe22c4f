"""Decision tables: located errors, first-row-wins semantics on the real engine, verify, Rule lab.

Fixtures: tests/fixtures/tables/ (README.md there). The semantics tests compare the engine's
advice with a direct reading of each table (the first row whose condition, as written,
holds under three-valued logic), so they do not depend on how rows are compiled.
"""

from pathlib import Path

import pytest

from advisor.authoring.verify import verify
from advisor.cli import main
from advisor.conditions import evaluate, facts_of
from advisor.decisiontable import condition_text, tables_of
from advisor.errors import RuleFileError
from advisor.rulefile import TIERS
from advisor.ruleset import load_rulebase
from advisor.sample import random_scenarios
from advisor.scenario import from_mapping
from advisor.service import advise

HERE = Path(__file__).resolve().parent / "fixtures" / "tables"
RULES = HERE / "rulebase" / "rules"
KNOWLEDGE = HERE.parent / "authoring" / "rulebase" / "knowledge"
BASE = ["--rules", str(RULES), "--knowledge", str(KNOWLEDGE)]
BAD = sorted((HERE / "bad").glob("*.yaml"))


@pytest.mark.parametrize("fixture", BAD, ids=[p.stem for p in BAD])
def test_a_bad_table_gives_its_exact_located_error(fixture, capsys):
    code = main(["validate", str(fixture), *BASE])
    out, err = capsys.readouterr()
    assert err.replace(str(HERE) + "/", "") == fixture.with_suffix(".expected").read_text(encoding="utf-8")
    assert code == 2 and out == ""


def test_every_bad_fixture_has_its_expected_text():
    assert len(BAD) >= 10
    assert all(p.with_suffix(".expected").exists() for p in BAD)


def _first_row(table, facts, concluded):
    """The value a table gives by reading it: the first row whose written condition is true."""
    for row in table.rows:
        if evaluate(row.written, facts, concluded) is True:
            return table.value(row), row.id
    return None, None


def _check_tables(rb, scenarios, engine):
    tables = tables_of(rb.rules)
    checked = 0
    for scenario in scenarios:
        advice = advise(rb, scenario, engine)
        facts, concluded = facts_of(scenario), advice.evaluation.concluded
        fired = advice.evaluation.fired_ids()
        for table in tables:
            value, first = _first_row(table, facts, concluded)
            item = advice.one(table.slot)
            assert (item.value if item else None) == value, (scenario.name, table.slot)
            if first is not None:
                assert item.because[0] == first, (scenario.name, table.slot)
                checked += 1
            # A row with further conclusions fires only with the value that was decided.
            for row in table.rows:
                if table.further(row) and row.id in fired:
                    assert table.value(row) == value, (scenario.name, row.id)
    return checked


@pytest.mark.parametrize("engine", ["durable", "reference"])
def test_shipped_tables_give_the_first_row_that_holds(engine):
    rb = load_rulebase()
    assert _check_tables(rb, random_scenarios(150, seed=16), engine) > 150


@pytest.mark.parametrize("engine", ["durable", "reference"])
def test_fixture_tables_with_interleaved_values_give_the_first_row(engine):
    rb = load_rulebase(RULES, KNOWLEDGE)
    grid = [
        {
            "host_authority": a,
            "interim_administration": i,
            "host_consent": c,
            "disputed_border": d,
            "conflict_status": s,
            "scope": sc,
        }
        for a in ("functioning", "limited", None)
        for i in (True, False, None)
        for c in (True, False, None)
        for d in (True, False, None)
        for s in ("stable", "tension", None)
        for sc in ("national", "border_sector", None)
    ]
    scenarios = [
        from_mapping({"name": f"grid-{n}", **{k: v for k, v in g.items() if v is not None}}) for n, g in enumerate(grid)
    ]
    assert _check_tables(rb, scenarios, engine) > len(grid)


def test_the_mandate_row_below_monitoring_is_guarded_by_the_order_alone():
    rb = load_rulebase(RULES, KNOWLEDGE)
    stable = rb.rule("mandate.none.stable")
    assert stable.guards == ("mandate.substitution", "mandate.monitoring")
    # A stable state with a disputed border: monitoring (row 3) decides, so row 4's
    # "no mission" conclusion is not drawn and the mission-dependent rules still fire.
    advice = advise(
        rb,
        from_mapping(
            {
                "name": "x",
                "conflict_status": "stable",
                "host_authority": "functioning",
                "disputed_border": True,
                "host_consent": True,
            }
        ),
    )
    assert advice.mandate == "monitoring" and "mandate.none.stable" not in advice.evaluation.fired_ids()
    assert advice.values("partner") == ("frontex",) and advice.one("hq").value == "capital"


def test_value_only_rows_below_the_decision_are_overridden_not_guarded():
    rb = load_rulebase(RULES, KNOWLEDGE)
    assert rb.rule("hq.capital").guards == ()
    advice = advise(rb, from_mapping({"name": "x", "scope": "border_sector", "host_consent": True}))
    assert advice.one("hq").value == "border_sector"
    assert [(o.value, o.rule_id, o.beaten_by) for o in advice.overridden] == [("capital", "hq.capital", "hq.sector")]


def test_mandate_structure_and_hq_are_tables_with_todays_rule_ids():
    rb = load_rulebase()
    tables = {t.slot: [r.id for r in t.rows] for t in tables_of(rb.rules)}
    assert set(tables) == {"mandate", "structure", "hq"}
    assert tables["mandate"][0] == "mandate.substitution" and tables["mandate"][-1] == "mandate.strengthening.default"
    assert tables["hq"] == ["hq.capital.national", "hq.border-sector", "hq.capital.default"]
    assert len(tables["structure"]) == 9 and tables["structure"][-1] == "structure.functional.default"
    for slot, ids in tables.items():  # no rule outside its table concludes the slot
        assert {r.id for r in rb.rules if any(c.slot == slot for c in r.conclusions)} == set(ids)


def test_verify_reports_no_gap_and_the_overlaps_of_the_shipped_tables():
    report = verify(load_rulebase())
    assert not report.errors
    by_slot = {t.slot: t for t in report.tables}
    assert set(by_slot) == {"mandate", "structure", "hq"} and not any(t.gap for t in report.tables)
    hq = {o.row: o.above for o in by_slot["hq"].overlaps}
    assert hq == {"hq.capital.default": ("hq.border-sector",)}
    monitoring = next(o for o in by_slot["mandate"].overlaps if o.row == "mandate.monitoring")
    assert monitoring.above == ("mandate.substitution", "mandate.none.no-consent")


def test_verify_finds_the_gap_of_a_table_without_a_default_row():
    rb = load_rulebase(
        RULES, KNOWLEDGE, overlay={"hq.yaml": (RULES / "hq.yaml").read_text().split("  - id: hq.capital")[0]}
    )
    report = verify(rb)
    gap = [f for f in report.errors if f.kind == "incomplete" and f.slot == "hq"]
    assert len(gap) == 1 and "no row of the hq table holds" in gap[0].message
    assert gap[0].location.endswith("rulebase/rules/hq.yaml:3") and gap[0].scenario is not None
    assert next(t for t in report.tables if t.slot == "hq").gap
    # The counter-example really gets a mission and no HQ.
    advice = advise(rb, from_mapping(dict(gap[0].scenario)))
    assert advice.mandate not in (None, "none") and advice.one("hq") is None


def test_verify_flags_a_row_that_can_never_decide():
    text = (
        (RULES / "hq.yaml")
        .read_text()
        .replace(
            "rows:\n",
            "rows:\n  - id: hq.always\n    title: Always the capital\n    when: {derived: mission_supported}\n"
            '    hq: capital\n    rationale: Fixture.\n    sections: ["7"]\n',
            1,
        )
    )
    report = verify(load_rulebase(RULES, KNOWLEDGE, overlay={"hq.yaml": text}))
    shadowed = [f for f in report.findings if f.kind == "shadowed"]
    assert [f.rules for f in shadowed] == [("hq.sector",)]
    assert "row 2 of the hq table never decides" in shadowed[0].message


def test_priority_tiers_by_name_and_numbers_both_load(tmp_path):
    text = (RULES / "facts.yaml").read_text()
    named = text.replace("  - id: no-consent\n", "  - id: no-consent\n    priority: decisive\n")
    numbered = text.replace("  - id: no-consent\n", "  - id: no-consent\n    priority: 7\n")
    assert (
        load_rulebase(RULES, KNOWLEDGE, overlay={"facts.yaml": named}).rule("no-consent").priority == TIERS["decisive"]
    )
    assert load_rulebase(RULES, KNOWLEDGE, overlay={"facts.yaml": numbered}).rule("no-consent").priority == 7
    assert list(TIERS) == ["override", "decisive", "default", "fallback"]
    assert sorted(TIERS.values(), reverse=True) == list(TIERS.values())


def test_a_broken_row_loads_nothing_of_its_table():
    text = (RULES / "hq.yaml").read_text().replace("hq: capital", "hq: capitol")
    with pytest.raises(RuleFileError) as err:
        load_rulebase(RULES, KNOWLEDGE, overlay={"hq.yaml": text})
    assert [p.rule_id for p in err.value.problems] == ["hq.capital"]


def _tables_shown(at) -> dict:
    """The decision tables on a page, by the slot each one decides (its value column)."""
    return {
        next(c for c in ("mandate", "structure", "hq") if c in d.value.columns): d.value
        for d in at.dataframe
        if "drawn unless rows hold" in d.value.columns
    }


def test_rule_lab_shows_each_table_in_row_order(monkeypatch):
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from advisor.ui import config

    monkeypatch.setenv(config.ENV_RULES, str(RULES))
    monkeypatch.setenv(config.ENV_KNOWLEDGE, str(KNOWLEDGE))
    monkeypatch.setenv(config.ENV_EXAMPLES, str(HERE.parent / "app" / "examples"))
    st.cache_resource.clear()
    try:
        at = AppTest.from_file(str(HERE.parents[2] / "app.py"), default_timeout=90).run()
        at.switch_page("app_pages/rulelab.py").run()
        assert not at.exception, at.exception
        shown = _tables_shown(at)
        assert set(shown) == {"mandate", "hq"}
        assert list(shown["hq"]["row"]) == ["hq.sector", "hq.capital"]
        assert list(shown["hq"]["hq"]) == ["border_sector", "capital"]
        mandate = shown["mandate"]
        assert list(mandate["#"]) == [1, 2, 3, 4, 5]
        assert mandate.loc[3, "when"] == "conflict_status is stable and host_authority is functioning"
        assert mandate.loc[3, "drawn unless rows hold"] == "1, 3"
        assert mandate.loc[3, "further conclusions"] == "derived:mission_not_supported"
        # A draft of a table file shows the draft's table only.
        at.selectbox(key="lab_base").select("hq.yaml").run()
        text = at.text_area(key="lab_text").value.replace("hq: capital", "hq: border_sector")
        at.text_area(key="lab_text").set_value(text).run()
        assert not at.exception, at.exception
        drafts = [d.value for d in at.dataframe if "drawn unless rows hold" in d.value.columns]
        assert list(drafts[-1]["hq"]) == ["border_sector", "border_sector"]
    finally:
        st.cache_resource.clear()


def test_condition_text_reads_as_written():
    rb = load_rulebase()
    assert (
        condition_text(rb.rule("hq.border-sector").written)
        == "mission_supported and scope in [border_sector, single_crossing_point]"
    )


def test_the_rules_schema_accepts_the_shipped_tables_and_rejects_a_bad_row():
    import jsonschema
    import yaml

    from advisor.authoring.schema import rules_schema

    rb = load_rulebase()
    schema = jsonschema.Draft202012Validator(rules_schema(rb.knowledge))
    jsonschema.Draft202012Validator.check_schema(schema.schema)
    root = Path(rb.rules_dir)
    for name in ("mandate.yaml", "structure.yaml", "hq.yaml"):
        assert list(schema.iter_errors(yaml.safe_load((root / name).read_text()))) == [], name
    for name in ("row-bad-value", "row-priority", "rows-empty", "priority-unknown-tier"):
        assert list(schema.iter_errors(yaml.safe_load((HERE / "bad" / f"{name}.yaml").read_text()))), name
