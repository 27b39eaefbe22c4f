"""The Rule lab's Publish in the real app (AppTest), on SQLite and PostgreSQL, serving a real
shared rule base in tmp: an author's publish is served on the next interaction; a reader's and
a planner's are refused by the Library; failing rule tests and a stale draft are shown, located."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from advisor.store.library import Library
from advisor.store.roles import Actor
from advisor.store.rulestore import RuleStore

HERE = Path(__file__).resolve().parent
APP = str(HERE.parent / "app.py")
RULES, KNOWLEDGE = HERE.parent / "rules", HERE.parent / "knowledge"
FIXTURES = HERE / "fixtures" / "publish"


@pytest.fixture
def served(engine, tmp_path, monkeypatch):
    """A server whose ADVISOR_RULES is the shared rule base (version 1, the project's rules)."""
    monkeypatch.setenv("ADVISOR_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("ADVISOR_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ADVISOR_AUTH", "single")
    store = RuleStore()
    Library(engine, actor=Actor("ops", "admin")).publish(store, {}, expected=0, knowledge_dir=KNOWLEDGE, seed=RULES)
    monkeypatch.setenv("ADVISOR_RULES", str(store.served))
    monkeypatch.setenv("ADVISOR_KNOWLEDGE", str(KNOWLEDGE))
    st.cache_resource.clear()
    yield engine, store
    st.cache_resource.clear()


def _as(tmp_path, monkeypatch, user, role):
    path = tmp_path / "roles.yaml"
    path.write_text(f"{user}: {role}\n", encoding="utf-8")
    monkeypatch.setenv("ADVISOR_ROLES", str(path))
    monkeypatch.setenv("ADVISOR_USER", user)


def _editing(text: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.switch_page("app_pages/rulelab.py").run()
    at.selectbox(key="lab_base").select("hq.yaml").run()
    edited = text if text is not None else at.text_area(key="lab_text").value + "# clearer HQ note\n"
    at.text_area(key="lab_text").input(edited).run()
    assert not at.exception, at.exception
    return at


def test_an_author_publishes_and_the_server_serves_it(served, tmp_path, monkeypatch):
    engine, store = served
    _as(tmp_path, monkeypatch, "ann", "author")
    at = _editing()
    before = at.session_state["_rulebase"]
    at.button(key="store_publish").click().run()
    assert not at.exception, at.exception
    assert any("Published version 2" in s.value for s in at.success), [e.value for e in at.error]
    at.run()  # the next interaction: the live rule base has reloaded the published version
    now = at.session_state["_rulebase"]
    assert now.sha256 == store.get(2).sha256 != before.sha256
    assert now.version == store.get(2).version != before.version
    assert (store.served / "hq.yaml").read_text(encoding="utf-8").endswith("# clearer HQ note\n")
    assert Library(engine).audit_log()[-1].actor == "ann"


@pytest.mark.parametrize("role", ["reader", "planner"])
def test_a_reader_or_planner_is_refused_by_the_library(served, tmp_path, monkeypatch, role):
    _engine, store = served
    _as(tmp_path, monkeypatch, "pat", role)
    at = _editing()
    at.button(key="store_publish").click().run()  # the button is there: refusing is the Library's job
    assert not at.exception, at.exception
    assert any(f"'pat' is a {role}; to publish you need the role author" in e.value for e in at.error)
    assert store.current() == 1 and not any("Published" in s.value for s in at.success)


def test_failing_rule_tests_are_shown_by_file_and_line(served, tmp_path, monkeypatch):
    _engine, store = served
    _as(tmp_path, monkeypatch, "ann", "author")
    at = _editing((FIXTURES / "breaks_a_rule_test.yaml").read_text(encoding="utf-8"))
    at.button(key="store_publish").click().run()
    assert not at.exception, at.exception
    assert any("Not published" in e.value for e in at.error)
    rows = at.dataframe[-1].value  # the publish problems come last on the page
    assert set(rows["file"]) == {"tests/headline.yaml"} and rows["line"].notna().all()
    assert store.current() == 1


def test_a_draft_from_a_version_no_longer_in_service_is_refused(served, tmp_path, monkeypatch):
    engine, store = served
    _as(tmp_path, monkeypatch, "ann", "author")
    at = _editing()
    Library(engine, actor=Actor("bob", "author")).publish(
        store,
        {"mandate.yaml": (RULES / "mandate.yaml").read_text(encoding="utf-8") + "# bob\n"},
        expected=1,
        knowledge_dir=KNOWLEDGE,
    )
    at.button(key="store_publish").click().run()
    assert any("version 2 is in service, but this draft started from version 1" in e.value for e in at.error)
    assert store.current() == 2
