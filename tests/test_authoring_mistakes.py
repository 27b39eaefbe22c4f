"""Every kind of authoring mistake produces its exact, located message.

One fixture file per mistake in tests/fixtures/authoring/mistakes/, validated by the real
CLI against a small rule base; the sibling `.expected` file holds the exact stderr text,
with fixture paths relative to tests/fixtures/authoring/. Exit status: 2 with an error,
0 with warnings only.
"""

from pathlib import Path

import pytest

from advisor.cli import main

HERE = Path(__file__).resolve().parent / "fixtures" / "authoring"
BASE = ["--rules", str(HERE / "rulebase" / "rules"), "--knowledge", str(HERE / "rulebase" / "knowledge")]
MISTAKES = sorted((HERE / "mistakes").glob("*.yaml"))


def validate(path: Path, capsys) -> tuple[int, str, str]:
    code = main(["validate", str(path), *BASE])
    out, err = capsys.readouterr()
    return code, out, err.replace(str(HERE) + "/", "")


@pytest.mark.parametrize("fixture", MISTAKES, ids=[p.stem for p in MISTAKES])
def test_mistake_gives_its_exact_error(fixture, capsys):
    expected = fixture.with_suffix(".expected").read_text(encoding="utf-8")
    code, out, err = validate(fixture, capsys)
    assert err == expected
    if "error:" in expected:
        assert code == 2 and out == ""
    else:
        assert code == 0 and out.startswith("ok:")


def test_every_mistake_fixture_has_its_expected_text():
    assert len(MISTAKES) >= 10
    for fixture in MISTAKES:
        assert fixture.with_suffix(".expected").exists(), fixture.name


def test_the_base_rule_base_alone_has_no_error(capsys):
    code, out, err = validate(HERE / "rulebase" / "rules", capsys)
    assert code == 0 and "error" not in err
