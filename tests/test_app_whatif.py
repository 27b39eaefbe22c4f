"""The What-if page's tabs through AppTest: only the open tab is drawn, and each can be opened."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Block

ROOT = Path(__file__).resolve().parent.parent
FIX = Path(__file__).resolve().parent / "fixtures" / "app"
# The fixture preset with flips, target solutions and unknowns that matter: every tab has content.
PRESET = "Vălenii strengthening (€ budget)"
TAB_KEY = "whatif_tab"


def _keys(block: Block, kind: str, prefix: str) -> list[str]:
    return [w.key for w in getattr(block, kind) if w.key and w.key.startswith(prefix)]


# What shows that a tab's own content was drawn, read from inside that tab only.
DRAWN = {
    "Why not…?": lambda tab: _keys(tab, "selectbox", "whynot_slot"),
    "What single change flips it?": lambda tab: [c for c in tab.caption if "single changes tried" in c.value],
    "Make it…": lambda tab: _keys(tab, "selectbox", "target_slot"),
    "Unknowns that matter": lambda tab: _keys(tab, "button", "missing:"),
    "Rule-chain graph": lambda tab: _keys(tab, "selectbox", "graph_target") and list(tab.get("graphviz_chart")),
}


@pytest.fixture
def whatif(app_fixture_env) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    at.selectbox(key="preset").select(PRESET).run()
    at.switch_page("app_pages/whatif.py").run()
    assert not at.exception, at.exception
    yield at


def _tabs(at: AppTest) -> dict[str, Block]:
    tabs = {t.label: t for t in at.tabs if t.label in DRAWN}
    assert list(tabs) == list(DRAWN), [t.label for t in at.tabs]
    return tabs


def _only_drawn(at: AppTest, label: str) -> None:
    for name, tab in _tabs(at).items():
        if name == label:
            assert DRAWN[name](tab), f"the open tab {name!r} drew nothing of its own"
        else:
            assert not tab.children, f"{name!r} was drawn while {label!r} was open"


def test_the_first_tab_is_open_and_the_others_are_not_drawn(whatif):
    _only_drawn(whatif, "Why not…?")


@pytest.mark.parametrize("label", list(DRAWN))
def test_each_tab_opens_and_only_it_is_drawn(whatif, label):
    whatif.session_state[TAB_KEY] = label  # what clicking the tab sets
    whatif.run()
    assert not whatif.exception, whatif.exception
    _only_drawn(whatif, label)


def _flip_changes(at: AppTest) -> list[str]:
    frames = [getattr(t.value, "data", t.value) for t in at.table]  # a Styler keeps its frame in .data
    return list(next(f for f in frames if "Becomes" in f.columns)["Change"])


def test_answers_kept_for_a_scenario_follow_a_change_of_it(whatif):
    """The tabs keep their answers per advice shown: reopening a tab reuses them, and a changed
    scenario (here, an unknown answered in one click) is answered afresh, never from the old one."""
    from advisor.explain import flips
    from advisor.explain.render import render
    from advisor.ruleset import load_rulebase

    whatif.session_state[TAB_KEY] = "What single change flips it?"
    whatif.run()
    before = _flip_changes(whatif)
    whatif.session_state[TAB_KEY] = "Unknowns that matter"
    whatif.run()
    whatif.session_state[TAB_KEY] = "What single change flips it?"
    whatif.run()
    assert _flip_changes(whatif) == before  # reopened: the same answer
    whatif.session_state[TAB_KEY] = "Unknowns that matter"
    whatif.run()
    answer = next(b.key for b in whatif.button if b.key and b.key.startswith("missing:"))
    whatif.button(key=answer).click().run()
    whatif.session_state[TAB_KEY] = "What single change flips it?"
    whatif.run()
    assert not whatif.exception, whatif.exception
    changed = whatif.session_state["scenario"]
    expected = flips(load_rulebase(FIX / "rules", FIX / "knowledge"), changed)
    shown = _flip_changes(whatif)
    assert len(shown) == len(expected.flips), render(expected)
    assert shown != before  # the answered fact changed what a single change flips
