"""Hostile and broken input (issue 17): refused with a located message, in bounded time and memory."""

from __future__ import annotations

import itertools
import re
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest

from advisor import enginelimits, scenario
from advisor import vocabulary as v
from advisor.conditions.flatten import facts_of
from advisor.conditions.model import leaf_name
from advisor.errors import AdvisorError
from advisor.ruleset import load_rulebase, rule_files
from advisor.service import compiled_for

HERE = Path(__file__).resolve().parent
HOSTILE = HERE / "fixtures" / "hostile"
SCENARIOS = sorted(p for p in (HOSTILE / "scenarios").iterdir() if p.suffix != ".error")
CHAIN = HERE / "fixtures" / "rulebases" / "chain"
SCENARIO_OK = HERE.parent / "examples" / "airport_security_single_crossing_point.yaml"
MEGABYTE = 1 << 20


def _cli(*args: str, memory_mb: int = 1024) -> subprocess.CompletedProcess:
    """The real CLI in a subprocess under an address-space limit; the timeout is generous on purpose."""
    limit = (
        f"import resource, runpy, sys; resource.setrlimit(resource.RLIMIT_AS, ({memory_mb << 20}, {memory_mb << 20}));"
        "sys.argv = ['advisor'] + sys.argv[1:]; runpy.run_module('advisor.cli', run_name='__main__')"
    )
    return subprocess.run([sys.executable, "-c", limit, *args], capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.name)
def test_hostile_scenario_is_refused_located_and_small(path):
    expected = path.with_suffix(".error").read_text(encoding="utf-8").strip()
    tracemalloc.start()
    try:
        with pytest.raises(AdvisorError) as caught:
            scenario.load(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    first = str(caught.value.problems[0])
    assert first.startswith(str(path.parent / expected)), first
    assert peak < 100 * MEGABYTE, f"{peak / MEGABYTE:.0f} MB"


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.name)
def test_cli_refuses_hostile_scenario_with_exit_2_and_nothing_on_stdout(path):
    done = _cli("recommend", str(path))
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    assert path.name in done.stderr


def test_alias_bomb_is_tiny_and_would_expand_to_a_billion_values():
    text = (HOSTILE / "scenarios" / "alias_bomb.yaml").read_bytes()
    assert len(text) < 400 and text.count(b"*") == 72  # 9 levels of 9 aliases: 9^9 leaves if expanded


@pytest.mark.parametrize(
    "name,expected",
    [
        ("condition_bomb", "bomb.yaml:4: rule bomb: condition has too many alternatives"),
        ("empty_rules", "empty.yaml:2:8: a rule file must contain at least one rule"),
    ],
)
def test_hostile_rule_base_is_refused(name, expected):
    rules = HOSTILE / "rulebases" / name / "rules"
    tracemalloc.start()
    try:
        with pytest.raises(AdvisorError) as caught:
            load_rulebase(rules, CHAIN / "knowledge")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert any(str(p).endswith(expected) or expected in str(p) for p in caught.value.problems), caught.value
    assert peak < 100 * MEGABYTE
    done = _cli("validate", "--rules", str(rules), "--knowledge", str(CHAIN / "knowledge"))
    assert done.returncode == 2 and "Traceback" not in done.stderr and expected in done.stderr


def test_yml_rule_files_load_like_yaml(tmp_path):
    rules = tmp_path / "rules"
    rules.mkdir()
    for f in (CHAIN / "rules").iterdir():
        (rules / f.name).write_bytes(f.read_bytes())
    whole = load_rulebase(rules, CHAIN / "knowledge")
    (rules / "chain.yaml").rename(rules / "chain.yml")
    assert [p.name for p in rule_files(rules)] == ["chain.yml"]
    renamed = load_rulebase(rules, CHAIN / "knowledge")
    assert [r.id for r in renamed.rules] == [r.id for r in whole.rules]


def _many_rules(tmp_path: Path, copies: int) -> Path:
    """`copies` copies of the chain fixture's rules, ids made unique, as one rule base."""
    rules = tmp_path / "rules"
    rules.mkdir(parents=True)
    (rules / "ruleset.yaml").write_bytes((CHAIN / "rules" / "ruleset.yaml").read_bytes())
    text = (CHAIN / "rules" / "chain.yaml").read_text(encoding="utf-8")
    for k in range(copies):
        (rules / f"chain{k:03}.yaml").write_text(
            text.replace("topic: chain", f"topic: chain{k}").replace("  - id: ", f"  - id: c{k}-"), encoding="utf-8"
        )
    return rules


