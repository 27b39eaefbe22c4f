"""Citations show each section once, and a section cited with one of its named parts as the part."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from advisor import scenario as scenarios
from advisor.explain import explain_why
from advisor.explain.render import render
from advisor.report.briefing import build_briefing
from advisor.report.markdown import render_markdown
from advisor.service import advise

CASES = [
    (("7", "7.structure"), ("§7 structure",)),
    (("7.structure", "7"), ("§7 structure",)),
    (("6.2", "7.structure"), ("§6.2", "§7 structure")),
    (("10.civmil", "10.civmil.theatre", "10"), ("§10 CIV/MIL in theatre",)),
    (("6.1", "6.1"), ("§6.1",)),
    (("6.1", "6.1.E"), ("§6.1 E",)),
]


@pytest.mark.parametrize(("ids", "want"), CASES)
def test_section_labels(real_rulebase, ids, want):
    kn = real_rulebase.knowledge
    assert all(kn.get(f"§{s}") for s in ids), [s for s in ids if not kn.get(f"§{s}")]
    assert kn.section_labels(ids) == want


def test_no_rule_of_the_shipped_base_cites_a_section_twice_in_words(real_rulebase):
    kn = real_rulebase.knowledge
    for rule in real_rulebase.rules:
        labels = kn.section_labels(rule.sections)
        assert len(set(labels)) == len(labels) and labels, rule.id
        assert not any(b.startswith(a + " ") for a in labels for b in labels), (rule.id, labels)


EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "examples").glob("*.yaml"))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_briefing_and_explanation_citations_never_repeat_a_section_beside_its_part(real_rulebase, path):
    """Every citation the briefing and the why-text print, as read back from their text."""
    advice = advise(real_rulebase, scenarios.load(path))
    text = render_markdown(build_briefing(advice, date="2026-12-03")) + render(explain_why(advice))
    groups = [re.findall(r"§[^,;()]+", g) for g in re.findall(r"\((§[^()]*)\)", text)]
    assert groups
    for labels in groups:
        labels = [x.strip().rstrip("\\") for x in labels]
        assert not any(b.startswith(a + " ") for a in labels for b in labels), (path.name, labels)
