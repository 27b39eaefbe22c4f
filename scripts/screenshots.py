"""Take the screenshots in docs/screenshots/ on the REAL rule base (rules/, knowledge/)
and the real presets (examples/), in headless Debian Chromium driven by Playwright.

    python scripts/screenshots.py [OUT_DIR]      (default: docs/screenshots)

The browser tests take their own screenshots into a temporary folder; only this script
writes the documentation's pictures, so running the tests never changes the tree.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "browser"))
from app_browser import CHROMIUM_ARGS, choose, open_app, serve, settle, stop  # noqa: E402

WORKSPACE = "Interim administration with partly functioning local border police"
OTHER = "Monitoring a ceasefire along disputed boundary lines"
PRESET_BOX = "Start from a preset (an archetype scenario)"
ENV_VARS = ("ADVISOR_RULES", "ADVISOR_KNOWLEDGE", "ADVISOR_EXAMPLES")
# Streamlit loads each element's code on first use and draws a pulsing skeleton meanwhile; the
# pulse never ends, so settle() does not wait for it: a busy machine once left the sidebar's
# Undo as a blank pill in a Sweep picture.
SKELETON = "[data-testid='stSkeleton'], [data-testid='stSkeletonElement']"


def drawn(page) -> None:
    """Settled and every element's code loaded (no skeleton left): ready for a picture."""
    settle(page)
    page.wait_for_selector(SKELETON, state="detached")


def go(page, name: str, ready) -> None:  # ready: a locator that shows the page is there
    """Open a page from the sidebar; a click that lands during a rerun can be lost, so retry."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for attempt in range(3):
        settle(page)
        page.get_by_role("link", name=name).click()
        try:
            ready.wait_for(timeout=20_000)
            break
        except PlaywrightTimeout:
            if attempt == 2:
                raise
    settle(page)


def pick_for_compare(page, names) -> None:
    """Replace the Compare page's default choice by the given entries (names or patterns), in order."""
    box = page.locator("[data-testid='stMultiSelect']").first
    box.get_by_role("button", name="Clear all").click()
    settle(page)
    for name in names:
        box.get_by_role("combobox").click()
        page.get_by_role("option", name=name, exact=True).click()  # exact is ignored for a pattern
        settle(page)
    page.keyboard.press("Escape")
    settle(page)


def take(page, out: Path) -> list[Path]:
    shots = []

    def shot(name: str, target=None, **kw) -> None:
        path = out / name
        drawn(page)
        (target or page).screenshot(path=str(path), **kw)
        shots.append(path)

    main = page.locator("[data-testid='stMain']")
    open_app(page, page.app_url)
    choose(page, PRESET_BOX, WORKSPACE)
    shot("workspace.png")

    go(page, "Why not / what if", page.get_by_role("tab", name="Why not…?"))
    choose(page, "Alternative", "monitoring")
    main.get_by_text("Status:").first.wait_for()
    shot("whatif.png")

    go(page, "Compare", page.get_by_text("Why the advice differs"))
    pick_for_compare(page, [re.compile("^Current: "), f"Preset: {OTHER}"])  # the current one by its name
    page.set_viewport_size({"width": 1400, "height": 2400})  # the table, the facts and the first traces
    settle(page)
    page.get_by_text("Why the advice differs").wait_for()
    shot("compare.png")
    page.set_viewport_size({"width": 1400, "height": 1000})

    go(page, "Briefing export", page.get_by_text("Preview"))
    page.get_by_label(re.compile("^Marking or caveat")).fill("EXERCISE ONLY – not an EU position")
    page.keyboard.press("Enter")
    settle(page)
    shot("briefing.png")

    go(page, "Rule lab", page.get_by_role("tab", name="Browse rules"))
    box = page.get_by_role("combobox", name="Open a rule", exact=True)
    box.click()
    box.fill("mandate.substitution")
    page.get_by_role("option", name="mandate.substitution", exact=True).click()
    settle(page)
    page.locator("[data-testid='stCode']").first.wait_for()
    page.set_viewport_size({"width": 1400, "height": 1500})  # down to the rule's source
    settle(page)
    shot("rulelab.png")
    return shots


def take_rationale(page, out: Path) -> Path:
    """The concluded mandate's why-tree and rule-chain graph at full page width (Why not page)."""
    open_app(page, page.app_url)
    choose(page, PRESET_BOX, WORKSPACE)
    go(page, "Why not / what if", page.get_by_role("tab", name="Why not…?"))
    choose(page, "Alternative", "substitution")
    page.locator("[data-testid='stCheckbox']").filter(has_text="Show the rule-chain graph").first.click()
    settle(page)
    page.locator("[data-testid='stGraphVizChart'] svg").first.wait_for()
    path = out / "rationale.png"
    drawn(page)
    page.locator("[data-testid='stTabs']").first.screenshot(path=str(path))
    return path


def take_sweep(page, out: Path) -> list[Path]:
    """The Sweep page down to its heat map, at 1400 and at 800 px wide (the width that cut it)."""
    shots = []
    open_app(page, page.app_url)
    choose(page, PRESET_BOX, WORKSPACE)
    go(page, "Sweep", page.locator("[data-testid='stVegaLiteChart']"))
    for width, name in ((1400, "sweep.png"), (800, "sweep_800.png")):
        page.set_viewport_size({"width": width, "height": 1500 if width == 800 else 1200})
        drawn(page)
        page.wait_for_timeout(500)  # the heat map's canvas is redrawn for the new width
        path = out / name
        page.screenshot(path=str(path))
        shots.append(path)
    page.set_viewport_size({"width": 1400, "height": 1000})
    return shots


def main(argv: list[str]) -> int:
    from playwright.sync_api import sync_playwright

    out = Path(argv[0]) if argv else ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    env = {k: "" for k in ENV_VARS if k in os.environ}  # empty means the project's own folders
    proc, url = serve(ROOT / "app.py", env)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            pages = []
            for scale in (1, 2):  # the graph's labels are small: its picture at twice the pixels
                context = browser.new_context(viewport={"width": 1400, "height": 1000}, device_scale_factor=scale)
                page = context.new_page()
                page.set_default_timeout(60_000)
                page.app_url = url
                pages.append(page)
            for path in take(pages[0], out) + take_sweep(pages[0], out) + [take_rationale(pages[1], out)]:
                print(path)
            browser.close()
    finally:
        stop(proc)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
