"""The Library and Records pages through AppTest on a real SQLite file."""
from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from advisor.store.library import Library
from advisor.store import db

APP = str(Path(__file__).resolve().parent.parent / "app.py")


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    monkeypatch.delenv("ADVISOR_DATABASE_URL", raising=False)
    monkeypatch.setenv("ADVISOR_DATA_DIR", str(tmp_path))
    st.cache_resource.clear()
    yield tmp_path
    st.cache_resource.clear()


def _page(at, name):
    at.switch_page(f"app_pages/{name}.py").run()
    assert not at.exception, at.exception
    return at


def test_save_restart_and_reopen(data_dir):
    at = _page(AppTest.from_file(APP, default_timeout=90).run(), "library")
    name = at.session_state["scenario"].name
    at.text_input(key="library_tags").input("kept")
    at.button(key="FormSubmitter:library_save-Save current scenario as a new version").click().run()
    assert not at.exception, at.exception
    assert any("Saved version 1" in s.value for s in at.success)
    # a new server process: only the database file remains
    st.cache_resource.clear()
    lib = Library(db.make_engine(f"sqlite:///{data_dir / 'advisor.sqlite3'}"))
    assert [(v.name, v.tags) for v in lib.list()] == [(name, ("kept",))]
    fresh = _page(AppTest.from_file(APP, default_timeout=90).run(), "library")
    assert list(fresh.dataframe[0].value["name"]) == [name]


def test_record_survives_page_changes(data_dir):
    at = _page(AppTest.from_file(APP, default_timeout=90).run(), "records")
    at.text_input(key="records_marking_in").input("EXERCISE ONLY").run()
    _page(at, "workspace")
    _page(at, "records")
    assert at.text_input(key="records_marking_in").value == "EXERCISE ONLY"
    at.button(key="records_add").click().run()
    assert not at.exception, at.exception
    recs = Library(db.make_engine(f"sqlite:///{data_dir / 'advisor.sqlite3'}")).records()
    assert [r.marking for r in recs] == ["EXERCISE ONLY"]
    assert any("same advice" in t.value for t in at.text)
