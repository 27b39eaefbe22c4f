"""`advisor recommend` text: the glance leads, supporting/optional items are counted unless --full."""

from __future__ import annotations

import json
import re

from advisor import scenario as scenarios
from advisor.cli import main
from advisor.service import advise
from advisor.textview import render_text
from support import ROOT

KOSOVO = ROOT / "examples" / "kosovo_interim_partial_substitution.yaml"
REFUSED = ROOT / "examples" / "interim_administration_without_consent.yaml"


def _folded_titles(advice):
    kn = advice.rulebase.knowledge
    return [
        kn.title(i.value)
        for slot in ("objective", "task")
        for i in advice.items.get(slot, ())
        if advice.design.level(slot, i.value) != "core"
    ]


def test_glance_counts_what_full_lists(real_rulebase):
    advice = advise(real_rulebase, scenarios.load(KOSOVO), engine="reference")
    short, full = render_text(advice), render_text(advice, full=True)
    folded = [i for i in advice.items.get("task", ()) if advice.design.level("task", i.value) != "core"]
    assert folded, "the fixture must have supporting tasks"
    assert re.search(
        rf"tasks? {sum(1 for i in folded if advice.design.level('task', i.value) == 'supporting')} "
        r"supporting",
        short,
    )
    assert "--full" in short and "THE REST OF THE DESIGN" not in short
    for title in _folded_titles(advice):
        assert f"] {title} (" in full
    assert full.startswith(short.split("\nAlso concluded")[0])
    assert short.count("\n") < full.count("\n") / 2


def test_glance_names_consent_assumption_settledness_and_changes(real_rulebase):
    advice = advise(real_rulebase, scenarios.load(REFUSED), engine="reference")
    text = render_text(advice)
    assert "WITHOUT host consent" in text and "interim administration yes" in text
    sampled = [s for s in advice.unknowns.settledness if not s.exhaustive and s.verdict == "settled"]
    assert sampled and f"on {sampled[0].checked} sampled completions" in text
    assert "how settled" not in text and f"\n    Likely settled: unchanged on {sampled[0].checked}" in text
    assert "What would change the design" in text and "interim administration: yes → no" in text


def test_json_is_the_same_with_or_without_full(capsys):
    docs = []
    for flag in ([], ["--full"]):
        assert main(["recommend", str(KOSOVO), "--format", "json", "--engine", "reference", *flag]) == 0
        docs.append(json.loads(capsys.readouterr().out))
    assert docs[0] == docs[1] and docs[0]["design"]["alterations"]


def test_cli_full_flag_prints_the_rest(capsys):
    assert main(["recommend", str(KOSOVO), "--engine", "reference", "--full"]) == 0
    assert "THE REST OF THE DESIGN" in capsys.readouterr().out


def test_each_concluded_headline_says_once_how_settled_it_is(real_rulebase):
    """Every example: a concluded mandate, structure or HQ line is followed (after its reasons) by
    one line of how settled it is, starting with its verdict, said once ("Settled: ...")."""
    for path in sorted((ROOT / "examples").glob("*.yaml")):
        advice = advise(real_rulebase, scenarios.load(path), engine="reference")
        text = render_text(advice)
        for verdict in advice.unknowns.settledness:
            words = verdict.words()
            assert f"\n    {words[0].upper()}{words[1:]}\n" in text, (path.name, verdict.slot)
        assert not re.search(r"(?i)\b(settled|open|a default): (settled|open|a default)\b", text), path.name
