"""One headless Chromium for the whole test session (registered in conftest.py).

Playwright's sync API runs its own event loop: a second `sync_playwright()` while the
first is open fails ("Sync API inside the asyncio loop"), so the browser journeys and the
login tests share this one.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "browser"))
from app_browser import CHROMIUM_ARGS  # noqa: E402


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield b
        b.close()
