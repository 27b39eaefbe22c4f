"""The command line: contract JSON on stdout, errors on stderr with exit status 2."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from advisor.cli import build_parser, main
from support import CHAIN_KNOWLEDGE, CHAIN_RULES, FIXTURES, ROOT, check_contract

CHAIN = ["--rules", str(CHAIN_RULES), "--knowledge", str(CHAIN_KNOWLEDGE)]
FULL = FIXTURES / "scenarios" / "good" / "full.yaml"
BAD = FIXTURES / "scenarios" / "bad"


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_recommend_json_is_exactly_one_contract_object(capsys, chain_rulebase):
    code, out, err = run(capsys, "recommend", str(FULL), "--format", "json", *CHAIN)
    assert code == 0
    doc = json.loads(out)  # raises if anything else is on stdout
    check_contract(doc, {r.id for r in chain_rulebase.rules})
    assert doc["scenario"] == "Every field set"
    assert doc["ruleset"]["sha256"] == chain_rulebase.sha256


def test_recommend_text_names_rules_and_sections(capsys):
    code, out, _ = run(capsys, "recommend", str(FULL), *CHAIN)
    assert code == 0
    assert "Mandate: substitution" not in out  # host authority is only limited, no interim administration
    assert "[monitoring]" in out and "§6.3" in out


def test_reference_engine_gives_the_same_json(capsys):
    _, durable, _ = run(capsys, "recommend", str(FULL), "--format", "json", *CHAIN)
    _, reference, _ = run(capsys, "recommend", str(FULL), "--format", "json", "--engine", "reference", *CHAIN)
    a, b = json.loads(durable), json.loads(reference)
    a.pop("trace"), b.pop("trace")
    assert a == b


@pytest.mark.parametrize("path", sorted(p for p in BAD.iterdir() if p.suffix != ".error"), ids=lambda p: p.name)
def test_bad_scenario_exits_2_with_nothing_on_stdout(capsys, path):
    code, out, err = run(capsys, "recommend", str(path), "--format", "json", *CHAIN)
    expected = path.with_suffix(".error").read_text(encoding="utf-8").strip()
    assert code == 2 and out == ""
    assert f"error: {path.parent}/{expected}" in err or f"error: {expected}" in err.replace(f"{path.parent}/", "")


def test_missing_scenario_file(capsys):
    code, out, err = run(capsys, "recommend", "no/such/file.yaml", *CHAIN)
    assert code == 2 and out == "" and "file not found" in err


def test_bad_rule_file_exits_2_naming_file_line_and_rule(capsys, tmp_path):
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "ruleset.yaml").write_text("version: 1\n")
    (rules / "x.yaml").write_text(
        "topic: x\nrules:\n  - id: r1\n    title: T\n    when: {fact: host_autority, is: absent}\n"
        "    then: [{mandate: strengthening}]\n    rationale: R\n    sections: ['6.1']\n"
    )
    code, out, err = run(capsys, "recommend", str(FULL), "--rules", str(rules), "--knowledge", str(CHAIN_KNOWLEDGE))
    assert code == 2 and out == ""
    assert f"{rules / 'x.yaml'}:5:18: rule r1: field 'host_autority': unknown fact 'host_autority'" in err
    assert "did you mean 'host_authority'?" in err


def test_validate_reports_ok_and_errors(capsys):
    code, out, _ = run(capsys, "validate", str(CHAIN_RULES), str(FIXTURES / "scenarios" / "good"), *CHAIN)
    assert code == 0 and "ok:" in out and "3 scenarios" in out
    code, out, err = run(capsys, "validate", str(BAD / "bad_value.yaml"), *CHAIN)
    assert code == 2 and out == "" and "postconflict" in err


def test_console_script_is_installed():
    result = subprocess.run(
        [sys.executable, "-m", "advisor.cli", "recommend", str(FULL), "--format", "json", *CHAIN],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["scenario"] == "Every field set"


def test_every_command_has_help_and_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    sub = next(a for a in build_parser()._actions if a.__class__.__name__ == "_SubParsersAction")
    for name, parser in sub.choices.items():
        assert parser.description or parser.format_help(), name
        assert f"advisor {name}" in readme, f"'advisor {name}' is not documented in README.md"
