"""Main journeys in a real browser: preset, change a fact, rationale, compare, briefing."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from app_browser import choose, metric, metric_value, open_app, settle

pytestmark = pytest.mark.browser


def test_pick_a_preset_change_a_fact_and_watch_the_mandate_change(page, app_url, tmp_path):
    open_app(page, app_url)
    choose(page, "Start from a preset (an archetype scenario)", "Interim administration")
    assert metric(page, "Mandate") == "substitution"
    choose(page, "Interim administration", "no")
    assert metric(page, "Mandate") != "substitution"
    choose(page, "Interim administration", "yes")
    assert metric(page, "Mandate") == "substitution"
    # The address bar is a shareable link that reproduces the scenario in a new tab.
    link = page.url
    assert "interim_administration=true" in link
    other = page.context.new_page()
    open_app(other, link.split("?")[0].rstrip("/"), "?" + link.split("?", 1)[1])
    assert metric(other, "Mandate") == "substitution"
    page.screenshot(path=str(tmp_path / "workspace.png"), full_page=False)


def test_open_a_rationale_with_its_rule_chain_graph(page, app_url, tmp_path):
    open_app(page, app_url)
    choose(page, "Start from a preset (an archetype scenario)", "Interim administration")
    page.get_by_text("Why this mandate, structure and HQ?").click()
    settle(page)
    assert page.get_by_text("mandate.substitution").first.is_visible()
    page.locator("[data-testid='stCheckbox']").filter(has_text="Show the rule-chain graph").first.click()
    settle(page)
    graph = page.locator("[data-testid='stGraphVizChart'] svg").first
    graph.wait_for()
    assert "mandate.executive-powers-needed" in graph.text_content()
    page.locator("[data-testid='stExpander']").filter(has_text="Why this mandate").first.screenshot(
        path=str(tmp_path / "rationale.png")
    )


def table_rows(page, first_header: str) -> dict[str, list[str]]:
    """The rows of the st.table whose first header is `first_header`: label -> cells as shown."""
    table = (
        page.locator("[data-testid='stTable']")
        .filter(has=page.locator("th").first.get_by_text(first_header, exact=True))
        .first
    )
    rows = table.evaluate("t => [...t.querySelectorAll('tr')].map(r => [...r.cells].map(c => c.innerText.trim()))")
    return {r[0]: r[1:] for r in rows}


def highlighted(page, first_header: str, row: str) -> list[bool]:
    """Which cells of a row are marked as differing (a background other than the page's)."""
    table = page.locator("[data-testid='stTable']").filter(has=page.get_by_text(first_header, exact=True)).first
    tr = table.locator("tr").filter(has=page.get_by_text(row, exact=True)).first
    return tr.evaluate(
        "r => [...r.cells].slice(1).map(c => getComputedStyle(c).backgroundColor)"
        ".map(c => c !== 'rgba(0, 0, 0, 0)' && c !== 'transparent')"
    )


def test_compare_two_scenarios(page, app_url, tmp_path):
    open_app(page, app_url)
    choose(page, "Start from a preset (an archetype scenario)", "Interim administration")
    page.get_by_role("link", name="Compare").click()
    page.get_by_text("Why the advice differs").wait_for()
    settle(page)
    # By default the current scenario is compared with another preset, never with itself, and
    # the columns carry the scenarios' names.
    advice = table_rows(page, "Advice")
    names = advice["Advice"]
    assert names[0] == "Interim administration" and len(names) == 2 and names[1] != names[0]
    other = names[1]
    # The mandates really differ (the engine's answer for each side), and only the differing
    # cell is highlighted.
    assert advice["Mandate"][0] == "substitution" and advice["Mandate"][1] not in ("substitution", "")
    assert highlighted(page, "Advice", "Mandate") == [False, True]
    same = [label for label, cells in advice.items() if label != "Advice" and cells[0] == cells[1]]
    assert same, "expected at least one row with the same advice on both sides"
    assert highlighted(page, "Advice", same[0]) == [False, False]
    facts = table_rows(page, "Fact")
    assert facts["Interim administration"][0] == "yes" and facts["Interim administration"][1] != "yes"
    main = page.locator("[data-testid='stMain']")
    assert f"Mandate: substitution: yes for Interim administration; no for {other}" in main.inner_text()
    # The trace is folded; opened, the side without the conclusion names the rule that could
    # have drawn it and that it did not fire.
    assert "did not fire" not in main.inner_text()
    page.get_by_text("How each of the").click()
    settle(page)
    assert "mandate.substitution" in main.inner_text() and "did not fire" in main.inner_text()
    page.screenshot(path=str(tmp_path / "compare.png"), full_page=True)


def test_download_a_briefing_and_read_it(page, app_url, tmp_path):
    open_app(page, app_url)
    choose(page, "Start from a preset (an archetype scenario)", "Vălenii strengthening (€ budget)")
    page.get_by_role("link", name="Briefing export").click()
    page.get_by_label("Marking or caveat (printed on the header and footer of every page)").fill("EXERCISE – Café")
    page.keyboard.press("Enter")
    settle(page)
    with page.expect_download() as info:
        page.get_by_role("button", name="Download Markdown").click()
    settle(page)
    path = tmp_path / "b.md"
    info.value.save_as(path)
    text = path.read_text(encoding="utf-8")
    assert "EXERCISE – Café" in text and "Vălenii strengthening (€ budget)" in text
    assert "mandate.strengthening" in text and "sha256" in text
    with page.expect_download() as info:
        page.get_by_role("button", name="Download PDF").click()
    settle(page)
    pdf = tmp_path / "b.pdf"
    info.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    page.screenshot(path=str(tmp_path / "briefing.png"), full_page=False)


def test_why_not_and_rule_lab_views(page, app_url, tmp_path):
    open_app(page, app_url)
    choose(page, "Start from a preset (an archetype scenario)", "Vălenii strengthening (€ budget)")
    page.get_by_role("link", name="Why not / what if").click()
    page.get_by_role("tab", name="Why not…?").wait_for()
    settle(page)
    assert "Status: concluded" in page.locator("[data-testid='stMain']").inner_text()
    page.screenshot(path=str(tmp_path / "whatif.png"), full_page=False)
    page.get_by_role("link", name="Rule lab").click()
    page.get_by_role("tab", name="Browse rules").wait_for()
    settle(page)
    page.screenshot(path=str(tmp_path / "rulelab.png"), full_page=False)


def test_rule_lab_editor_is_monospace_with_numbered_lines(page, app_url, tmp_path):
    open_app(page, app_url)
    page.get_by_role("link", name="Rule lab").click()
    page.get_by_role("tab", name="Edit and try a rule file").click()
    settle(page)
    choose(page, "Start from a rule file of the rule base", "mandate.yaml")
    box = page.locator(".st-key-lab_text textarea")
    box.wait_for()
    assert "mandate." in box.input_value()
    # Monospace in fact, not only by name: a narrow and a wide letter take the same width
    # in the text area's font, so columns in error messages line up with what is shown.
    widths = box.evaluate("""e => { const s = document.createElement('span');
        s.style.font = getComputedStyle(e).font; s.style.whiteSpace = 'pre'; document.body.append(s);
        const w = t => { s.textContent = t; return s.getBoundingClientRect().width; };
        const out = [w('iiiiiiiiii'), w('MMMMMMMMMM')]; s.remove(); return out; }""")
    assert abs(widths[0] - widths[1]) < 0.5, widths
    page.get_by_text("The draft with line numbers").click()
    settle(page)
    code = page.locator("[data-testid='stCode']").filter(has_text="mandate.").first
    first_lines = code.inner_text().splitlines()[:5]
    # Each shown line starts with its number (the numbers are part of the code block's text).
    assert [re.match(r"\d+", line).group() for line in first_lines[:3]] == ["1", "2", "3"], first_lines
    page.screenshot(path=str(tmp_path / "rulelab_editor.png"), full_page=False)


def test_undo_and_browser_back_restore_the_previous_scenario(page, app_url):
    # The editor and advice rerun alone (st.fragment); the sidebar's Undo and the address bar
    # must still follow each change, which AppTest cannot show (it reruns the whole script).
    # The frame reruns after the fragment, so the sidebar and the URL are waited for (Playwright's
    # expect retries until they show it), not read at the first idle moment (flaky under load).
    from playwright.sync_api import expect

    open_app(page, app_url)
    choose(page, "Start from a preset (an archetype scenario)", "Interim administration")
    undo = page.locator("[data-testid='stSidebar']").get_by_role("button", name=re.compile("^Undo"))
    value = metric_value(page, "Mandate")
    choose(page, "Interim administration", "no")
    expect(value).not_to_have_text("substitution")
    expect(page).to_have_url(re.compile("interim_administration=false"))
    expect(undo).to_have_text("Undo: back to Interim administration")
    expect(undo).to_be_enabled()
    undo.click()
    settle(page)
    expect(page).to_have_url(re.compile("interim_administration=true"))
    expect(value).to_have_text("substitution")
    # Browser Back after a change returns to the scenario before it.
    choose(page, "Interim administration", "no")
    expect(value).not_to_have_text("substitution")
    expect(page).to_have_url(re.compile("interim_administration=false"))
    page.go_back()
    settle(page)
    expect(page).to_have_url(re.compile("interim_administration=true"))
    expect(value).to_have_text("substitution")


def test_the_editor_and_the_advice_stay_in_step(page, app_url):
    # The Workspace is fragments (app_pages/workspace.py): a fact change redraws the board
    # (headline, editor, design) only, an answer given in the details reruns the app. What the
    # browser shows must still be one scenario, which AppTest (it keeps only what a run drew)
    # cannot show.
    from playwright.sync_api import expect

    open_app(page, app_url)
    choose(page, "Start from a preset (an archetype scenario)", "Vălenii strengthening (€ budget)")
    main = page.locator("[data-testid='stMain']")
    # Two changes in the editor: the second reruns the board's fragment alone.
    choose(page, "Interim administration", "unknown")
    choose(page, "Interim administration", "no")
    expect(page).to_have_url(re.compile("interim_administration=false"))
    main.get_by_role("radio", name="Agreements and dialogue", exact=True).click()
    settle(page)
    shown = main.get_by_role("combobox", name="Disputed or fragile border", exact=True)
    expect(shown).to_have_value("unknown")
    main.get_by_role("radio", name=re.compile(r"^Unknowns \(")).click()
    settle(page)
    main.get_by_role("radio", name="yes", exact=True).first.click()  # disputed border: yes
    settle(page)
    expect(page).to_have_url(re.compile("disputed_border=true"))
    expect(shown).to_have_value("yes")  # the editor, in another fragment, shows the answer
    # The editor's earlier value is still what it shows and what the scenario holds.
    main.get_by_role("radio", name="Host authority and consent", exact=True).click()
    settle(page)
    expect(main.get_by_role("combobox", name="Interim administration", exact=True)).to_have_value("no")
    expect(page).to_have_url(re.compile("interim_administration=false"))


def test_rule_files_edited_on_disk_reach_a_fact_change_and_a_panel_opened_alone(page, tmp_path):
    # A fact change reruns the board's fragment, not app.py, and the board checks the rule files
    # (app_pages/workspace.py, fresh_rulebase). Opening an advice panel reruns the details'
    # fragment alone, which must then check for itself, and a changed rule base reruns the app so
    # the board shows it too: AppTest reruns the whole script there, so only a browser shows it.
    import shutil

    from app_browser import FIX, ROOT, serve, stop
    from playwright.sync_api import expect

    rules = tmp_path / "rules"
    shutil.copytree(FIX / "rules", rules)
    env = {
        "ADVISOR_RULES": str(rules),
        "ADVISOR_KNOWLEDGE": str(FIX / "knowledge"),
        "ADVISOR_EXAMPLES": str(FIX / "examples"),
        "ADVISOR_RELOAD_SECONDS": "0",
    }
    proc, url = serve(ROOT / "app.py", env)
    try:
        open_app(page, url)
        choose(page, "Start from a preset (an archetype scenario)", "Interim administration")
        choose(page, "Interim administration", "no")  # the first change redraws the app (Undo)
        mandate = rules / "mandate.yaml"
        original = mandate.read_text()
        mandate.write_text(original.replace("- mandate: substitution", "- mandate: monitoring"))
        choose(page, "Interim administration", "yes")
        expect(metric_value(page, "Mandate")).to_have_text("monitoring")
        mandate.write_text(original)
        page.locator("[data-testid='stMain']").get_by_role("radio", name="Warnings", exact=True).click()
        settle(page)
        expect(metric_value(page, "Mandate")).to_have_text("substitution")
    finally:
        stop(proc)
