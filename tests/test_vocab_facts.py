"""The fact vocabulary is data (knowledge/facts.yaml): read, checked with located errors, and
exactly the contract's vocabulary that advisor/vocabulary.py defined in Python before the move."""

from __future__ import annotations

import json
import shutil
from dataclasses import asdict
from pathlib import Path

import pytest

from advisor import vocabulary as v
from advisor.authoring.schema import rules_schema, scenario_schema
from advisor.errors import AdvisorError, Problem
from advisor.knowledge import load_knowledge
from advisor.ruleset import DEFAULT_KNOWLEDGE

HERE = Path(__file__).resolve().parent / "fixtures" / "vocab"
BEFORE = json.loads((HERE / "before_yaml.json").read_text(encoding="utf-8"))
BAD = sorted((HERE / "bad").glob("*.yaml"))


def _plain(field: v.Field) -> dict:
    out = {k: list(x) if isinstance(x, tuple) else x for k, x in asdict(field).items()}
    out.pop("keys")  # new in the YAML: the mapping's keys were the module constant AREAS
    return out


@pytest.mark.parametrize("before", BEFORE["fields"], ids=[f["name"] for f in BEFORE["fields"]])
def test_each_field_equals_the_python_definition_it_replaces(before):
    assert _plain(v.FIELDS_BY_NAME[before["name"]]) == before


def test_same_fields_in_the_same_order_and_same_paths():
    assert [f.name for f in v.FIELDS] == [f["name"] for f in BEFORE["fields"]]
    assert list(v.AREAS) == BEFORE["areas"] == list(v.FIELDS_BY_NAME["host_capacity"].keys)
    got = {n: {"field": p.field.name, "domain": list(p.domain), "ordinal": p.ordinal} for n, p in v.PATHS.items()}
    assert got == BEFORE["paths"]


def test_the_scenario_schema_is_unchanged_by_the_move():
    before = json.loads((HERE / "scenario_schema_before.json").read_text(encoding="utf-8"))
    # Since the move, and on purpose (issue 17): free-text fields state their length limit.
    for f in v.FIELDS:
        if f.kind == v.TEXT:
            before["properties"][f.name]["maxLength"] = v.MAX_TEXT
    assert scenario_schema() == before


@pytest.mark.parametrize("fixture", BAD, ids=[p.stem for p in BAD])
def test_a_mistake_in_a_facts_file_gives_its_exact_located_error(fixture):
    expected = fixture.with_suffix(".expected").read_text(encoding="utf-8")
    with pytest.raises(AdvisorError) as err:
        v.read_vocabulary(fixture)
    assert "\n".join(str(p) for p in err.value.problems).replace(str(HERE) + "/", "") + "\n" == expected


def test_every_bad_fixture_has_its_expected_text():
    assert len(BAD) >= 10 and all(p.with_suffix(".expected").exists() for p in BAD)


def _with_new_value(tmp_path: Path) -> Path:
    text = (DEFAULT_KNOWLEDGE / "facts.yaml").read_text(encoding="utf-8")
    assert "east_africa, other]" in text
    out = tmp_path / "facts.yaml"
    out.write_text(text.replace("east_africa, other]", "east_africa, southern_africa, other]"), encoding="utf-8")
    return out


def test_a_new_value_written_in_yaml_alone_reaches_paths_and_schemas(tmp_path):
    vocab = v.read_vocabulary(_with_new_value(tmp_path))
    assert "southern_africa" in vocab.paths()["region"].domain
    assert "southern_africa" not in v.PATHS["region"].domain  # the vocabulary in service is untouched
    region = scenario_schema(vocab)["properties"]["region"]["anyOf"][0]["enum"]
    assert region.index("southern_africa") == region.index("east_africa") + 1
    tests = rules_schema(None, vocab)["$defs"]["fact_test"]["anyOf"]
    (test,) = [t for t in tests if t["properties"]["fact"] == {"const": "region"}]
    assert "southern_africa" in test["properties"]["is"]["enum"]


def test_the_packaged_knowledge_checks_its_facts_file_clean():
    problems: list[Problem] = []
    load_knowledge(DEFAULT_KNOWLEDGE, problems)
    assert problems == []


def _knowledge_copy(tmp_path: Path) -> Path:
    out = tmp_path / "knowledge"
    shutil.copytree(DEFAULT_KNOWLEDGE, out)
    return out


def test_a_facts_file_edited_after_start_up_is_reported_not_half_used(tmp_path):
    knowledge = _knowledge_copy(tmp_path)
    shutil.copy(_with_new_value(tmp_path), knowledge / "facts.yaml")
    problems: list[Problem] = []
    load_knowledge(knowledge, problems)
    (problem,) = problems
    assert problem.file == str(knowledge / "facts.yaml") and problem.line is not None
    assert problem.field == "region" and "restart" in problem.message


def test_a_broken_facts_file_in_a_knowledge_directory_is_a_located_problem(tmp_path):
    knowledge = _knowledge_copy(tmp_path)
    shutil.copy(HERE / "bad" / "unknown-kind.yaml", knowledge / "facts.yaml")
    problems: list[Problem] = []
    load_knowledge(knowledge, problems)
    assert [(p.field, p.value, p.line) for p in problems] == [("kind", "choise", 5)]


def test_the_areas_catalogue_must_match_the_mapping_keys(tmp_path):
    knowledge = _knowledge_copy(tmp_path)
    areas = knowledge / "areas.yaml"
    areas.write_text(
        areas.read_text(encoding="utf-8").replace("id: infrastructure", "id: infrastructures"), encoding="utf-8"
    )
    problems: list[Problem] = []
    load_knowledge(knowledge, problems)
    (problem,) = problems
    assert problem.file == str(areas) and "infrastructures" in problem.message and "infrastructure" in problem.allowed


def test_the_vocabulary_is_read_on_first_use_not_at_import():
    import subprocess
    import sys

    code = (
        "import advisor.vocabulary as v, sys; before = v._current is None; v.PATHS; "
        "sys.exit(0 if before and v._current is not None else 1)"
    )
    assert subprocess.run([sys.executable, "-c", code], timeout=60).returncode == 0