@pytest.mark.parametrize("copies", [20, 40, 80])
def test_validate_accepts_only_what_the_engine_compiles(tmp_path, copies):
    """validate's verdict and recommend's agree, both ways (80 copies: error 303 predicted)."""
    rules = _many_rules(tmp_path, copies)
    knowledge = str(CHAIN / "knowledge")
    validated = _cli("validate", "--rules", str(rules), "--knowledge", knowledge, str(rules))
    served = _cli("recommend", "--rules", str(rules), "--knowledge", knowledge, str(SCENARIO_OK))
    assert "Traceback" not in validated.stderr + served.stderr
    assert (validated.returncode == 0) == (served.returncode == 0), (validated.stderr, served.stderr)
    if validated.returncode:
        assert "error 303" in validated.stderr and "at most 64 tests pending" in validated.stderr


def _worst_case_scenarios(rulebase):
    """Every combination of values of the facts the rule base tests: the facts that could overflow."""
    base = scenario.load(SCENARIO_OK)
    paths = sorted({t.path for c in rulebase.plan.rules for conj in c.conjuncts for t in conj.tests})
    choices = []
    for path in paths:
        field = v.PATHS[path].field
        if field.kind == v.LIST:
            members = sorted(
                {t.leaf for c in rulebase.plan.rules for conj in c.conjuncts for t in conj.tests if t.path == path}
            )
            tested = [m for m in field.values if leaf_name(path, m) in members]
            choices.append([list(s) for k in range(len(tested) + 1) for s in itertools.combinations(tested, k)])
        else:
            choices.append(list(v.PATHS[path].domain))
    for values in itertools.product(*choices):
        s = base
        for path, value in zip(paths, values):
            s = s.with_value(path, value)
        yield s


def test_largest_accepted_base_evaluates_on_every_worst_case_fact_and_one_more_copy_is_refused(tmp_path):
    """The error-303 boundary (advisor/enginelimits.py): 63 chain copies pass, 64 do not.

    Measured when the bound was written: with 64 copies the engine really fails with 303 on 32 of
    the 96 combinations of the facts the chain rules test (host_authority limited or absent), so
    the bound is tight here, not just safe.
    """
    accepted = load_rulebase(_many_rules(tmp_path / "a", 63), CHAIN / "knowledge")
    engine = compiled_for(accepted)
    evaluated = 0
    for s in _worst_case_scenarios(accepted):
        engine.evaluate(s)  # raises EngineError on error 303
        evaluated += 1
    assert evaluated >= 96
    with pytest.raises(AdvisorError) as caught:
        load_rulebase(_many_rules(tmp_path / "b", 64), CHAIN / "knowledge")
    (problem,) = caught.value.problems
    text = str(problem)
    assert "error 303" in text and "up to 65 pending" in text and "at most 64" in text, text
    assert problem.rule_id and problem.rule_id.endswith("-executive-powers") and problem.line, problem
    assert "host_authority" in text and "and 58 more" in text, text


def test_the_bound_relies_on_facts_in_vocabulary_order():
    """enginelimits assumes scenario facts reach the engine in vocabulary order (areas aside)."""
    text = SCENARIO_OK.read_text(encoding="utf-8").splitlines()
    head, body = text[:5], [line for line in text[5:] if line and not line.startswith("#")]
    scrambled = scenario.from_text("\n".join(head + body[::-1]) + "\n", "scrambled.yaml")
    order = enginelimits._fact_order()
    ranks = [order[leaf] for leaf in facts_of(scrambled)]
    assert len(ranks) > 30
    assert [r[0] for r in ranks] == sorted(r[0] for r in ranks)


def test_validate_refuses_the_rule_base_the_engine_refuses_with_108(tmp_path):
    """Three renamed copies of the shipped rules (444 rules, 645 alternatives) overflow the engine."""

    shipped = HERE.parent / "rules"
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "ruleset.yaml").write_bytes((shipped / "ruleset.yaml").read_bytes())
    for k in range(3):
        for f in rule_files(shipped):
            text = re.sub(r"(?m)^(\s*- id: )", rf"\g<1>k{k}-", f.read_text(encoding="utf-8"))
            if k and "\ndecide: " in text:  # a slot has one decision table: copies conclude a derived fact
                text = (
                    re.sub(r"(?m)^decide: \w+\n", "", text)
                    .replace("\nrules:\n", "\n")
                    .replace("\nrows:\n", "\nrules:\n")
                )
                text = re.sub(
                    r"(?m)^    (mandate|structure|hq): (\w+)\n(    then:\n)?",
                    r"    then:\n      - derived: copy_\2\n",
                    text,
                )
            (rules / f"{k}_{f.name}").write_text(text, encoding="utf-8")
    knowledge = str(HERE.parent / "knowledge")
    validated = _cli("validate", "--rules", str(rules), "--knowledge", knowledge, str(rules))
    assert validated.returncode == 2 and "Traceback" not in validated.stderr
    assert re.search(r"error code: 108 \(\d+ engine alternatives", validated.stderr), validated.stderr
    served = _cli("recommend", "--rules", str(rules), "--knowledge", knowledge, str(SCENARIO_OK))
    assert served.returncode == 2 and "108" in served.stderr
