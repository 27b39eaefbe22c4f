"""Rule lab editor: the right line for an unclosed quote, no server paths, drafts that survive page changes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from advisor.ui import config
from advisor.ui.editing import unclosed_quote_line

APP = str(Path(__file__).resolve().parent.parent / "app.py")
FIX = Path(__file__).resolve().parent / "fixtures" / "app"


@pytest.fixture
def lab(tmp_path, monkeypatch):
    shutil.copytree(FIX / "rules", tmp_path / "rules")
    monkeypatch.setenv(config.ENV_RULES, str(tmp_path / "rules"))
    monkeypatch.setenv(config.ENV_KNOWLEDGE, str(FIX / "knowledge"))
    monkeypatch.setenv(config.ENV_EXAMPLES, str(FIX / "examples"))
    st.cache_resource.clear()
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page("app_pages/rulelab.py").run()
    at.selectbox(key="lab_base").select("mandate.yaml").run()
    assert not at.exception, at.exception
    yield at, tmp_path
    st.cache_resource.clear()


def with_open_quote(text: str, line: int) -> str:
    lines = text.splitlines()
    lines[line - 1] += ' "an unclosed quote'
    return "\n".join(lines) + "\n"


def test_an_unterminated_quote_is_reported_on_its_own_line_without_server_paths(lab):
    at, root = lab
    good = at.text_area(key="lab_text").value
    at.text_area(key="lab_text").input(with_open_quote(good, 5)).run()
    assert any("does not validate" in e.value for e in at.error)
    problems = at.dataframe[-1].value
    assert problems["line"].tolist()[0] == 5
    assert "not closed" in problems["problem"].tolist()[0]
    shown = " ".join(map(str, problems.to_numpy().ravel()))
    assert str(root) not in shown and "rules/mandate.yaml" in shown


@pytest.mark.parametrize("path", sorted((FIX / "rules").glob("*.yaml")), ids=lambda p: p.name)
def test_valid_rule_files_have_no_unclosed_quote(path):
    assert unclosed_quote_line(path.read_text(encoding="utf-8"), None) is None


def test_a_draft_survives_a_visit_to_another_page(lab):
    at, _ = lab
    edited = at.text_area(key="lab_text").value.replace("priority: 90", "priority: 11")
    at.text_area(key="lab_text").input(edited).run()
    at.switch_page("app_pages/workspace.py").run()
    at.switch_page("app_pages/rulelab.py").run()
    assert not at.exception, at.exception
    assert at.text_area(key="lab_text").value == edited
    assert any(c.language == "yaml" for c in at.code)  # the line-numbered view of the draft


def test_the_drafts_advice_shows_the_drafts_headline(lab):
    # "Advice with your draft" draws a headline of its own (key headline:lab), which must be the
    # draft's: here a draft that turns the substitution rule into a monitoring one.
    import json

    from advisor.ui.glance import View
    from support import figures

    at, _ = lab
    at.switch_page("app_pages/workspace.py").run()
    at.selectbox(key="preset").select("Interim administration").run()
    at.switch_page("app_pages/rulelab.py").run()
    at.selectbox(key="lab_base").select("mandate.yaml").run()
    assert figures(at).get("Mandate") in (None, "substitution")
    draft = at.text_area(key="lab_text").value.replace("- mandate: substitution", "- mandate: monitoring")
    at.text_area(key="lab_text").input(draft).run()
    assert not at.exception, at.exception
    lab_views = [View.from_data(json.loads(e.proto.json)) for e in at.get("bidi_component") if e.key == "headline:lab"]
    assert lab_views and {f.label: f.value for f in lab_views[0].figures}["Mandate"] == "monitoring"
