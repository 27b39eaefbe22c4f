"""The Workspace's headline and design views (advisor/ui/glance.py) say what the advice says,
for every example scenario; the viewer's script only ever sets text."""

from __future__ import annotations

import json

import pytest

from advisor.alterations import alterations
from advisor.design import consent_note
from advisor.report.briefing import show
from advisor.scenario import load
from advisor.service import advise
from advisor.ui import viewer
from advisor.ui.glance import HEADLINE_SLOTS, View, design_view, headline_view
from support import ROOT

EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


@pytest.fixture(scope="module", params=EXAMPLES, ids=[p.stem for p in EXAMPLES])
def advice(request, real_rulebase):
    return advise(real_rulebase, load(request.param))


def test_the_headline_names_each_decision_and_the_sections_behind_it(advice):
    figures = headline_view(advice).figures
    assert [f.slot for f in figures] == list(HEADLINE_SLOTS)
    kn = advice.rulebase.knowledge
    for figure in figures:
        conflict = next((c for c in advice.conflicts if c.slot == figure.slot), None)
        item = advice.one(figure.slot)
        if conflict:
            assert figure.conflict and figure.value == "conflict"
            assert all(r in figure.note for r in conflict.rules)
        elif item is None:
            assert figure.value == "no conclusion" and figure.note == "no rule concluded this"
        else:
            assert figure.value == show(item.value)
            main = max((advice.rulebase.rule(r) for r in item.because), key=lambda r: r.priority)
            assert figure.note.endswith(f"{main.title} ({', '.join(kn.section_labels(main.sections))})")


def test_the_design_lists_the_core_lines_in_order_with_their_tasks(advice):
    kn = advice.rulebase.knowledge
    blocks = design_view(advice).blocks
    lines = [b for b in blocks if b.kind == "line"]
    phase1 = [line for line in advice.design.lines if line.phase == 1]
    assert [b.text for b in lines] == [f"{n}. {kn.title(line.objective)}" for n, line in enumerate(phase1, 1)]
    for block, line in zip(lines, phase1):
        assert block.items == (tuple(kn.title(t) for t in line.tasks) or ("(objective only)",))
    assert any(b.kind == "heading" and b.text == "Mission design" for b in blocks)
    if not phase1:
        assert any(b.text.startswith("No line of effort") for b in blocks)


def test_the_design_says_what_would_change_it_and_what_it_assumes(advice):
    text = design_view(advice).text()
    kn = advice.rulebase.knowledge
    for a in alterations(advice):
        assert f"{a.change_words()}: {a.effect_words(kn)}" in text
    note = consent_note(advice)
    warnings = [b.text for b in design_view(advice).blocks if b.kind == "warning"]
    if note is not None:
        assert note.words() in warnings


def test_what_the_browser_receives_reads_back_as_the_same_view(advice):
    for view in (headline_view(advice), design_view(advice)):
        sent = json.loads(json.dumps(view.data()))  # what Streamlit serialises into the element
        assert View.from_data(sent) == view


def test_the_viewer_script_sets_text_and_never_markup():
    # User and rule-author text reaches the script raw (advisor/ui/viewer.py); the browser test
    # tests/browser/test_app_literal.py shows it literally. No API that parses markup may appear.
    for api in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "Function("):
        assert api not in viewer.JS, api
