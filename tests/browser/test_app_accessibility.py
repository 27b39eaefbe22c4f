"""axe-core (bundled by axe-playwright-python) on every page in real Chromium: no serious or
critical violations, at 1400 and 800 px. Screenshots go to docs/screenshots/."""
from __future__ import annotations

import json

import pytest
from app_browser import ROOT, settle

pytestmark = pytest.mark.browser

PAGES = ["", "whatif", "compare", "briefing", "rulelab", "sweep"]
SHOTS = ROOT / "docs" / "screenshots"


@pytest.mark.parametrize("width", [1400, 800])
@pytest.mark.parametrize("path", PAGES, ids=lambda p: p or "workspace")
def test_no_serious_axe_violations(page, app_url, path, width):
    from axe_playwright_python.sync_playwright import Axe

    page.set_viewport_size({"width": width, "height": 1000})
    page.goto(f"{app_url}/{path}")
    page.wait_for_selector("h1")
    settle(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"a11y_{path or 'workspace'}_{width}.png"), full_page=True)
    results = Axe().run(page).response
    bad = [{"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"][:3]]}
           for v in results["violations"] if v["impact"] in ("serious", "critical")]
    assert not bad, json.dumps(bad, indent=1)
