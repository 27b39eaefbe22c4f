"""advisor test / coverage / verify / diff-rules / rules / schema, on fixture rule bases we own.

Every command runs through the CLI's main() and the real engine; expected texts sit next
to their fixtures (paths in them are relative to tests/fixtures/authoring/).
"""

import json
import shutil
from itertools import product
from pathlib import Path

import jsonschema
import pytest
import yaml

from advisor import scenario as scenarios
from advisor.authoring.regions import negate
from advisor.authoring.verify import _Checker, _data, leaf_domains
from advisor.cli import main
from advisor.ruleset import DEFAULT_RULES, load_rulebase, rule_files
from advisor.ruleset import PROJECT_ROOT as ROOT
from advisor.service import advise

HERE = Path(__file__).resolve().parent / "fixtures" / "authoring"
BASE = HERE / "rulebase"
KNOW = ["--knowledge", str(BASE / "knowledge")]
ON_BASE = ["--rules", str(BASE / "rules"), *KNOW]


def run(argv, capsys):
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out.replace(str(HERE) + "/", ""), err.replace(str(HERE) + "/", "")


# ---------------------------------------------------------------- advisor test


def test_passing_tests_pass_and_fire_every_rule(capsys):
    code, out, err = run(["test", *ON_BASE, str(HERE / "ruletests" / "chain-pass.yaml"), "--threshold", "100"], capsys)
    assert (code, err) == (0, "")
    assert "4 passed, 0 failed" in out and "12/12 rules fired (100.0%)" in out


def test_a_failing_test_says_what_came_instead(capsys):
    code, out, _ = run(["test", *ON_BASE, str(HERE / "ruletests" / "chain-fail.yaml")], capsys)
    assert code == 1
    assert out == (HERE / "ruletests" / "chain-fail.expected").read_text(encoding="utf-8")


def test_typos_in_a_test_file_are_located_errors_before_anything_runs(capsys):
    code, out, err = run(["test", *ON_BASE, str(HERE / "ruletests-bad" / "typos.yaml")], capsys)
    assert (code, out) == (2, "")
    assert err == (HERE / "ruletests-bad" / "typos.expected").read_text(encoding="utf-8")


def test_coverage_below_threshold_fails_and_lists_rules_never_fired(capsys):
    code, out, _ = run(["test", *ON_BASE, str(HERE / "ruletests" / "chain-pass.yaml"), "--format", "json"], capsys)
    assert code == 0 and "coverage" not in json.loads(out)
    code, out, _ = run(
        ["test", *ON_BASE, str(HERE / "ruletests" / "chain-fail.yaml"), "--threshold", "90", "--format", "json"], capsys
    )
    report = json.loads(out)["coverage"]
    assert code == 1
    assert set(report["never_fired"]) == {
        "monitoring",
        "strengthening-default",
        "none-without-consent",
        "osce",
        "absence-of-deep-fact",
        "reads-absence",
    }
    assert report["fired"] + len(report["never_fired"]) == report["rules"] == 12


def test_no_test_files_is_a_clear_error(tmp_path, capsys):
    code, out, err = run(["test", *ON_BASE, str(tmp_path)], capsys)
    assert (code, out) == (2, "") and "no rule-test files found" in err


# ---------------------------------------------------------------- advisor verify


def verify_json(name, capsys, *extra):
    code, out, _ = run(
        ["verify", "--rules", str(HERE / "verify" / name / "rules"), *KNOW, "--format", "json", *extra], capsys
    )
    return code, json.loads(out)


def kinds(report):
    return sorted((f["kind"], tuple(f["rules"]), f["slot"]) for f in report["findings"])


def test_verify_finds_an_equal_priority_conflict_with_an_engine_confirmed_counter_example(capsys):
    code, report = verify_json("conflict", capsys, "--engine", "durable")
    assert code == 1
    assert kinds(report) == [("conflict", ("hq.sector", "hq.large"), "hq")]
    example = report["findings"][0]["scenario"]
    rb = load_rulebase(HERE / "verify" / "conflict" / "rules", BASE / "knowledge")
    advice = advise(rb, scenarios.from_mapping(example))  # the durable-rules engine
    assert [(c.slot, set(c.values)) for c in advice.conflicts] == [("hq", {"capital", "border_sector"})]


