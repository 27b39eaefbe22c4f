"""Fixtures for the browser journeys (helpers live in app_browser.py, a unique module name)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from app_browser import CHROMIUM_ARGS, FIX, ROOT, serve, stop  # noqa: E402


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


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    pg = context.new_page()
    pg.set_default_timeout(60_000)
    yield pg
    context.close()
