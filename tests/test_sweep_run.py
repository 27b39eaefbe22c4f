"""Sweep rows agree with the advice service; parallel runs equal serial ones, in order."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from advisor import scenario as scenarios
from advisor.errors import AdvisorError, EngineError
from advisor.ruleset import PROJECT_ROOT, load_rulebase
from advisor.sample import random_scenarios
from advisor.service import advise
from advisor.slots import PARTNERS
from advisor.sweep.grid import make_grid
from advisor.sweep.inputs import read_scenarios
from advisor.sweep.outcome import COLUMNS, FACT_COLUMNS, RESULT_COLUMNS, Evaluator
from advisor.sweep.run import sweep_rows
from advisor.sweep.table import frame, summary

# An added rule that changes the rule base's hash without changing its advice.
EXTRA_RULE = (
    "topic: extra\nrules:\n  - id: extra.noop\n    title: Added to change the hash\n"
    "    when: {fact: host_consent, is: true}\n    then:\n      - derived: extra_noop\n"
    "    rationale: Only changes the version.\n    sections: ['6']\n"
)

HERE = Path(__file__).resolve().parent
GOOD = HERE / "fixtures" / "sweep" / "good"
CHAIN_GRID = [
    "host_authority=*",
    "interim_administration=true,false,unknown",
    "host_consent=true,false,unknown",
    "disputed_border=true,false",
    "agreements=none,ceasefire,unknown",
    "osce_participating_state=*",
    "conflict_status=stable,active_conflict",
]


def expected_cells(rulebase, scenario) -> dict:
    """What the sweep must show for a scenario, taken from the advice service itself."""
    data = advise(rulebase, scenario).to_json()
    partners = {p["id"] for p in data["partners"]}
    out = {
        "mandate": data["mandate"]["type"],
        "functions": ";".join(data["mandate"]["functions"]),
        "partial_substitution": data["mandate"]["partial_substitution"],
        "structure": data["structure"]["type"],
        "hq": data["hq"]["location"],
        "n_partners": len(partners),
        "n_objectives": len(data["objectives"]),
        "n_tasks": len(data["tasks"]),
        "n_expertise": len(data["expertise"]),
        "n_planning_steps": len(data["planning_steps"]),
        "n_warnings": len(data["warnings"]),
        "n_structure_elements": len(data["structure_elements"]),
        "n_firings": len(data["trace"]),
        "conflicts": ";".join(c["slot"] for c in data["conflicts"]),
        "unknown_facts_that_mattered": ";".join(data["unknown_facts_that_mattered"]),
    }
    out |= {f"partner_{p}": p in partners for p in PARTNERS}
    return out


def assert_rows_match_advice(rulebase, scenario_list):
    evaluator = Evaluator(rulebase, unknowns=True)
    for scenario in scenario_list:
        row = dict(zip(COLUMNS, evaluator.row(scenario)))
        want = expected_cells(rulebase, scenario)
        assert {k: row[k] for k in want} == want, scenario.name
        assert row["name"] == scenario.values.get("name")


def test_rows_agree_with_the_advice_service_on_the_chain_fixture(chain_rulebase):
    grid = make_grid(CHAIN_GRID)
    assert_rows_match_advice(chain_rulebase, list(grid.scenarios()))


def test_rows_agree_with_the_advice_service_on_the_real_examples(real_rulebase):
    """Grows with the example set: every example, and each with its first fact made unknown."""
    examples = [scenarios.load(p) for p in sorted((PROJECT_ROOT / "examples").glob("*.yaml"))]
    if not examples:
        pytest.skip("no examples yet")
    varied = []
    for s in examples:
        known = [path for path, _ in s.paths()]
        varied.append(s.with_value(known[0], None) if known else s)
    assert_rows_match_advice(real_rulebase, examples + varied)


@pytest.mark.parametrize("known", [0.3, 0.7, 0.95])
def test_rows_agree_with_the_advice_service_on_random_partial_scenarios(real_rulebase, chain_rulebase, known):
    """Many unknowns exercise the fast 'unknown facts that mattered' path."""
    sample = random_scenarios(60, seed=int(known * 100), known=known)
    assert_rows_match_advice(real_rulebase, sample)
    assert_rows_match_advice(chain_rulebase, sample)


def test_the_cache_reuses_results_only_for_identical_read_facts(chain_rulebase):
    evaluator = Evaluator(chain_rulebase)
    a = scenarios.from_mapping({"name": "a", "host_consent": True, "region": "sahel"})
    b = scenarios.from_mapping({"name": "b", "host_consent": True, "region": "other"})  # region unread
    c = scenarios.from_mapping({"name": "c", "host_consent": False})
    rows = [evaluator.row(s) for s in (a, b, c)]
    assert evaluator.hits == 1
    results = [r[len(FACT_COLUMNS) :] for r in rows]
    assert len(results[0]) == len(RESULT_COLUMNS)  # every result column, mandate and structure too
    assert results[0] == results[1]
    assert results[0] != results[2]  # the reused result is not merely what every scenario gets
    assert rows[0][0] == "a" and rows[1][0] == "b"
    assert dict(zip(COLUMNS, rows[0]))["mandate"] == advise(chain_rulebase, a).mandate
    assert dict(zip(COLUMNS, rows[2]))["mandate"] == "none"


@pytest.mark.slow
def test_parallel_equals_serial_on_a_grid(chain_rulebase):
    grid = make_grid(CHAIN_GRID)
    serial = frame(sweep_rows(grid, chain_rulebase, jobs=1))
    done = []
    parallel = frame(sweep_rows(grid, chain_rulebase, jobs=2, on_progress=done.append))
    pd.testing.assert_frame_equal(parallel, serial)
    assert list(serial["name"]) == [f"grid {i + 1}" for i in range(len(grid))]
    assert sum(done) == len(grid) and len(done) > 2  # several pieces, each reported


@pytest.mark.slow
def test_parallel_equals_serial_on_a_file_with_the_real_rule_base():
    real_rulebase = load_rulebase()  # fresh: workers check it against the files on disk
    base = read_scenarios(GOOD / "scenarios.csv")
    many = [s.with_value("name", f"{s.name}-{i}") for i in range(40) for s in base]
    serial = frame(sweep_rows(many, real_rulebase, jobs=1))
    parallel = frame(sweep_rows(many, real_rulebase, jobs=2))
    pd.testing.assert_frame_equal(parallel, serial)
    assert list(parallel["name"]) == [s.name for s in many]


@pytest.mark.slow
def test_workers_refuse_a_rule_base_that_is_not_the_one_on_disk(chain_rulebase, tmp_path):
    edited = load_rulebase(chain_rulebase.rules_dir, chain_rulebase.knowledge_dir, overlay={"extra.yaml": EXTRA_RULE})
    assert edited.sha256 != chain_rulebase.sha256
    with pytest.raises(EngineError, match="changed on disk"):
        sweep_rows(make_grid(["scope=*"]), edited, jobs=2)


def test_jobs_below_one_is_refused(chain_rulebase):
    with pytest.raises(AdvisorError, match="at least 1"):
        sweep_rows(make_grid(["scope=*"]), chain_rulebase, jobs=0)


def test_table_types_and_summary(chain_rulebase):
    grid = make_grid(["host_consent=true,false,unknown", "disputed_border=true,false"])
    df = frame(sweep_rows(grid, chain_rulebase))
    assert list(df.columns) == list(COLUMNS)
    assert len(df) == 6
    assert str(df["host_consent"].dtype) == "boolean" and df["host_consent"].isna().sum() == 2
    assert df["partner_frontex"].dtype == bool and str(df["n_firings"].dtype) == "int64"
    counts = summary(df)
    assert sum(counts["mandate"].values()) == 6
    assert counts["mandate"]["none"] == (df["mandate"] == "none").sum() == 2
    assert counts["partners"].get("frontex", 0) == int(df["partner_frontex"].sum())
