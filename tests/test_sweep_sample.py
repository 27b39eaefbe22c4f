"""Monte Carlo sampling: reproducible per index, weights respected, same in parallel,
Wilson intervals against published values, clear errors for bad weights."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

from advisor.errors import ScenarioError
from advisor.ruleset import load_rulebase
from advisor.sweep.montecarlo import drivers, make_sample, wilson
from advisor.sweep.run import sweep_rows
from advisor.sweep.table import frame
from support import CHAIN_KNOWLEDGE, CHAIN_RULES

VARY = ["host_authority=absent:1,limited:3", "host_consent=true:1,false:1,unknown:2", "conflict_status=*"]


@pytest.fixture(scope="module")
def chain():
    return load_rulebase(CHAIN_RULES, CHAIN_KNOWLEDGE)


def test_scenario_i_depends_only_on_seed_and_i():
    a, b = make_sample(VARY, 500, seed=3), make_sample(VARY, 900, seed=3)
    assert [a.mapping(i) for i in range(500)] == [b.mapping(i) for i in range(500)]
    assert [a.mapping(i) for i in range(50)] != [make_sample(VARY, 500, seed=4).mapping(i) for i in range(50)]


def test_weights_are_respected():
    s = make_sample(VARY, 8000, seed=1)
    values = pd.Series([s.mapping(i).get("host_authority") for i in range(len(s))])
    share = (values == "limited").mean()
    lo, hi = wilson(int((values == "limited").sum()), len(values), z=4.0)
    assert lo <= 0.75 <= hi and 0.7 < share < 0.8
    consent = pd.Series([s.mapping(i).get("host_consent", "unknown") for i in range(len(s))])
    assert 0.45 < (consent == "unknown").mean() < 0.55


@pytest.mark.slow
def test_parallel_sample_equals_serial_and_drivers_find_the_fact_that_decides(chain):
    s = make_sample(VARY, 3000, seed=11)
    serial = frame(sweep_rows(s, chain, jobs=1))
    pd.testing.assert_frame_equal(frame(sweep_rows(s, chain, jobs=2)), serial)
    ranked = drivers(serial, "mandate", [a.path for a in s.axes])
    assert ranked and all(a[1] >= b[1] for a, b in zip(ranked, ranked[1:]))


@pytest.mark.parametrize("k, n, lo, hi", [(0, 10, 0.0, 0.2775), (5, 10, 0.2366, 0.7634), (81, 263, 0.2553, 0.3662)])
def test_wilson_matches_published_values(k, n, lo, hi):
    got = wilson(k, n)
    assert got[0] == pytest.approx(lo, abs=5e-4) and got[1] == pytest.approx(hi, abs=5e-4)


@pytest.mark.parametrize(
    "vary, says",
    [
        (["host_authority=absent:x"], "weight 'x'"),
        (["host_authority=absent:-1"], "positive"),
        (["host_authority=nowhere:1"], "not a value"),
        (["host_authority=*,absent"], "listed twice"),
    ],
)
def test_bad_weights_are_named(vary, says):
    with pytest.raises(ScenarioError, match=says):
        make_sample(vary, 10, 0)


def test_cli_prints_shares_with_intervals_and_drivers(tmp_path):
    args = [
        sys.executable,
        "-m",
        "advisor.cli",
        "sweep",
        "--rules",
        str(CHAIN_RULES),
        "--knowledge",
        str(CHAIN_KNOWLEDGE),
        "--sample",
        "400",
        "--seed",
        "5",
        "--no-progress",
        "--jobs",
        "1",
    ]
    args += [x for v in VARY for x in ("--vary", v)]
    out = subprocess.run(args, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert "400 sampled scenarios" in out.stdout and "95% Wilson" in out.stdout and "%  [" in out.stdout
    again = subprocess.run(args + ["-o", f"{tmp_path}/ds/"], capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    cut = again.stdout.index("Monte Carlo")
    assert again.stdout[cut : again.stdout.index("table: ")] == out.stdout[out.stdout.index("Monte Carlo") :]
    assert len(pd.read_parquet(tmp_path / "ds")) == 400
