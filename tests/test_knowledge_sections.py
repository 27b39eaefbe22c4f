"""Citations show each section once, and a section cited with one of its named parts as the part."""

from __future__ import annotations

import pytest

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
