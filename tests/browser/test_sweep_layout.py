"""The Sweep page in a real browser at 800 and 1400 px: every heat-map cell holds its text,
no serious or critical axe-core finding, and the sidebar's Undo button shows its label once
the page is drawn."""

from __future__ import annotations

import re

import numpy as np
import pytest
from app_browser import at_rest, settle
from PIL import Image

from advisor.sweep.view import PALETTE

pytestmark = pytest.mark.browser

# Streamlit loads each element's code on first use and shows a pulsing skeleton meanwhile; the
# pulse never ends, so at_rest does not wait for it (the blank Undo of an earlier screenshot).
SKELETON = "[data-testid='stSkeleton'], [data-testid='stSkeletonElement']"


def _runs(mask) -> list[tuple[int, int]]:
    """(first, last) index of each run of True in a 1-d mask."""
    edges = np.flatnonzero(np.diff(np.concatenate(([0], mask.astype(int), [0]))))
    return [(int(a), int(b) - 1) for a, b in zip(edges[::2], edges[1::2])]


def spills(png) -> tuple[int, int, list[tuple[int, int]]]:
    """Rows, columns, and the (row, column) cell borders that text is drawn across.

    The heat map is drawn on a canvas, so its text cannot be measured in the DOM; it is read
    from the picture instead. Cells are the palette's colours, split by white strokes. Near a
    cell's top edge there is no text, so each stroke column's pixels there are what the stroke
    looks like; anywhere lower in the row a pixel that differs from it is text run over the
    border from a neighbouring cell.
    """
    im = np.asarray(Image.open(png).convert("RGB")).astype(int)
    palette = np.array([[int(c[i : i + 2], 16) for i in (1, 3, 5)] for c in PALETTE])
    cell = (np.abs(im[:, :, None, :] - palette[None, None]) <= 4).all(axis=3).any(axis=2)
    # Across the row with the most cell colour: runs apart by a stroke (a few pixels) are the
    # cells; the legend's swatch, further off, is not.
    spans: list[list[int]] = []
    for a, b in _runs(cell[int(cell.sum(axis=1).argmax())]):
        if spans and a - spans[-1][1] <= 4:
            spans[-1][1] = b
        else:
            spans.append([a, b])
    x0, x1 = max(spans, key=lambda ab: ab[1] - ab[0])
    # Rows of cells: cell colour in every pixel row, text or not (a third at least); strokes: none.
    bands = [b for b in _runs(cell[:, x0 : x1 + 1].mean(axis=1) > 0.1) if b[1] - b[0] > 20]
    top = bands[0][0] + 3
    borders = [(a + x0, b + x0) for a, b in _runs(~cell[top, x0 : x1 + 1])]
    crossed = []
    for r, (b0, b1) in enumerate(bands):
        for c, (s0, s1) in enumerate(borders):
            stroke = im[b0 + 3, s0 : s1 + 1]
            if (np.abs(im[b0 + 3 : b1 - 2, s0 : s1 + 1] - stroke[None]) > 60).any():
                crossed.append((r, c))
    return len(bands), len(borders) + 1, crossed


@pytest.mark.parametrize("width", [800, 1400])
def test_heat_map_cells_hold_their_text_and_the_page_is_accessible(page, app_url, width, tmp_path):
    page.set_viewport_size({"width": width, "height": 1000})
    page.goto(f"{app_url}/sweep")
    page.wait_for_selector("[data-testid='stVegaLiteChart']")
    at_rest(page)
    # Six columns: the fixture's five conflict states and "unknown" ("monitoring" in each cell).
    box = page.get_by_role("combobox", name=re.compile("Values of Conflict status"))
    box.click()
    page.get_by_role("option", name="unknown", exact=True).click()
    page.keyboard.press("Escape")
    settle(page)
    at_rest(page)
    page.wait_for_selector(SKELETON, state="detached")
    chart = page.locator("[data-testid='stVegaLiteChart']").first
    chart.scroll_into_view_if_needed()
    page.wait_for_timeout(500)  # the canvas is drawn after its element is laid out
    shot = tmp_path / f"heat_{width}.png"
    chart.screenshot(path=str(shot))
    rows, cols, crossed = spills(shot)
    assert (rows, cols) == (3, 6), f"cells not found as expected at {width}px: {rows} x {cols}"
    assert not crossed, f"text runs over cell borders at {width}px (row, border): {crossed}"
    # The pivot table above it fits the page column too (it scrolled sideways at 800 px).
    table = page.locator("[data-testid='stTable'] table").first.bounding_box()
    column = page.locator("[data-testid='stTable']").first.bounding_box()
    assert table["x"] + table["width"] <= column["x"] + column["width"] + 0.5, (width, table, column)
    spilt = page.evaluate("""() => [...document.querySelectorAll("[data-testid='stTable'] th, [data-testid='stTable'] td")]
        .filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.innerText)""")
    assert not spilt, f"table cells wider than their column at {width}px: {spilt}"
    # axe-core on the page as drawn: a check while elements are still skeletons sees no widgets.
    from axe_playwright_python.sync_playwright import Axe

    found = Axe().run(page).response["violations"]
    bad = [(v["id"], v["impact"], [n["html"][:160] for n in v["nodes"][:2]]) for v in found]
    assert not [b for b, v in zip(bad, found) if v["impact"] in ("serious", "critical")]
    undo = page.locator("[data-testid='stSidebar']").get_by_role("button", name=re.compile("^Undo"))
    assert undo.inner_text().strip() == "Undo"
    assert undo.bounding_box()["width"] > 40  # the label drawn, not a skeleton
    page.screenshot(path=str(tmp_path / f"sweep_{width}.png"))
