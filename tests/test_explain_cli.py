"""The explain, whatif and compare commands: output on stdout, bad input on stderr with exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from advisor.cli import main

HERE = Path(__file__).resolve().parent / "fixtures" / "explain"
RB = ["--rules", str(HERE / "rulebase" / "rules"), "--knowledge", str(HERE / "rulebase" / "knowledge")]
INTERIM = str(HERE / "scenarios" / "interim.yaml")
CONSENT = str(HERE / "scenarios" / "consent.yaml")


def run(capsys, *argv):
    code = main([*argv, *RB])
    out, err = capsys.readouterr()
    return code, out, err


def test_explain_text_json_dot(capsys):
    code, out, err = run(capsys, "explain", INTERIM)
    assert code == 0 and "[m.substitution]" in out and not err
    code, out, _ = run(capsys, "explain", INTERIM, "--format", "json")
    data = json.loads(out)
    assert data["kind"] == "why" and data["entries"][0]["target"]["name"] == "substitution"
    code, out, _ = run(capsys, "explain", INTERIM, "--format", "dot")
    assert out.startswith("digraph")


@pytest.mark.parametrize(
    "value,slot",
    [
        ("monitoring", "mandate"),
        ("partner:osce", "partner"),
        ("hq:border_sector", "hq"),
        ("structure:functional", "structure"),
        ("task:task.mon.ops.report", "task"),
    ],
)
def test_why_not_takes_the_contract_names(capsys, value, slot):
    code, out, _ = run(capsys, "explain", INTERIM, "--why-not", value, "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["kind"] == "why_not" and data["target"]["slot"] == slot


def test_whatif_flips_missing_and_target(capsys):
    code, out, _ = run(capsys, "whatif", CONSENT, "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["flips"]["flips"] and data["missing"]["facts"]
    code, out, _ = run(capsys, "whatif", CONSENT, "--target", "monitoring")
    assert code == 0 and "Smallest change set: 2" in out
    code, out, _ = run(capsys, "whatif", CONSENT, "--target", "monitoring", "--format", "json")
    assert json.loads(out)["minimal"] is True


def test_compare_two_files(capsys):
    code, out, _ = run(capsys, "compare", INTERIM, CONSENT)
    assert code == 0 and "mandate: substitution: yes | no" in out
    code, out, _ = run(capsys, "compare", INTERIM, CONSENT, "--format", "json")
    assert json.loads(out)["kind"] == "compare"


@pytest.mark.parametrize(
    "argv,needle",
    [
        (["explain", INTERIM, "--why-not", "osce"], "did you mean 'partner:osce'"),
        (["explain", INTERIM, "--why-not", "monitring"], "did you mean 'monitoring'"),
        (["whatif", INTERIM, "--target", "partnr:osce"], "unknown slot 'partnr'"),
        (["whatif", INTERIM, "--target", "partner:osec"], "did you mean 'partner:osce'"),
        (["compare", INTERIM], "at least two"),
        (["compare", INTERIM, str(HERE / "missing.yaml")], "missing.yaml"),
    ],
)
def test_bad_input_is_exit_2_with_nothing_on_stdout(capsys, argv, needle):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == "" and needle in err, err
    assert "allowed" in err or "at least two" in err or "missing.yaml" in err


def test_dot_is_refused_where_there_is_none(capsys):
    with pytest.raises(SystemExit) as caught:  # argparse refuses it: exit 2, usage on stderr
        run(capsys, "whatif", INTERIM, "--format", "dot")
    out, err = capsys.readouterr()
    assert caught.value.code == 2 and out == "" and "invalid choice: 'dot'" in err


def test_every_command_has_help_text():
    from advisor.cli import build_parser

    text = build_parser().format_help()
    for name in ("explain", "whatif", "compare"):
        assert name in text
