"""`advisor sweep` end to end: real files in, CSV/Parquet out, read back with pandas."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from advisor.cli import main

HERE = Path(__file__).resolve().parent
CHAIN = HERE / "fixtures" / "rulebases" / "chain"
SWEEP = HERE / "fixtures" / "sweep"
RULES = ["--rules", str(CHAIN / "rules"), "--knowledge", str(CHAIN / "knowledge")]
GRID = [
    "--vary",
    "host_authority=*",
    "--vary",
    "interim_administration=true,false,unknown",
    "--vary",
    "host_consent=true,false,unknown",
    "--vary",
    "disputed_border=true,false",
    "--vary",
    "agreements=none,ceasefire,unknown",
    "--vary",
    "osce_participating_state=*",
    "--vary",
    "conflict_status=stable,active_conflict",
]
GRID_SIZE = 3 * 3 * 3 * 2 * 3 * 2 * 2  # the product of the value counts


@pytest.mark.slow
def test_grid_to_csv_in_parallel_with_progress(tmp_path, capsys):
    out = tmp_path / "grid.csv"
    assert main(["sweep", *GRID, *RULES, "--jobs", "2", "-o", str(out)]) == 0
    captured = capsys.readouterr()
    df = pd.read_csv(out)
    assert len(df) == GRID_SIZE >= 500
    assert df["host_authority"].value_counts().to_dict() == {
        "absent": GRID_SIZE // 3,
        "limited": GRID_SIZE // 3,
        "functioning": GRID_SIZE // 3,
    }
    assert captured.out.startswith(f"{GRID_SIZE} scenarios\n")
    for mandate, n in df["mandate"].value_counts().items():
        assert any(line.split()[:2] == [mandate, f"{n:,}"] for line in captured.out.splitlines())
    assert f"table: {out}" in captured.out
    assert f"{GRID_SIZE}/{GRID_SIZE}" in captured.err  # the tqdm bar, on stderr only
    assert "partner_frontex" in df.columns and df["partner_frontex"].dtype == bool


def test_file_to_parquet_keeps_order_and_types(tmp_path, capsys):
    out = tmp_path / "table.parquet"
    assert main(["sweep", str(SWEEP / "good" / "scenarios.yaml"), *RULES, "-o", str(out)]) == 0
    df = pd.read_parquet(out)
    assert list(df["name"]) == ["interim-substitution", "42", "unknowns-everywhere"]
    assert list(df["mandate"]) == ["substitution", "none", "monitoring"]
    assert str(df["host_consent"].dtype) == "boolean" and pd.isna(df["host_consent"].iloc[2])
    assert list(df["agreements"].fillna("?")) == ["ceasefire;bcp_agreement", "none", "?"]
    assert "sweep:" not in capsys.readouterr().err  # 3 scenarios: no progress bar


def test_unknowns_column_is_filled_only_when_asked(tmp_path):
    """The column costs ~20x a row, so it is opt-in; when asked it equals the advice's own."""
    from advisor.ruleset import load_rulebase
    from advisor.service import advise

    source = SWEEP / "good" / "scenarios.yaml"
    plain, full = tmp_path / "plain.parquet", tmp_path / "full.parquet"
    assert main(["sweep", str(source), *RULES, "-o", str(plain)]) == 0
    assert main(["sweep", str(source), *RULES, "--unknowns", "-o", str(full)]) == 0
    assert pd.read_parquet(plain)["unknown_facts_that_mattered"].isna().all()
    rulebase = load_rulebase(CHAIN / "rules", CHAIN / "knowledge")
    from advisor.sweep.inputs import read_scenarios

    want = [";".join(advise(rulebase, s).to_json()["unknown_facts_that_mattered"]) for s in read_scenarios(source)]
    got = list(pd.read_parquet(full)["unknown_facts_that_mattered"])
    assert got == want and any(got)


def test_no_progress_and_summary_only(capsys):
    assert main(["sweep", *GRID, *RULES, "--jobs", "1", "--no-progress"]) == 0
    captured = capsys.readouterr()
    assert captured.err == "" and captured.out.startswith(f"{GRID_SIZE} scenarios")
    assert "table:" not in captured.out


@pytest.mark.parametrize(
    "argv, says",
    [
        (["--vary", "host_autority=absent"], "did you mean 'host_authority'"),
        (["--vary", "scope=nationl"], "did you mean 'national'"),
        ([str(SWEEP / "bad" / "bad_bool.csv")], "bad_bool.csv:3:3: field 'host_consent'"),
        ([str(SWEEP / "good" / "scenarios.csv"), "--vary", "scope=national"], "not both"),
        ([str(SWEEP / "good" / "scenarios.csv"), "--base", str(SWEEP / "good" / "expected.yaml")], "--base only"),
        ([], "nothing to sweep"),
        (["--vary", "scope=*", "-o", "out.xlsx"], "allowed: .csv, .parquet"),
        (["--vary", "scope=*", "--jobs", "0"], "at least 1"),
        (["--vary", "scope=*", "--base", "missing.yaml"], "missing.yaml"),
    ],
)
def test_bad_input_exits_2_with_nothing_on_stdout(argv, says, capsys, tmp_path):
    assert main(["sweep", *argv, *RULES]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert says in captured.err and captured.err.startswith("error: ")
    assert not (tmp_path / "out.xlsx").exists()


def test_unwritable_output_is_a_clean_error(tmp_path, capsys):
    assert main(["sweep", "--vary", "scope=*", *RULES, "-o", str(tmp_path / "no" / "such" / "dir.csv")]) == 2
    assert "cannot write the table" in capsys.readouterr().err


def test_base_scenario_fixes_the_other_facts(tmp_path, capsys):
    base = tmp_path / "base.yaml"
    base.write_text("name: base\nhost_consent: true\nosce_participating_state: true\n", encoding="utf-8")
    out = tmp_path / "t.csv"
    assert (
        main(["sweep", "--base", str(base), "--vary", "conflict_status=stable,active_conflict", *RULES, "-o", str(out)])
        == 0
    )
    df = pd.read_csv(out)
    assert list(df["name"]) == ["base 1", "base 2"]
    assert df["host_consent"].all()
    # The osce fixture rule excludes active conflict: the partner column shows the switch.
    assert list(df["partner_osce"]) == [True, False]


def test_help_documents_the_options(capsys):
    with pytest.raises(SystemExit):
        main(["sweep", "--help"])
    text = capsys.readouterr().out
    for option in ("--vary", "--base", "--output", "--jobs", "--no-progress", "FILE"):
        assert option in text
