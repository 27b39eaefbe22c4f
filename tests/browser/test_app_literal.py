"""User text is shown literally in a real browser: a scenario name full of Markdown, maths,
Streamlit directives, emoji codes and links reaches the sidebar, the Undo button and the
briefing preview as the characters typed, with no link, emphasis, formula or icon drawn.

AppTest cannot show this: it hands back the Markdown source, and whether Streamlit's front
end draws `$x^2$` as a formula or `:smile:` as an emoji is only seen in the page.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest
from app_browser import choose, open_app, settle

pytestmark = pytest.mark.browser

HOSTILE = "**B** _i_ $x^2$ :red[r] :material/home: :smile: [l](http://e.example) www.e.example <b>t</b> ~~d~~ AT&amp;T"
# Anything the Markdown of the name could have drawn (a heading's own '#' anchor and the
# sidebar label's bold excepted).
DRAWN = "a:not([href^='#']), em, del, s, .katex, img, [data-testid='stIconMaterial'], span[style*='color']"

LOOK = """([sel, drawn]) => [...document.querySelectorAll(sel)].map(e => ({
  text: e.innerText.replaceAll('\\u2060', ''),
  drawn: [...e.querySelectorAll(drawn)].map(x => x.outerHTML.slice(0, 80)),
  strong: [...e.querySelectorAll('strong')].map(x => x.innerText),
}))"""


def shown(page, selector: str) -> list[dict]:
    """Every element matched that holds the name, with what its Markdown drew."""
    return [e for e in page.evaluate(LOOK, [selector, DRAWN]) if HOSTILE in e["text"]]


def test_a_markdown_laden_name_is_shown_literally(page, app_url):
    open_app(page, app_url, "?" + urlencode({"name": HOSTILE, "interim_administration": "true"}))
    sidebar = shown(page, "[data-testid='stSidebar'] [data-testid='stMarkdownContainer']")
    assert sidebar, "the sidebar does not show the name as typed"
    assert sidebar[0]["drawn"] == [] and sidebar[0]["strong"] == ["Scenario:"], sidebar

    choose(page, "Interim administration", "no")  # a change, so Undo names the scenario before it
    page.wait_for_function(
        "() => [...document.querySelectorAll(\"[data-testid='stSidebar'] button\")]"
        ".some(b => b.innerText.startsWith('Undo: back to'))"
    )
    undo = shown(page, "[data-testid='stSidebar'] button")
    assert undo and undo[0]["drawn"] == [] and undo[0]["strong"] == [], undo

    page.get_by_role("link", name="Briefing export").click()
    page.get_by_text("Preview").wait_for()
    settle(page)
    preview = shown(page, "[data-testid='stMain'] h1")
    assert preview, "the briefing preview's title does not show the name as typed"
    assert preview[0]["drawn"] == [] and preview[0]["strong"] == [], preview
    assert not re.search(r"\\[*_$]", preview[0]["text"]), "escapes must not show as backslashes"


def test_rule_and_catalogue_titles_are_shown_literally_in_the_headline_and_the_design(page, tmp_path):
    # The headline and the design are one custom element each (advisor/ui/viewer.py) whose script
    # sets text with textContent: rule authors' titles reach it raw, never escaped for Markdown,
    # and must show as typed with nothing drawn (a rule file is data, not markup).
    import shutil

    from app_browser import ROOT, serve, stop

    # The real rule base: the first preset (airport security) has lines of effort, which the
    # fixture base has none of.
    for part in ("rules", "knowledge", "examples"):
        shutil.copytree(ROOT / part, tmp_path / part)
    hostile = "'" + HOSTILE.replace("'", "''") + "'"
    for path, title in (
        ("rules/mandate.yaml", "A consenting host with capacity gaps, so a strengthening mandate"),
        ("knowledge/objectives.yaml", "Effective border police, border/coast guard and customs enforcement"),
        ("knowledge/tasks.yaml", "Meet immediate needs in border checks and surveillance"),
    ):
        file = tmp_path / path
        assert f"title: {title}\n" in file.read_text(), (path, title)
        file.write_text(file.read_text().replace(f"title: {title}\n", f"title: {hostile}\n"))
    env = {f"ADVISOR_{part.upper()}": str(tmp_path / part) for part in ("rules", "knowledge", "examples")}
    proc, url = serve(ROOT / "app.py", env)
    try:
        open_app(page, url)
        note = page.locator(".ibm-figure[data-slot='mandate'] .ibm-small").inner_text()
        assert HOSTILE in note, note
        views = page.evaluate(
            "(drawn) => [...document.querySelectorAll('.ibm-view')].map(v => ({text: v.innerText,"
            " drawn: [...v.querySelectorAll(drawn + ', b, strong, script')].map(x => x.outerHTML.slice(0, 80))}))",
            DRAWN,
        )
        assert len(views) == 2, views  # the headline and the design
        assert all(v["drawn"] == [] for v in views), views
        line = page.locator(".ibm-line").first
        assert line.locator(".ibm-title").inner_text() == "1. " + HOSTILE, "the objective's title as typed"
        assert line.locator("li").first.inner_text() == HOSTILE, "the task's title as typed"
        assert "\\" not in views[0]["text"] + views[1]["text"], "no Markdown escapes: the text is set as text"
    finally:
        stop(proc)
