"""The compare text traces each difference in a few lines: where a conclusion is absent it
names the rules that concluded it in another scenario (with what failed) and counts the rest."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from advisor import scenario as scenarios
from advisor.explain import compare
from advisor.explain.render_text import compare_text

ROOT = Path(__file__).resolve().parent.parent
PAIRS = [
    ("no_host_consent.yaml", "kosovo_interim_partial_substitution.yaml"),
    ("collapsed_state_full_substitution.yaml", "no_host_consent.yaml"),
]


@pytest.mark.parametrize("pair", PAIRS, ids=lambda p: "-vs-".join(Path(x).stem for x in p))
def test_absent_sides_name_the_rules_behind_the_difference_and_count_the_rest(real_rulebase, pair):
    loaded = tuple(scenarios.load(ROOT / "examples" / name) for name in pair)
    report = compare(real_rulebase, loaded)
    lines = compare_text(report).splitlines()
    start = lines.index("Conclusions that differ:") + 1
    # One heading line per differing conclusion, then one line per scenario.
    blocks = [lines[i : i + 1 + len(pair)] for i in range(start, len(lines), 1 + len(pair))]
    assert len(blocks) == len(report.conclusions) > 0
    counted = 0
    for c, block in zip(report.conclusions, blocks, strict=True):
        behind = {r for side in c.sides if side.present for r in side.rules}
        for side, line in zip(c.sides, block[1:], strict=True):
            named = set(re.findall(r"\[([^\]]+)\]", line))
            if side.present:
                assert named == set(side.rules), line
                continue
            unfired = {ch.rule_id for ch in side.checks if not ch.fired and ch.rule_id not in side.proposed}
            want = (unfired & behind) or unfired
            assert want <= named and not (unfired - want) & named, line
            more = re.search(r"\((\d+) more rules? could conclude it", line)
            assert (int(more.group(1)) if more else 0) == len(unfired - want), line
            counted += bool(more)
    assert counted  # the pair has differences where other rules were folded
