"""A way back: browser Back/Forward follows the address, Undo restores the previous scenario,
and a bad link stays in the address bar with its error (AppTest, the real app)."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from advisor.ui import config

APP = str(Path(__file__).resolve().parent.parent / "app.py")
FIX = Path(__file__).resolve().parent / "fixtures" / "app"


@pytest.fixture(autouse=True)
def fixture_rule_base(monkeypatch):
    monkeypatch.setenv(config.ENV_RULES, str(FIX / "rules"))
    monkeypatch.setenv(config.ENV_KNOWLEDGE, str(FIX / "knowledge"))
    monkeypatch.setenv(config.ENV_EXAMPLES, str(FIX / "examples"))
    st.cache_resource.clear()
    yield
    st.cache_resource.clear()


def start(**params) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for k, val in params.items():
        at.query_params[k] = val
    at.run()
    assert not at.exception, at.exception
    return at


def name(at: AppTest) -> str:
    return at.session_state["scenario"].name


def presets(at: AppTest) -> list[str]:
    return list(at.selectbox(key="preset").options)


def test_undo_restores_the_scenario_before_the_last_change():
    at = start()
    first = name(at)
    assert at.button(key="undo").disabled
    other = next(p for p in presets(at) if p not in (first,) and not p.startswith("Choose"))
    at.selectbox(key="preset").select(other).run()
    assert name(at) != first
    assert not at.button(key="undo").disabled
    at.button(key="undo").click().run()
    assert not at.exception, at.exception
    assert name(at) == first
    assert at.query_params["name"] == [first] or at.query_params["name"] == first


def test_back_in_the_browser_restores_the_previous_scenario():
    at = start()
    first, first_link = name(at), dict(at.query_params)
    other = next(p for p in presets(at) if p != first and not p.startswith("Choose"))
    at.selectbox(key="preset").select(other).run()
    assert name(at) != first
    # Back: the browser puts the previous address in place and the app reruns with it.
    at.query_params.clear()
    for k, val in first_link.items():
        at.query_params[k] = val[0] if isinstance(val, list) else val
    at.run()
    assert not at.exception, at.exception
    assert name(at) == first


def test_a_bad_link_stays_in_the_address_bar_with_its_error():
    at = start(host_authority="partial")
    assert any("host_authority" in e.value and "partial" in e.value for e in at.error)
    at.run()  # a rerun must not replace the link by the preset's
    link = at.query_params["host_authority"]
    assert (link[0] if isinstance(link, list) else link) == "partial"
    # Correcting it in the address bar takes effect.
    at.query_params["host_authority"] = "functioning"
    at.run()
    assert not at.error
    assert at.session_state["scenario"].get("host_authority") == "functioning"


def open_page(at: AppTest, page: str) -> AppTest:
    return at.switch_page(f"app_pages/{page}.py").run()


EARLY_ENDS = {  # a page reached in a state where it has nothing more to draw
    "rulelab-no-file": lambda at: open_page(at, "rulelab"),
    "rulelab-bad-name": lambda at: (
        open_page(at, "rulelab")
        .selectbox(key="lab_base")
        .select_index(0)
        .run()
        .text_input(key="lab_name")
        .input("notyaml.txt")
        .run()
    ),
    "compare-too-few": lambda at: open_page(at, "compare").multiselect(key="compare_pick").set_value([]).run(),
}


@pytest.mark.parametrize("reach", EARLY_ENDS.values(), ids=EARLY_ENDS.keys())
def test_a_page_with_nothing_more_to_show_keeps_the_frame(reach):
    """A page that ends early must not end app.py with it (st.stop() did): the sidebar's Undo
    is still drawn after the page."""
    at = start()
    at.selectbox(key="preset").select(presets(at)[1]).run()
    reach(at)
    assert not at.exception, at.exception
    undo = [b for b in at.sidebar.button if b.key == "undo"]
    assert undo and undo[0].label.startswith("Undo: back to"), [b.key for b in at.sidebar.button]
