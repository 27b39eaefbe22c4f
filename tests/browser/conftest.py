"""Fixtures for the browser journeys (helpers live in app_browser.py, a unique module name)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from app_browser import FIX, ROOT, serve, stop  # noqa: E402


@pytest.fixture(scope="session")
def app_url():
    proc, url = serve(
        ROOT / "app.py",
        {
            "ADVISOR_RULES": str(FIX / "rules"),
            "ADVISOR_KNOWLEDGE": str(FIX / "knowledge"),
            "ADVISOR_EXAMPLES": str(FIX / "examples"),
        },
    )
    yield url
    stop(proc)


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    pg = context.new_page()
    pg.set_default_timeout(60_000)
    yield pg
    context.close()
