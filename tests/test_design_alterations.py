"""The changes that would alter the design, against brute force on the archetypes.

Brute force builds the full advice and design (with reasons) for every single change of
every known fact; `every_alteration` skips rebuilding where the fired rules are the same, so
the two must agree on which changes alter the design and on what they change to.
"""

from __future__ import annotations

import pytest

from advisor import scenario as scenarios
from advisor.alterations import alterations, changes_of, core_lines, every_alteration
from advisor.design import consent_note
from advisor.ruleset import load_rulebase
from advisor.service import advise
from support import ROOT

ARCHETYPES = sorted((ROOT / "examples").glob("*.yaml"))
SAMPLED = [p for i, p in enumerate(ARCHETYPES) if i % 3 == 0] + [
    ROOT / "examples" / "kosovo_interim_partial_substitution.yaml"
]


def _brute(rb, s):
    here = advise(rb, s, engine="reference")
    head, lines = here.headline(), core_lines(here, with_reasons=True)
    out = {}
    for path, value in s.paths():
        for other in changes_of(path, value):
            there = advise(rb, s.with_value(path, other), engine="reference")
            moved = tuple((slot, head[slot], b) for slot, b in there.headline().items() if b != head[slot])
            new = core_lines(there, with_reasons=True)
            if moved or new != lines:
                out[(path, tuple(other) if isinstance(other, (list, tuple)) else other)] = (
                    moved,
                    tuple(sorted(new - lines)),
                    tuple(sorted(lines - new)),
                )
    return out


@pytest.mark.parametrize("path", SAMPLED, ids=[p.stem for p in SAMPLED])
def test_alterations_equal_brute_force(path, real_rulebase):
    s = scenarios.load(path)
    advice = advise(real_rulebase, s, engine="reference")
    got = {
        (a.path, tuple(a.after) if isinstance(a.after, (list, tuple)) else a.after): (
            a.headline,
            a.lines_added,
            a.lines_removed,
        )
        for a in every_alteration(advice)
    }
    assert got == _brute(real_rulebase, s)


def test_shown_changes_are_the_strongest_one_per_fact(real_rulebase):
    advice = advise(
        real_rulebase,
        scenarios.load(ROOT / "examples" / "kosovo_interim_partial_substitution.yaml"),
        engine="reference",
    )
    shown = alterations(advice)
    assert 1 <= len(shown) <= 2 and len({a.path for a in shown}) == len(shown)
    ranks = [a.rank for a in every_alteration(advice)]
    assert shown[0].rank == min(ranks)
    # Kosovo's executive mandate hangs on the interim administration and the host's limited authority
    assert {a.path for a in shown} <= {"interim_administration", "host_authority"}
    assert all(("mandate", "substitution", "strengthening") in a.headline for a in shown)


def test_withdrawn_consent_is_not_shown_when_anything_else_alters_the_design(real_rulebase):
    advice = advise(
        real_rulebase, scenarios.load(ROOT / "examples" / "ceasefire_line_monitoring.yaml"), engine="reference"
    )
    assert any(a.path == "host_consent" for a in every_alteration(advice))
    assert all(a.path != "host_consent" for a in alterations(advice))


def test_consent_note_names_the_facts_the_executive_mandate_rests_on(real_rulebase):
    refused = advise(
        real_rulebase,
        scenarios.load(ROOT / "examples" / "interim_administration_without_consent.yaml"),
        engine="reference",
    )
    note = consent_note(refused)
    assert note is not None and note.mandate == "substitution"
    assert "interim administration yes" in note.rests_on and "§6.2" in note.assumption
    assert "WITHOUT host consent" in refused.to_json()["design"]["consent_note"]["text"]
    consenting = advise(
        real_rulebase,
        scenarios.load(ROOT / "examples" / "kosovo_interim_partial_substitution.yaml"),
        engine="reference",
    )
    assert consent_note(consenting) is None
    assert consenting.to_json()["design"]["consent_note"] is None


def test_briefing_first_rows_carry_the_glance(real_rulebase):
    from advisor.report.briefing import build_briefing

    advice = advise(
        real_rulebase,
        scenarios.load(ROOT / "examples" / "interim_administration_without_consent.yaml"),
        engine="reference",
    )
    rows = {line.label: line for line in build_briefing(advice, date="2026-01-01").headline}
    assert "WITHOUT host consent" in rows["Host consent"].note
    assert rows["Would change the design"].value in {a.change_words() for a in alterations(advice)}
    assert rows["Lines of effort"].value.startswith("1. ")
    assert rows["How settled"].value.startswith("Mandate")


APP = ROOT / "tests" / "fixtures" / "app"  # its small rule base leaves a mandate without a conclusion
WORDED = [(None, p) for p in ARCHETYPES] + [(APP, p) for p in sorted((APP / "examples").glob("*.yaml"))]


@pytest.mark.parametrize("base, path", WORDED, ids=[f"{'app' if b else 'real'}-{p.stem}" for b, p in WORDED])
def test_every_headline_change_is_worded(base, path, real_rulebase):
    """Each moved slot is named in the effect, a slot left without a conclusion included
    (it was dropped, leaving "fact: a → b:" with nothing after the colon)."""
    rb = load_rulebase(base / "rules", base / "knowledge") if base else real_rulebase
    advice = advise(rb, scenarios.load(path), engine="reference")
    for a in every_alteration(advice):
        effect = a.effect_words(rb.knowledge)
        assert effect, a
        if not a.ends_mission:
            for slot, _, after in a.headline:
                assert {"mandate": "mandate", "structure": "structure", "hq": "HQ"}[slot] in effect, (a, effect)
                if after is None:
                    assert "no conclusion" in effect, (a, effect)
