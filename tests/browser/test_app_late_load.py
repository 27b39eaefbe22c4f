"""A browser that loads the widgets' code late never changes the scenario by itself.

On a slow link or a busy machine the browser can mount a widget only after a later rerun has
replaced its element; it then took the element's default as the widget's value and sent it with
the next click, as if the planner had chosen it. Seen in CI as a Save that set the two facts on
screen to unknown. Here the widgets' code is held back on purpose, a rerun happens before it
arrives (opening a folded panel), and a click afterwards must leave the scenario as it was.
"""

from __future__ import annotations

import time

import pytest
from app_browser import at_rest, metric

pytestmark = pytest.mark.browser

HELD_BACK = ("Selectbox.", "Multiselect.", "Checkbox.", "TextInput.", "ButtonGroup.")
DELAY_S = 2.0


def hold_back_widget_code(page) -> list[str]:
    held: list[str] = []

    def slow(route):
        name = route.request.url.rsplit("/", 1)[-1]
        if name.startswith(HELD_BACK):
            held.append(name)
            time.sleep(DELAY_S)
        route.continue_()

    page.route("**/static/js/**", slow)
    return held


def test_a_late_widget_does_not_send_its_default_as_a_choice(page, app_url):
    held = hold_back_widget_code(page)
    page.goto(app_url + "/")
    # Open a folded panel as soon as it is there: its rerun replaces the fact widgets' elements
    # while their code is still on its way.
    page.get_by_text("Load, save and share").click()
    snapshot = page.get_by_role("button", name="Save snapshot")
    snapshot.wait_for()
    at_rest(page)
    page.wait_for_timeout(DELAY_S * 1000 + 500)  # every widget has mounted by now
    at_rest(page)
    link = page.url.split("?", 1)[-1]
    assert "host_authority=functioning" in link and "host_consent=true" in link, link
    assert held, "no widget code was held back: the test no longer reproduces a late load"

    snapshot.click()
    page.get_by_text("Saved 'Crossing-point monitoring'").wait_for()
    at_rest(page)

    assert page.url.split("?", 1)[-1] == link
    assert metric(page, "Mandate") == "monitoring"
    undo = page.get_by_role("button", name="Undo")
    assert undo.is_disabled(), "the click recorded a scenario change"