def test_verify_finds_cycles_dead_rules_and_a_scenario_without_mandate(capsys):
    code, report = verify_json("cycle", capsys)
    assert code == 1
    assert kinds(report) == [
        ("cycle", ("a", "b"), None),
        ("incomplete", (), "mandate"),
        ("never-fires", ("a",), None),
        ("never-fires", ("b",), None),
    ]
    gap = next(f for f in report["findings"] if f["kind"] == "incomplete")["scenario"]
    assert gap["host_capacity"]["legislative"] in ("partial", "adequate")


def test_verify_finds_rules_that_can_never_fire(capsys):
    code, report = verify_json("dead", capsys)
    assert code == 0  # warnings only
    assert kinds(report) == [
        ("never-fires", ("contradiction",), None),
        ("never-fires", ("never-without-always",), None),
    ]
    code, _ = verify_json("dead", capsys, "--strict")
    assert code == 1


def test_verify_finds_a_shadowed_rule(capsys):
    code, report = verify_json("shadowed", capsys)
    assert kinds(report) == [("shadowed", ("structure.functional",), "structure")]
    assert report["findings"][0]["scenario"]["host_consent"] is True


def test_verify_on_the_chain_fixture_reports_missing_structure_and_hq(capsys):
    code, report = verify_json("../rulebase", capsys)
    assert code == 1
    assert kinds(report) == [("incomplete", (), "hq"), ("incomplete", (), "structure")]


@pytest.mark.parametrize(
    "rules,gaps", [(BASE / "rules", False), (HERE / "verify" / "cycle" / "rules", True)], ids=["chain", "cycle"]
)
def test_symbolic_mandate_gap_agrees_with_running_every_combination(rules, gaps):
    """Brute force over every combination of the facts the fixture's rules read."""
    rb = load_rulebase(rules, BASE / "knowledge")
    checker = _Checker(rb)
    region = negate(checker.proposes("mandate"), leaf_domains())
    leaves = checker.read_leaves
    domains = leaf_domains()
    combos = list(product(*(domains[leaf] for leaf in leaves)))
    assert 2 < len(combos) < 3000
    found = 0
    for values in combos:
        choice = dict(zip(leaves, values))
        data = _data(choice)
        advice = advise(rb, scenarios.from_mapping(data), engine="reference")
        in_gap = any(all(choice.get(leaf, domains[leaf][0]) in allowed for leaf, allowed in box) for box in region)
        assert (advice.one("mandate") is None) == in_gap, data
        found += in_gap
    assert bool(found) == gaps


# ---------------------------------------------------------------- advisor coverage --concept


def test_concept_map_flags_missing_sections_and_unknown_ids(capsys):
    code, out, _ = run(
        [
            "coverage",
            "--concept",
            "--rules",
            str(HERE / "concept" / "rules"),
            "--knowledge",
            str(HERE / "concept" / "knowledge"),
        ],
        capsys,
    )
    assert code == 1
    assert out == (HERE / "concept" / "coverage.expected").read_text(encoding="utf-8")


def test_concept_map_passes_when_every_actionable_section_has_a_rule(tmp_path, capsys):
    shutil.copytree(HERE / "concept", tmp_path / "c")
    cov = tmp_path / "c" / "knowledge" / "coverage.yaml"
    cov.write_text(
        cov.read_text()
        .replace("strengthen-more", "strengthen")
        .replace("mandate.strenghtening", "")
        .replace(", ]", "]"),
        encoding="utf-8",
    )
    (tmp_path / "c" / "rules" / "rules.yaml").write_text(
        (HERE / "concept" / "rules" / "rules.yaml").read_text().replace('sections: ["6.1"]', 'sections: ["6.1", "7"]')
    )
    code, out, _ = run(
        [
            "coverage",
            "--concept",
            "--rules",
            str(tmp_path / "c" / "rules"),
            "--knowledge",
            str(tmp_path / "c" / "knowledge"),
            "--format",
            "json",
        ],
        capsys,
    )
    report = json.loads(out)
    assert (code, report["ok"], report["implemented"], report["actionable"]) == (0, True, 3, 3)


