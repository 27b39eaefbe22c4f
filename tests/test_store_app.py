"""The store inside the real app (AppTest), on a real SQLite file and a real PostgreSQL database:
the Library and Records pages, the Workspace's save, the Briefing page's record and marking,
and the Rule lab's draft kept across a reload."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from advisor.report import build_briefing, render
from advisor.ruleset import load_rulebase
from advisor.scenario import from_mapping
from advisor.service import advise
from advisor.store.app import SAVE_BOX
from advisor.store.library import Library

APP = str(Path(__file__).resolve().parent.parent / "app.py")
WS_SAVE = "FormSubmitter:store_ws_save-Save current scenario as a new version"


@pytest.fixture
def served(engine, tmp_path, monkeypatch):
    """The app's database is `engine`'s; single-user mode named explicitly (a URL means team mode)."""
    monkeypatch.setenv("ADVISOR_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("ADVISOR_AUTH", "single")
    monkeypatch.setenv("ADVISOR_USER", "pat")
    monkeypatch.delenv("ADVISOR_ROLES", raising=False)
    st.cache_resource.clear()
    yield engine
    st.cache_resource.clear()


def _roles(tmp_path, monkeypatch, **roles):
    path = tmp_path / "roles.yaml"
    path.write_text("".join(f"{k}: {v}\n" for k, v in roles.items()), encoding="utf-8")
    monkeypatch.setenv("ADVISOR_ROLES", str(path))


def _app():
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state[SAVE_BOX] = True  # open "Save to library": its form is drawn only while open
    at.run()
    assert not at.exception, at.exception
    return at


def _page(at, name):
    at.switch_page(f"app_pages/{name}.py").run()
    assert not at.exception, at.exception
    return at


def test_save_restart_and_reopen(served):
    at = _page(_app(), "library")
    name = at.session_state["scenario"].name
    at.text_input(key="library_tags").input("kept")
    at.button(key="FormSubmitter:library_save-Save current scenario as a new version").click().run()
    assert not at.exception, at.exception
    assert any("Saved version 1" in s.value for s in at.success)
    # a new server process: only the database remains
    st.cache_resource.clear()
    served.dispose()
    assert [(v.name, v.tags, v.author) for v in Library(served).list()] == [(name, ("kept",), "pat")]
    fresh = _page(_app(), "library")
    assert list(fresh.dataframe[0].value["name"]) == [name]
    fresh.button(key="library_open").click().run()
    assert fresh.session_state["scenario"].to_dict() == at.session_state["scenario"].to_dict()


def test_record_survives_page_changes(served):
    at = _page(_app(), "records")
    at.text_input(key="records_marking_in").input("EXERCISE ONLY").run()
    _page(at, "workspace")
    _page(at, "records")
    assert at.text_input(key="records_marking_in").value == "EXERCISE ONLY"
    at.button(key="records_add").click().run()
    assert not at.exception, at.exception
    assert [r.marking for r in Library(served).records()] == ["EXERCISE ONLY"]
    assert any("same advice" in t.value for t in at.text)


def test_workspace_save_form_is_drawn_only_while_its_expander_is_open(served):
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert WS_SAVE not in [b.key for b in at.button]  # closed: a fact change does not redraw the form
    at.session_state[SAVE_BOX] = True
    at.run()
    assert not at.exception, at.exception
    assert WS_SAVE in [b.key for b in at.button]


def test_workspace_save_is_refused_for_a_reader_by_the_library(served, tmp_path, monkeypatch):
    _roles(tmp_path, monkeypatch, pat="reader")
    at = _app()
    at.button(key=WS_SAVE).click().run()
    assert not at.exception, at.exception
    assert any("'pat' is a reader" in e.value for e in at.error), [e.value for e in at.error]
    assert Library(served).list() == ()


def test_workspace_save_tells_of_a_concurrent_save_and_keeps_both(served, tmp_path, monkeypatch):
    _roles(tmp_path, monkeypatch, pat="planner")
    at = _app()
    mine = at.session_state["scenario"]
    at.text_input(key="store_ws_note").input("first")
    at.button(key=WS_SAVE).click().run()
    assert any("Saved version 1" in s.value for s in at.success)
    # someone else saves version 2 with consent withdrawn, from another session
    theirs = Library(served).save(mine.with_value("host_consent", False), name=mine.name, author="other", expected=1)
    at.button(key=WS_SAVE).click().run()
    assert not at.exception, at.exception
    assert any("is at version 2" in e.value for e in at.error)
    shown = "\n".join(t.value for t in at.text)
    assert "Version 2 by other" in shown and "differing facts: host consent" in shown
    at.button(key="store_ws_save_anyway").click().run()
    history = Library(served).versions(mine.name)
    assert [(v.number, v.author) for v in history] == [(1, "pat"), (2, "other"), (3, "pat")]
    assert history[1].facts == theirs.facts and history[2].facts == mine.to_dict()


def test_briefing_marking_kept_across_pages_and_recorded_with_hashes(served):
    at = _page(_app(), "briefing")
    at.text_input(key="marking").input("EXERCISE ONLY").run()
    _page(at, "compare")
    _page(at, "briefing")
    assert at.text_input(key="marking").value == "EXERCISE ONLY"
    at.button(key="store_record").click().run()
    assert not at.exception, at.exception
    (rec,) = Library(served).records()
    assert rec.marking == "EXERCISE ONLY" and rec.author == "pat"
    assert sorted(Path(f).suffix for f in rec.files) == [".docx", ".md", ".pdf"]
    # the Markdown document built apart from the app, for the scenario the record holds
    scen = from_mapping(dict(rec.scenario))
    own = render(build_briefing(advise(load_rulebase(), scen), "EXERCISE ONLY"), "md")
    md = next(h for f, h in rec.files.items() if f.endswith(".md"))
    assert md == hashlib.sha256(own).hexdigest()


def test_rulelab_draft_reopens_after_a_reload(served):
    at = _page(_app(), "rulelab")
    at.selectbox(key="lab_base").select("mandate.yaml").run()
    edited = at.text_area(key="lab_text").value + "# a planner's draft note\n"
    assert edited != at.text_area(key="lab_text").value
    at.text_area(key="lab_text").input(edited).run()
    at.run()  # the draft is written at the start of the run after the edit
    # a reload: a new session, and a new server process
    st.cache_resource.clear()
    fresh = _page(_app(), "rulelab")
    assert not [t for t in fresh.text_area if t.key == "lab_text"]  # a fresh session starts clean
    reopen = next(b for b in fresh.button if b.key == "store_reopen_rulelab")
    reopen.click().run()
    assert not fresh.exception, fresh.exception
    assert fresh.text_area(key="lab_text").value == edited


def test_briefing_marking_survives_a_reload_per_user(served, monkeypatch):
    at = _page(_app(), "briefing")
    at.text_input(key="marking").input("EXERCISE ONLY – Blue Sky").run()
    at.run()
    # a reload: a new session, and a new server process
    st.cache_resource.clear()
    fresh = _page(_app(), "briefing")
    assert fresh.text_input(key="marking").value == "EXERCISE ONLY – Blue Sky"
    fresh.text_input(key="marking").input("").run()  # cleared on purpose stays cleared
    st.cache_resource.clear()
    assert _page(_app(), "briefing").text_input(key="marking").value == ""
    # another user's marking is their own
    fresh.text_input(key="marking").input("RESTRICTED").run()
    monkeypatch.setenv("ADVISOR_USER", "rita")
    st.cache_resource.clear()
    assert _page(_app(), "briefing").text_input(key="marking").value == ""
    monkeypatch.setenv("ADVISOR_USER", "pat")
    assert _page(_app(), "briefing").text_input(key="marking").value == "RESTRICTED"
