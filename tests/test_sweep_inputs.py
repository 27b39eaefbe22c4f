"""Scenario tables in every format read to the same scenarios; bad cells are located."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

from advisor.errors import ScenarioError
from advisor.sweep.cells import native
from advisor.sweep.inputs import read_scenarios

HERE = Path(__file__).resolve().parent
GOOD = HERE / "fixtures" / "sweep" / "good"
BAD = HERE / "fixtures" / "sweep" / "bad"
EXPECTED_GOOD = yaml.safe_load((GOOD / "expected.yaml").read_text(encoding="utf-8"))
EXPECTED_BAD = yaml.safe_load((BAD / "expected.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", sorted(p for p in GOOD.iterdir() if p.stem == "scenarios"), ids=lambda p: p.name)
def test_every_format_reads_the_same_scenarios(path):
    scenarios = read_scenarios(path)
    assert [s.to_dict() for s in scenarios] == EXPECTED_GOOD
    # Each scenario remembers the line it came from, for error messages later on.
    assert all(s.source.startswith(str(path)) for s in scenarios)


def test_every_bad_fixture_has_an_expectation():
    assert sorted(EXPECTED_BAD) == sorted(p.name for p in BAD.iterdir() if p.name != "expected.yaml")


@pytest.mark.parametrize("name", sorted(EXPECTED_BAD))
def test_bad_input_is_located(name):
    with pytest.raises(ScenarioError) as caught:
        read_scenarios(BAD / name)
    problems = caught.value.problems
    for want in EXPECTED_BAD[name]:
        matching = [
            p
            for p in problems
            if all(getattr(p, key) == value for key, value in want.items() if key != "says") and want["says"] in str(p)
        ]
        assert matching, f"{name}: no problem like {want} in:\n{caught.value}"
        assert all(p.file and p.file.startswith(str(BAD / name)) for p in matching)


def test_missing_file_is_an_error_not_a_crash(tmp_path):
    with pytest.raises(ScenarioError, match="file not found"):
        read_scenarios(tmp_path / "nowhere.csv")


def test_many_bad_rows_are_capped_with_a_count(tmp_path):
    path = tmp_path / "many.csv"
    path.write_text("name,scope\n" + "".join(f"s{i},nowhere\n" for i in range(100)), encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        read_scenarios(path)
    problems = caught.value.problems
    assert len(problems) == 26
    assert problems[0].line == 2 and problems[24].line == 26
    assert "75 more problems" in problems[-1].message


def test_pandas_written_excel_with_numpy_types(tmp_path):
    """A sheet saved by pandas (numpy bools and ints) still gives plain Python facts."""
    df = pd.DataFrame(
        {
            "name": ["a", "b"],
            "host_consent": [True, False],
            "disputed_border": [1, 0],
            "host_authority": ["absent", None],
        }
    )
    path = tmp_path / "from_pandas.xlsx"
    df.to_excel(path, index=False)
    scenarios = read_scenarios(path)
    assert [s.to_dict() for s in scenarios] == [
        {"name": "a", "host_authority": "absent", "host_consent": True, "disputed_border": True},
        {"name": "b", "host_consent": False, "disputed_border": False},
    ]
    assert all(type(s.values["host_consent"]) is bool for s in scenarios)


@pytest.mark.parametrize(
    "value, plain",
    [
        (pd.Series([True]).iloc[0], True),
        (pd.Series([3]).iloc[0], 3),
        (pd.Series([1.5]).iloc[0], 1.5),
        (float("nan"), None),
        (pd.NA, None),
        ("x", "x"),
        (None, None),
    ],
)
def test_native_converts_numpy_and_missing(value, plain):
    out = native(value)
    assert out == plain and type(out) is type(plain)
