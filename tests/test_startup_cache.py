"""The loader's in-process memos (advisor/ruleset.py `_LOADED`, advisor/yamlsrc.py `_PARSED`):
an unchanged rule base loads once, and any change of a file's text is seen at the next load."""

from __future__ import annotations

import shutil

import pytest

from advisor.errors import RuleFileError
from advisor.ruleset import DEFAULT_KNOWLEDGE, DEFAULT_RULES, load_rulebase
from advisor.yamlsrc import read_file


@pytest.fixture
def copy(tmp_path):
    rules, knowledge = tmp_path / "rules", tmp_path / "knowledge"
    shutil.copytree(DEFAULT_RULES, rules)
    shutil.copytree(DEFAULT_KNOWLEDGE, knowledge)
    return rules, knowledge


def _a_rule_file(rules):
    return next(p for p in sorted(rules.glob("*.yaml")) if p.name != "ruleset.yaml")


def test_unchanged_rule_base_is_loaded_once(copy):
    rules, knowledge = copy
    assert load_rulebase(rules, knowledge) is load_rulebase(rules, knowledge)


def test_changed_rule_file_is_picked_up(copy):
    rules, knowledge = copy
    before = load_rulebase(rules, knowledge)
    path = _a_rule_file(rules)
    first = next(r for r in before.rules if r.file == str(path))
    text = path.read_text(encoding="utf-8")
    assert f"title: {first.title}\n" in text
    # Same size, same second: the key is the content, not the time stamp.
    path.write_text(text.replace(f"title: {first.title}\n", f"title: {first.title[:-1]}X\n", 1), encoding="utf-8")
    after = load_rulebase(rules, knowledge)
    assert after is not before and after.sha256 != before.sha256
    assert after.rule(first.id).title == first.title[:-1] + "X"


def test_broken_edit_is_reported_not_served_from_memo(copy):
    rules, knowledge = copy
    load_rulebase(rules, knowledge)
    path = _a_rule_file(rules)
    path.write_text(path.read_text(encoding="utf-8") + "\n  : [unclosed\n", encoding="utf-8")
    with pytest.raises(RuleFileError) as err:
        load_rulebase(rules, knowledge)
    assert any(p.file == str(path) for p in err.value.problems)
    with pytest.raises(RuleFileError):  # a failed load is not kept as a success either
        load_rulebase(rules, knowledge)


def test_changed_knowledge_file_is_picked_up(copy):
    rules, knowledge = copy
    before = load_rulebase(rules, knowledge)
    path = sorted(knowledge.glob("*.yaml"))[0]
    path.write_text(path.read_text(encoding="utf-8") + "# reviewed\n", encoding="utf-8")
    after = load_rulebase(rules, knowledge)
    assert after is not before and after.sha256 != before.sha256


def test_overlay_bypasses_the_memo(copy):
    rules, knowledge = copy
    base = load_rulebase(rules, knowledge)
    path = _a_rule_file(rules)
    edited = path.read_text(encoding="utf-8") + "\n"
    assert load_rulebase(rules, knowledge, overlay={path.name: edited}) is not base


def test_parsed_file_memo_follows_the_text(tmp_path):
    f = tmp_path / "a.yaml"
    f.write_text("a: 1\n", encoding="utf-8")
    assert read_file(f)[0].data == {"a": 1}
    f.write_text("a: 2\n", encoding="utf-8")
    assert read_file(f)[0].data == {"a": 2}
    f.write_text("a: [\n", encoding="utf-8")
    doc, problems = read_file(f)
    assert doc is None and problems and problems[0].line is not None
