"""The other pages through AppTest: why-not/what-if, compare, briefing, rule lab, hot reload."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from advisor.explain import Target, search_target, why_not
from advisor.explain.words import condition_sentence
from advisor.report.markdown import esc
from advisor.ruleset import load_rulebase
from advisor.service import advise
from advisor.ui import config
from support import edit_in_board, figures

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
FIX = Path(__file__).resolve().parent / "fixtures" / "app"


@pytest.fixture(autouse=True)
def fresh_caches():
    st.cache_resource.clear()
    yield
    st.cache_resource.clear()


@pytest.fixture
def rules_copy(tmp_path, monkeypatch):
    """A private copy of the fixture rule base, so tests may edit its files."""
    shutil.copytree(FIX / "rules", tmp_path / "rules")
    monkeypatch.setenv(config.ENV_RULES, str(tmp_path / "rules"))
    monkeypatch.setenv(config.ENV_KNOWLEDGE, str(FIX / "knowledge"))
    monkeypatch.setenv(config.ENV_EXAMPLES, str(FIX / "examples"))
    return tmp_path / "rules"


def start() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception, at.exception
    return at


def page(at: AppTest, name: str) -> AppTest:
    at.switch_page(f"app_pages/{name}.py").run()
    assert not at.exception, at.exception
    return at


def preset(at: AppTest, name: str) -> AppTest:
    at.selectbox(key="preset").select(name).run()
    return at


def text(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_why_not_lists_the_failed_and_unknown_conditions(rules_copy):
    at = page(preset(start(), "Vălenii strengthening (€ budget)"), "whatif")
    at.selectbox(key="whynot_slot").select("mandate").run()
    at.selectbox(key="whynot_value").select("substitution").run()
    shown = text(at)
    # What the library says keeps substitution out, test by test, must be on the page with its mark.
    rb = load_rulebase(rules_copy, FIX / "knowledge")
    report = why_not(advise(rb, at.session_state["scenario"]), Target("mandate", "substitution"))
    blocking = [(rc.rule_id, a) for rc in report.rules for a in rc.failed + rc.unknown]
    assert blocking, "the preset should leave substitution out for a reason"
    for rule_id, atom in blocking:
        assert f"`{rule_id}`" in shown
        # In the planner's words (issue 11), from the library's own checked condition.
        assert f"{'✗' if atom.status == 'failed' else '?'} needs {esc(condition_sentence(atom))}" in shown, rule_id
    assert "✗ needs executive powers needed to hold" in shown  # the fixture's reason, read from the rule file


def test_target_search_applies_the_changes_it_found(rules_copy):
    rb = load_rulebase(rules_copy, FIX / "knowledge")
    at = page(preset(start(), "Vălenii strengthening (€ budget)"), "whatif")
    at.session_state["whatif_tab"] = "Make it…"  # only the open What-if tab is drawn
    at.run()
    at.selectbox(key="target_slot").select("mandate").run()
    at.selectbox(key="target_value").select("substitution").run()
    before = at.session_state["scenario"]
    expected = search_target(rb, before, Target("mandate", "substitution"))
    assert expected.solutions
    at.button(key="apply_target:0").click().run()
    after = at.session_state["scenario"]
    for change in expected.solutions[0]:
        assert after.get(change.path) == change.after
    assert advise(rb, after).mandate == "substitution"
    assert figures(at)["Mandate"] == "substitution"


def test_flips_table_shows_single_changes(rules_copy):
    at = page(preset(start(), "Vălenii strengthening (€ budget)"), "whatif")
    at.session_state["whatif_tab"] = "What single change flips it?"  # only the open tab is drawn
    at.run()
    frames = [getattr(t.value, "data", t.value) for t in at.table]  # a Styler keeps its frame in .data
    flips = next(f for f in frames if "Becomes" in f.columns)
    assert list(flips.columns) == ["Conclusion", "Now", "Change", "Becomes"]
    assert any(c.startswith("Host consent: ") and " → " in c for c in flips["Change"])


def test_missing_facts_answer_in_one_click(rules_copy):
    at = page(preset(start(), "Vălenii strengthening (€ budget)"), "whatif")
    at.session_state["whatif_tab"] = "Unknowns that matter"  # only the open tab is drawn
    at.run()
    keys = [b.key for b in at.button if b.key and b.key.startswith("missing:disputed_border:")]
    assert keys
    at.button(key=keys[0]).click().run()
    assert at.session_state["scenario"].known("disputed_border")


def test_compare_highlights_and_traces_differences(rules_copy):
    at = page(preset(start(), "Interim administration"), "compare")
    current = next(o for o in at.multiselect(key="compare_pick").options if o.startswith("Current: "))
    # The default compares the current scenario with another one, never with itself.
    assert at.multiselect(key="compare_pick").value[0] == current
    assert len(at.multiselect(key="compare_pick").value) == 2
    at.multiselect(key="compare_pick").set_value([current, "Preset: Crossing-point monitoring"]).run()
    assert not at.exception
    table = at.table[0].value
    names = [at.session_state["scenario"].name, "Crossing-point monitoring"]
    assert list(table.columns) == ["Advice", *names]  # named by scenario, first column labelled
    assert table.set_index("Advice").loc["Mandate"].tolist() == ["substitution", "monitoring"]
    shown = text(at)
    assert "mandate.substitution" in shown and "mandate.monitoring" in shown
    # Each side traced: the rule that concluded it, or the failed condition that kept it out.
    assert "concluded by **" in shown and "`mandate.substitution`" in shown  # title first, id as reference
    assert "✗ needs executive powers needed to hold (now: does not hold)" in shown
    assert "differing facts: Host border authority" in shown


def test_compare_shows_a_markdown_like_name_literally(rules_copy):
    """st.table and captions draw Markdown: a scenario name must reach them escaped."""
    from advisor import scenario as scenarios
    from advisor.report.markdown import esc

    at = preset(start(), "Interim administration")
    hostile = "**Bold** $x^2$ [link](http://x) <b>tag</b>"
    values = dict(at.session_state["scenario"].values) | {"name": hostile}
    at.session_state["scenario"] = scenarios.from_mapping(values)
    at = page(at, "compare")
    current = next(o for o in at.multiselect(key="compare_pick").options if o.startswith("Current: "))
    at.multiselect(key="compare_pick").set_value([current, "Preset: Crossing-point monitoring"]).run()
    assert not at.exception
    assert list(at.table[0].value.columns)[1] == esc(hostile)
    shown = [c.value for c in at.caption] + [m.value for m in at.markdown]
    assert any(esc(hostile) in x for x in shown)
    assert not any(hostile in x for x in shown)  # never the raw Markdown


def test_compare_needs_two(rules_copy):
    at = page(start(), "compare")
    current = next(o for o in at.multiselect(key="compare_pick").options if o.startswith("Current: "))
    at.multiselect(key="compare_pick").set_value([current]).run()
    assert any("at least two" in i.value for i in at.info)


def test_briefing_page_previews_the_document(rules_copy):
    at = page(preset(start(), "Vălenii strengthening (€ budget)"), "briefing")
    at.text_input(key="marking").input("EXERCISE – Café").run()
    shown = text(at)
    assert "EXERCISE – Café" in shown and "Vălenii" in shown and "mandate.strengthening" in shown


def test_rule_lab_validates_a_draft_precisely_and_never_changes_the_shared_rule_base(rules_copy):
    at = page(start(), "rulelab")
    at.selectbox(key="lab_base").select("mandate.yaml").run()
    assert any("Valid" in s.value for s in at.success)
    good = at.text_area(key="lab_text").value
    at.text_area(key="lab_text").input(good.replace("at_most: limited", "at_most: limitd")).run()
    assert any("does not validate" in e.value for e in at.error)
    problems = at.dataframe[-1].value
    assert "limited" in " ".join(problems["problem"].astype(str)) + " ".join(problems["allowed"].astype(str))
    assert problems["line"].notna().all()
    # A valid draft that changes the advice: the lab shows it, the workspace does not.
    at.text_area(key="lab_text").input(good.replace("priority: 90", "priority: 10")).run()
    assert any("Valid" in s.value for s in at.success)
    at = page(at, "workspace")
    assert (rules_copy / "mandate.yaml").read_text() == (FIX / "rules" / "mandate.yaml").read_text()


def test_rule_lab_tries_a_draft_on_the_current_scenario(rules_copy):
    at = page(preset(start(), "Interim administration"), "rulelab")
    at.selectbox(key="lab_base").select("mandate.yaml").run()
    good = at.text_area(key="lab_text").value
    at.text_area(key="lab_text").input(good.replace("- mandate: substitution", "- mandate: monitoring")).run()
    diff = next(d.value for d in at.dataframe if "with your draft" in d.value.columns)
    row = diff[diff["conclusion"] == "Mandate"].iloc[0]
    assert row["in service"] == "substitution" and row["with your draft"] == "monitoring"
    assert figures(at).get("Mandate") in (None, "monitoring")


def test_hot_reload_serves_edits_and_keeps_the_last_good_version(rules_copy):
    at = preset(start(), "Interim administration")
    assert figures(at)["Mandate"] == "substitution"
    mandate = rules_copy / "mandate.yaml"
    original = mandate.read_text()
    mandate.write_text(original.replace("- mandate: substitution", "- mandate: monitoring"))
    at.run()
    assert figures(at)["Mandate"] == "monitoring"
    mandate.write_text(original.replace("at_most: limited", "at_most: limitd"))
    at.run()
    warning = " ".join(w.value for w in at.warning)
    assert "still serving" in warning and "limitd" in warning
    assert figures(at)["Mandate"] == "monitoring"  # last good version
    mandate.write_text(original)
    at.run()
    assert not any("still serving" in w.value for w in at.warning)
    assert figures(at)["Mandate"] == "substitution"


def test_a_fact_change_picks_up_edited_rule_files_in_headline_and_advice(rules_copy):
    # A fact change reruns the Workspace's board (headline, editor, design) in its fragment, not
    # app.py: the fragment's own check of the rule files must serve the edited version. The change
    # is run as the browser runs it, the board's fragment alone (edit_in_board); a full run would
    # pass through app.py's check and prove nothing. The browser journey
    # test_rule_files_edited_on_disk_reach_a_fact_change_and_a_panel_opened_alone covers a panel
    # opened alone.
    at = preset(start(), "Interim administration")
    edit_in_board(at, "interim_administration", "no")  # the first change gives Undo a target: a full run
    mandate = rules_copy / "mandate.yaml"
    original = mandate.read_text()
    mandate.write_text(original.replace("- mandate: substitution", "- mandate: monitoring"))
    edit_in_board(at, "interim_administration", "yes")
    edited = advise(load_rulebase(rules_copy, FIX / "knowledge"), at.session_state["scenario"])
    assert edited.mandate == "monitoring"
    assert figures(at)["Mandate"] == "monitoring"
    assert at.session_state["_advice_last"][2].mandate == "monitoring"  # what the board drew
    mandate.write_text(original)
    at.run()
    assert not at.exception, at.exception
    # Restored on disk, the next interaction serves the original version again.
    assert figures(at)["Mandate"] == "substitution"


def test_a_rule_base_that_never_loaded_is_reported_not_crashed(rules_copy):
    (rules_copy / "mandate.yaml").write_text("topic: mandate\nrules:\n  - id: Bad Id\n")
    at = start()
    assert any("does not load" in e.value for e in at.error)
