"""The Sweep page inside the app (AppTest on app.py): the app's frame stays whole on every path.

app.py draws the sidebar's Undo and keeps the address bar after the page has run; a page that
ends the script (st.stop) when it has nothing to draw took the Undo button away with it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def sweep(app_fixture_env) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    at.switch_page("app_pages/sweep.py").run()
    assert not at.exception, at.exception
    yield at


def _undo(at: AppTest) -> list[str]:
    return [b.label for b in at.sidebar.button if b.key == "undo"]


def test_the_sweep_draws_its_table_and_the_undo_button(sweep):
    assert sweep.table and _undo(sweep) == ["Undo"]


@pytest.mark.parametrize(
    "change, said",
    [
        (lambda at: at.selectbox(key="sweep_y").select("conflict_status"), "Choose two different facts."),
        (lambda at: at.multiselect(key="sweep_x_values:conflict_status").set_value([]), "Choose at least one value"),
    ],
    ids=["same-fact-twice", "no-values"],
)
def test_a_sweep_with_nothing_to_draw_keeps_the_undo_button(sweep, change, said):
    change(sweep).run()
    assert not sweep.exception, sweep.exception
    assert any(m.value.startswith(said) for m in list(sweep.warning) + list(sweep.info))
    assert not sweep.table
    assert _undo(sweep) == ["Undo"]
