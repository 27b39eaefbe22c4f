"""The rule-chain graph in a real browser: full width, nodes in words, legible for the
largest archetype's tree (the real rule base and examples, not the app fixtures)."""

from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path

import pytest
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from app_browser import ROOT, choose, open_app, serve, settle, stop  # noqa: E402

pytestmark = pytest.mark.browser

# Internal forms a planner must never read on a node: conclusion keys, snake_case paths,
# raw tests, rule ids (checked against the real rule ids below).
RAW = re.compile(r"derived:|concluded:|\w_\w| in \[|\bis (true|false)\b")


def _largest_example() -> tuple[str, int]:
    """The archetype whose headline why-tree has the most nodes, found, not assumed."""
    from advisor import scenario as scenarios
    from advisor.explain import explain_why
    from advisor.explain.render_dot import why_dot
    from advisor.ruleset import load_rulebase
    from advisor.service import advise

    rb = load_rulebase(ROOT / "rules", ROOT / "knowledge")
    sizes = []
    for path in sorted((ROOT / "examples").glob("*.yaml")):
        dot = why_dot(explain_why(advise(rb, scenarios.load(path))))
        sizes.append((dot.count("[label="), path))
    count, path = max(sizes)
    return yaml.safe_load(path.read_text(encoding="utf-8"))["name"], count


@pytest.fixture(scope="module")
def real_app_url():
    proc, url = serve(
        ROOT / "app.py",
        {
            "ADVISOR_RULES": str(ROOT / "rules"),
            "ADVISOR_KNOWLEDGE": str(ROOT / "knowledge"),
            "ADVISOR_EXAMPLES": str(ROOT / "examples"),
        },
    )
    yield url
    stop(proc)


def test_the_largest_archetype_graph_opens_full_width_in_words(page, real_app_url, tmp_path):
    from advisor.ruleset import load_rulebase

    rule_ids = {r.id for r in load_rulebase(ROOT / "rules", ROOT / "knowledge").rules}
    name, nodes = _largest_example()
    assert nodes > 40  # a tree this large is the point of the check
    open_app(page, real_app_url)
    choose(page, "Start from a preset (an archetype scenario)", name)
    page.get_by_role("link", name="Why not / what if").click()
    page.get_by_role("tab", name="Rule-chain graph").wait_for()
    settle(page)
    page.get_by_role("tab", name="Rule-chain graph").click()
    settle(page)
    graph = page.locator("[data-testid='stGraphVizChart'] svg").last
    graph.wait_for()
    box = graph.bounding_box()
    assert box and box["width"] > 900, box  # viewport 1400 px: the graph takes the page width
    labels = [t.strip() for t in graph.locator("g.node text").all_text_contents() if t.strip()]
    assert len(graph.locator("g.node").all()) == nodes
    words = " ".join(labels)
    assert "host consent: yes" in words and "Mandate: Strengthening mandate" in words
    for line in labels:
        assert not RAW.search(line), line
        assert line not in rule_ids, line
    # Legible: node text is drawn at least 10 px high at this width (12 pt unscaled is 16 px).
    heights = [b["height"] for t in graph.locator("g.node text").all()[:40] if (b := t.bounding_box())]
    assert min(heights) >= 10, min(heights)
    shot = tmp_path / "graph-largest-archetype.png"
    page.set_viewport_size({"width": 1400, "height": int(box["height"]) + 400})  # same width, whole graph
    settle(page)
    graph.screenshot(path=str(shot))
    keep = os.environ.get("ADVISOR_SCREENSHOTS")  # docs/screenshots is refreshed on request only
    if keep:
        shutil.copy(shot, Path(keep) / shot.name)
