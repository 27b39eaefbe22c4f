"""The Workspace's fact editor in a real browser: it is our own element (advisor/ui/facteditor.py),
so keyboard use, list facts and group picking are ours to prove; AppTest cannot click it."""

from __future__ import annotations

import re

import pytest
from app_browser import IDLE, MANDATE_SHOWS, at_rest, choose, open_app, settle

pytestmark = pytest.mark.browser

PRESET = "Start from a preset (an archetype scenario)"


def runs(page) -> int:
    """How many script runs the browser has seen start (Streamlit's script state turning to running)."""
    return page.evaluate("window.__runs || 0")


def count_runs(page) -> None:
    page.evaluate(
        """() => {
          window.__runs = 0;
          const app = document.querySelector("[data-testid='stApp']");
          new MutationObserver(() => {
            if (app.getAttribute("data-test-script-state") === "running") window.__runs += 1;
          }).observe(app, { attributes: true, attributeFilter: ["data-test-script-state"] });
        }"""
    )


def test_a_fact_is_chosen_with_the_keyboard_alone(page, app_url):
    from playwright.sync_api import expect

    open_app(page, app_url)
    choose(page, PRESET, "Interim administration")
    box = page.get_by_role("combobox", name="Interim administration", exact=True)
    expect(box).to_have_value("yes")
    box.focus()
    page.keyboard.press("ArrowDown")
    expect(box).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("Escape")  # closed without a change
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).to_have_value("yes")
    page.keyboard.press("ArrowDown")  # opens on the value shown ("yes"); the next option is "no"
    page.keyboard.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", re.compile(".+"))
    page.keyboard.press("Enter")
    page.wait_for_function(MANDATE_SHOWS, arg=["no conclusion", IDLE])
    expect(box).to_have_value("no")
    expect(box).to_be_focused()  # the focus stays where the planner was
    expect(page).to_have_url(re.compile("interim_administration=false"))
    page.keyboard.press("y")  # type-ahead opens the list on the first option starting with it
    expect(box).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("Enter")
    page.wait_for_function(MANDATE_SHOWS, arg=["substitution", IDLE])
    expect(box).to_have_value("yes")


def test_a_list_fact_keeps_unknown_apart_from_none_of_these(page, app_url):
    from playwright.sync_api import expect

    open_app(page, app_url)
    choose(page, PRESET, "Interim administration")
    main = page.locator("[data-testid='stMain']")
    main.get_by_role("radio", name="Agreements and dialogue", exact=True).click()
    agreements = main.get_by_role("group", name="Agreements in force", exact=True)
    unknown = agreements.get_by_role("checkbox", name="unknown", exact=True)
    expect(unknown).to_be_checked()
    unknown.uncheck()  # known: none of these
    settle(page)
    expect(page).to_have_url(re.compile("agreements=~"))
    member = agreements.get_by_role("checkbox").first
    member.check()
    settle(page)
    expect(unknown).not_to_be_checked()
    expect(page).to_have_url(re.compile(r"agreements=\w"))
    unknown.check()  # unknown again: the member is unticked with it
    settle(page)
    expect(member).not_to_be_checked()
    expect(page).not_to_have_url(re.compile("agreements="))


def test_picking_a_group_runs_nothing_and_a_change_keeps_the_group_in_view(page, app_url):
    from playwright.sync_api import expect

    open_app(page, app_url)
    choose(page, PRESET, "Interim administration")
    # A first change gives Undo a target, which the sidebar shows: that change reruns the whole app
    # (state.fragment_done). From the second change on, the sidebar stays as it is.
    choose(page, "Interim administration", "no")
    at_rest(page)
    main = page.locator("[data-testid='stMain']")
    count_runs(page)
    pick = main.get_by_role("radio", name="Border and threats", exact=True)
    pick.click()
    expect(pick).to_have_attribute("aria-checked", "true")
    size = main.get_by_role("combobox", name="Country size", exact=True)
    expect(size).to_be_visible()
    expect(main.get_by_role("combobox", name="Interim administration", exact=True)).to_be_hidden()
    page.wait_for_timeout(500)
    assert runs(page) == 0, "showing another group's facts is the browser's work alone"
    choose(page, "Country size", "large")
    expect(page).to_have_url(re.compile("country_size=large"))
    assert runs(page) == 1, "one fact change is one script run"
    expect(pick).to_have_attribute("aria-checked", "true")  # still the group the planner was in
    expect(size).to_have_value("large")
    # The browser resends a change until the server acknowledges it (facteditor.unapplied); once
    # the board is redrawn nothing is left waiting, so what it sends does not grow with each change.
    assert page.evaluate("document.querySelector('.ibm-editor')._pending.length") == 0
    expect(size).to_have_accessible_description(re.compile(r"Concept §\d"))  # its help, shown and linked


def test_a_change_with_a_details_panel_open_redraws_the_panel_too(page, app_url):
    # The details are their own fragment; a change brings them along only when a panel is open or
    # their labels change, asked for in the board's callback (app_pages/workspace.py).
    from playwright.sync_api import expect

    open_app(page, app_url)
    choose(page, PRESET, "Interim administration")
    main = page.locator("[data-testid='stMain']")
    main.get_by_role("radio", name="Warnings", exact=True).click()
    settle(page)
    choose(page, "Interim administration", "no")
    page.wait_for_function(MANDATE_SHOWS, arg=["no conclusion", IDLE])
    expect(main.locator("[data-testid='stException']")).to_have_count(0)
    expect(main.get_by_role("radio", name="Warnings", exact=True)).to_have_attribute("aria-checked", "true")
