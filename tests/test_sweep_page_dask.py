"""The Sweep page on Dask (ADVISOR_DASK): a real LocalCluster of worker processes gives the
same pivot as the in-process sweep; bad or unreachable settings are messages, not tracebacks."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

pytest.importorskip("distributed")

HERE = Path(__file__).resolve().parent
PAGE = "../app_pages/sweep.py"
CHAIN = HERE / "fixtures" / "rulebases" / "chain"
PRESETS = HERE / "fixtures" / "sweep" / "presets"


@pytest.fixture
def page(monkeypatch):
    monkeypatch.setenv("ADVISOR_RULES", str(CHAIN / "rules"))
    monkeypatch.setenv("ADVISOR_KNOWLEDGE", str(CHAIN / "knowledge"))
    monkeypatch.setenv("ADVISOR_EXAMPLES", str(PRESETS))

    def make(dask: str | None) -> AppTest:
        if dask is None:
            monkeypatch.delenv("ADVISOR_DASK", raising=False)
        else:
            monkeypatch.setenv("ADVISOR_DASK", dask)
        # Starting a cluster of processes on a shared two-core machine can take a while.
        return AppTest.from_file(PAGE, default_timeout=240)

    return make


def shown(app):
    """The pivot (planner words) and the line saying where it was computed."""
    table = app.table[0].value
    return table.set_index(table.columns[0]), app.text[0].value


def choose(app):
    """A pivot whose cells differ (OSCE partner over consent and conflict status)."""
    app.selectbox(key="sweep_y").select("host_consent").run()
    app.selectbox(key="sweep_show").select("partner_osce").run()
    return app


@pytest.mark.slow
def test_local_cluster_of_processes_gives_the_in_process_pivot(page):
    here = choose(page(None).run())
    assert not here.exception and not here.toggle
    expected, where = shown(here)
    assert "Dask" not in where

    app = page("local:2").run()
    assert app.toggle(key="sweep_dask").value is True
    choose(app)
    assert not app.exception and not app.error, [e.value for e in app.error]
    table, where = shown(app)
    assert "computed on Dask (local:2)" in where
    assert table.equals(expected) and set(table.to_numpy().ravel()) == {"yes", "no"}
    assert not app.get("link_button")  # LocalCluster here serves no dashboard: no dead link

    app.toggle(key="sweep_dask").set_value(False).run()  # the user may still sweep in-process
    assert "Dask" not in shown(app)[1] and shown(app)[0].equals(expected)


def test_a_bad_setting_is_named_and_the_page_sweeps_here(page):
    app = page("local:zero").run()
    assert not app.exception and not app.error
    assert "ADVISOR_DASK" in app.warning[0].value and "local:N" in app.warning[0].value
    assert not app.toggle and "Dask" not in shown(app)[1]


def test_an_unreachable_scheduler_is_an_error_on_the_page(page):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    app = page(f"tcp://127.0.0.1:{port}").run()
    assert not app.exception
    assert "cannot reach the Dask scheduler" in app.error[0].value and not app.table