# ---------------------------------------------------------------- advisor rules, diff-rules, schema


def test_rules_lists_every_rule_at_its_line(capsys):
    code, out, _ = run(["rules", *ON_BASE, "--format", "json"], capsys)
    rules = json.loads(out)["rules"]
    assert code == 0 and len(rules) == 12
    for r in rules:
        assert set(r) >= {"id", "title", "file", "line", "sections", "topic", "priority"}
        line = (BASE / r["file"]).read_text().splitlines()[r["line"] - 1]
        assert f"id: {r['id']}" in line


def test_diff_rules_reports_changed_advice(tmp_path, capsys):
    shutil.copytree(BASE, tmp_path / "new")
    chain = tmp_path / "new" / "rules" / "chain.yaml"
    chain.write_text(chain.read_text().replace("priority: 5\n", "priority: 15\n"), encoding="utf-8")
    scen = tmp_path / "scenarios"
    scen.mkdir()
    (scen / "both.yaml").write_text(
        "host_authority: absent\ninterim_administration: true\nhost_consent: true\ndisputed_border: true\n"
    )
    (scen / "calm.yaml").write_text("host_consent: true\n")
    code, out, _ = run(
        [
            "diff-rules",
            str(BASE / "rules"),
            str(tmp_path / "new" / "rules"),
            "--scenarios",
            str(scen),
            "--format",
            "json",
        ],
        capsys,
    )
    report = json.loads(out)
    assert code == 0 and report["scenarios"] == 2
    assert [
        (c["scenario"].endswith("both.yaml"), [(x["slot"], x["old"], x["new"]) for x in c["changes"]])
        for c in report["changed"]
    ] == [(True, [("mandate", ["substitution"], ["monitoring"])])]


def test_schemas_are_valid_and_accept_the_real_files_and_reject_mistakes(capsys):
    _, out, _ = run(["schema", "rules", *KNOW], capsys)
    rules = jsonschema.Draft202012Validator(json.loads(out))
    _, out, _ = run(["schema", "rules"], capsys)  # with the shipped knowledge, for the shipped rule files
    real_rules = jsonschema.Draft202012Validator(json.loads(out))
    _, out, _ = run(["schema", "scenario"], capsys)
    scenario = jsonschema.Draft202012Validator(json.loads(out))
    for schema in (rules, real_rules, scenario):
        jsonschema.Draft202012Validator.check_schema(schema.schema)
    assert list(rules.iter_errors(yaml.safe_load((BASE / "rules" / "chain.yaml").read_text()))) == []
    shipped = rule_files(DEFAULT_RULES)
    assert len(shipped) > 10, shipped  # the real rule files, not a fixture
    for path in shipped:
        errors = [e.message for e in real_rules.iter_errors(yaml.safe_load(path.read_text(encoding="utf-8")))]
        assert errors == [], (path.name, errors[:3])
    examples = sorted((ROOT / "examples").glob("*.yaml"))
    assert examples
    for path in examples:
        errors = [e.message for e in scenario.iter_errors(yaml.safe_load(path.read_text(encoding="utf-8")))]
        assert errors == [], (path.name, errors[:3])
    assert (
        list(
            scenario.iter_errors(
                {
                    "host_consent": True,
                    "host_capacity": {"legislative": "weak"},
                    "agreements": ["ceasefire"],
                    "displacement": "unknown",
                }
            )
        )
        == []
    )
    assert list(scenario.iter_errors({"host_consnt": True}))
    for name in ("unknown-fact", "unknown-value", "unknown-partner", "malformed-condition", "wrong-type"):
        data = yaml.safe_load((HERE / "mistakes" / f"{name}.yaml").read_text())
        assert list(rules.iter_errors(data)), name
