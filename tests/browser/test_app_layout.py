"""Layout in a real browser at 800 and 1400 px: the headline and the advice panel pills fit, nothing is
cut with an ellipsis, and the first load names the preset it loaded. Screenshots go to
docs/screenshots/."""

from __future__ import annotations

import pytest
from app_browser import ROOT, at_rest, choose, open_app, settle

pytestmark = pytest.mark.browser

SHOTS = ROOT / "docs" / "screenshots"

# Every box of the elements matched, against the viewport; and whether any of them (or a
# descendant) cuts its text: content wider than its box, with overflow hidden or an ellipsis.
BOXES = """(sel) => [...document.querySelectorAll(sel)].map(e => {
  const r = e.getBoundingClientRect();
  const cut = [e, ...e.querySelectorAll('*')].filter(x => x.scrollWidth > x.clientWidth + 1 &&
      getComputedStyle(x).overflowX !== 'visible').map(x => x.innerText.trim()).filter(Boolean);
  return {text: e.innerText.trim(), left: r.left, right: r.right, top: r.top, bottom: r.bottom, cut};
})"""


def boxes(page, selector: str) -> list[dict]:
    return page.evaluate(BOXES, selector)


@pytest.fixture(params=[800, 1400], ids=lambda w: f"{w}px")
def width(request, page):
    page.set_viewport_size({"width": request.param, "height": 1000})
    return request.param


def test_first_load_names_the_loaded_preset(page, app_url, width):
    open_app(page, app_url)
    shown = page.get_by_role("combobox", name="Start from a preset (an archetype scenario)", exact=True)
    name = page.locator("[data-testid='stSidebar']").get_by_text("Scenario:").locator("..").inner_text()
    name = name.split("Scenario:", 1)[1].strip()
    # The selector's text box shows the chosen option (the placeholder only when it is empty).
    assert name and shown.input_value() == name


def test_headline_and_panel_pills_fit_without_cutting(page, app_url, width, tmp_path):
    open_app(page, app_url)
    # The preset with the longest headline words ("strengthening"), the one cut at 800 px.
    choose(page, "Start from a preset (an archetype scenario)", "Vălenii strengthening (€ budget)")
    at_rest(page)
    values = boxes(page, ".ibm-value")  # the headline figures (advisor/ui/viewer.py)
    assert [v["text"] for v in values] == ["strengthening", "regional", "capital"]
    main = page.locator("[data-testid='stMain']").bounding_box()
    for v in values:
        assert not v["cut"], f"headline value cut at {width}px: {v}"
        assert main["x"] <= v["left"] and v["right"] <= main["x"] + main["width"], v
    # The advice panels are picked from a row of pills (a radio group) that wraps in its column.
    group = "[data-testid='stMain'] [role='radiogroup'][aria-label='Advice details']"
    pills = boxes(page, group + " [role='radio']")
    names = [t["text"] for t in pills]
    assert names[:4] == ["Objectives and tasks", "Partners", "Expertise and planning", "Warnings"]
    assert names[-1] == "Structure" and names[4].startswith("Unknowns (")
    bar = boxes(page, group)[0]
    for t in pills:
        assert not t["cut"], t
        assert bar["left"] <= t["left"] and t["right"] <= bar["right"] + 0.5, (
            f"panel pill out of sight at {width}px: {t}"
        )
    # Every panel can be reached by a click, the last one too.
    page.get_by_role("radio", name="Structure").click()
    settle(page)
    assert page.get_by_role("radio", name="Structure").get_attribute("aria-checked") == "true"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("[data-testid='stMain']").screenshot(path=str(SHOTS / f"layout_workspace_{width}.png"))


def test_whatif_flips_table_shows_its_becomes_column_on_screen(page, app_url, width):
    open_app(page, app_url)
    choose(page, "Start from a preset (an archetype scenario)", "Vălenii strengthening (€ budget)")
    page.get_by_role("link", name="Why not / what if").click()
    page.get_by_role("tab", name="What single change flips it?").click()
    at_rest(page)
    table = page.locator("[data-testid='stTable']").filter(has=page.get_by_text("Becomes", exact=True)).first
    table.wait_for()
    heads = boxes(page, "[data-testid='stTable'] th")
    assert [h["text"] for h in heads] == ["Conclusion", "Now", "Change", "Becomes"]
    main = page.locator("[data-testid='stMain']").bounding_box()
    cells = boxes(page, "[data-testid='stTable'] td:last-child")
    assert cells and all(c["text"] for c in cells)
    for box in heads + cells:
        # Inside the main area and not cut: the last column can be read without scrolling sideways.
        assert main["x"] <= box["left"] and box["right"] <= main["x"] + main["width"] + 0.5, f"{width}px: {box}"
        assert not box["cut"], box
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("[data-testid='stMain']").screenshot(path=str(SHOTS / f"layout_whatif_flips_{width}.png"))
