"""The app's chrome as planners see it (issue 14): no Deploy button, no developer menu.

Both ways of starting it: `streamlit run app.py` in the checkout (reads .streamlit/config.toml)
and `advisor app` started from another folder (passes the settings on its command line)."""

from __future__ import annotations

import sys
import urllib.request

import pytest
from app_browser import FIX, ROOT, free_port, launch, open_app, stop, wait_healthy

pytestmark = pytest.mark.browser


def no_developer_chrome(page) -> None:
    assert page.get_by_role("button", name="Deploy").count() == 0
    assert page.locator("[data-testid='stAppDeployButton']").count() == 0
    page.locator("[data-testid='stMainMenu'] button").first.click()
    menu = page.locator("[data-testid='stMainMenuPopover']").inner_text()
    # Developer entries ("Clear cache", "Rerun" with its shortcut, "Deploy this app") are gone.
    assert "Clear cache" not in menu and "Deploy" not in menu, menu


def test_checkout_app_hides_the_developer_chrome(page, app_url):
    open_app(page, app_url)
    no_developer_chrome(page)


def test_advisor_app_from_another_folder_hides_the_developer_chrome(page, tmp_path):
    port = free_port()
    env = dict(
        PYTHONPATH=str(ROOT),
        ADVISOR_RULES=str(FIX / "rules"),
        ADVISOR_KNOWLEDGE=str(FIX / "knowledge"),
        ADVISOR_EXAMPLES=str(FIX / "examples"),
    )
    proc = launch([sys.executable, "-m", "advisor", "app", "--headless", "--port", str(port)], env, cwd=tmp_path)
    url = f"http://localhost:{port}"
    try:
        wait_healthy(proc, url)
        open_app(page, url)
        no_developer_chrome(page)
    finally:
        stop(proc)
    # Stopping `advisor app` stops the server: it is the server (exec), not its parent.
    with pytest.raises(OSError):
        urllib.request.urlopen(url + "/_stcore/health", timeout=2)
