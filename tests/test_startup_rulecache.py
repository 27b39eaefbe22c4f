"""The on-disk rule-base cache (advisor/rulecache.py): what it reads back equals what the
loader builds, a damaged file is rebuilt, a rule base with errors is never cached."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from advisor import rulecache, ruleset
from advisor.errors import RuleFileError
from advisor.ruleset import DEFAULT_KNOWLEDGE, DEFAULT_RULES, load_rulebase

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
# Every rule base under tests/fixtures: each with its own knowledge folder when it has one.
FIXTURE_RULEBASES = sorted(
    (p, p.parent / "knowledge" if (p.parent / "knowledge").is_dir() else DEFAULT_KNOWLEDGE)
    for p in (TESTS / "fixtures").rglob("rules")
    if p.is_dir() and list(p.glob("*.y*ml"))
)


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """A fresh cache folder, and a loader that remembers nothing from earlier loads in this
    process: every load below goes through the disk (the in-process memo is a dict)."""
    directory = tmp_path / "cache"
    monkeypatch.setenv(rulecache.ENV, str(directory))
    ruleset._LOADED.clear()
    yield directory
    ruleset._LOADED.clear()


def fresh_load(rules=DEFAULT_RULES, knowledge=DEFAULT_KNOWLEDGE):
    ruleset._LOADED.clear()
    return load_rulebase(rules, knowledge)


def built(rules, knowledge, monkeypatch):
    monkeypatch.setenv(rulecache.ENV, "off")
    try:
        return fresh_load(rules, knowledge)
    finally:
        monkeypatch.undo()


def cache_files(directory: Path) -> list[Path]:
    return sorted(directory.glob("rulebase-*.json")) if directory.is_dir() else []


def assert_same(a, b):
    assert a == b
    # Fields equality leaves out (compare=False) and orders a mapping does not compare.
    for x, y in zip(a.rules, b.rules):
        assert (x.spots, x.written, type(x.spots)) == (y.spots, y.written, type(y.spots)), x.id
        assert (x.written is x.condition) == (y.written is y.condition), x.id
    assert list(a.knowledge.entries) == list(b.knowledge.entries)
    assert [list(e.extra.items()) for e in a.knowledge.entries.values()] == [
        list(e.extra.items()) for e in b.knowledge.entries.values()
    ]
    assert a.knowledge.special == b.knowledge.special
    assert list(a.plan.by_id) == list(b.plan.by_id) and list(a.plan.producers) == list(b.plan.producers)


def test_real_rule_base_from_the_cache_equals_the_built_one(cache, monkeypatch):
    reference = built(DEFAULT_RULES, DEFAULT_KNOWLEDGE, monkeypatch)
    monkeypatch.setenv(rulecache.ENV, str(cache))
    first = fresh_load()
    assert len(cache_files(cache)) == 1, "a successful load is stored"
    second = fresh_load()
    assert second is not first
    assert_same(second, reference)
    assert_same(first, reference)


def test_cache_is_read_not_rebuilt(cache):
    fresh_load()
    (path,) = cache_files(cache)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["rulebase"]["rules"][0][1] = "A title only the cache file has"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert fresh_load().rules[0].title == "A title only the cache file has"


@pytest.mark.parametrize(
    "rules, knowledge", FIXTURE_RULEBASES, ids=[str(r.parent.relative_to(TESTS)) for r, _ in FIXTURE_RULEBASES]
)
def test_fixture_rule_bases_cache_alike(rules, knowledge, cache, monkeypatch):
    try:
        reference = built(rules, knowledge, monkeypatch)
    except RuleFileError as err:
        problems = err.problems
        monkeypatch.setenv(rulecache.ENV, str(cache))
        for _ in range(2):
            with pytest.raises(RuleFileError) as again:
                fresh_load(rules, knowledge)
            assert again.value.problems == problems
        assert cache_files(cache) == []
        return
    monkeypatch.setenv(rulecache.ENV, str(cache))
    fresh_load(rules, knowledge)
    assert len(cache_files(cache)) == 1
    assert_same(fresh_load(rules, knowledge), reference)


DAMAGE = {
    "truncated": lambda text: text[: len(text) // 2],
    "empty": lambda text: "",
    "garbage": lambda text: "\x00\xff not json {{{",
    "not utf-8": lambda text: "\udcff",
    "a list": lambda text: "[]",
    "wrong format": lambda text: text.replace(f'{{"format":{rulecache.FORMAT},', '{"format":99,', 1),
    "no rule base": lambda text: json.dumps({"format": rulecache.FORMAT, "key": json.loads(text)["key"]}),
    "rule base of another shape": lambda text: json.dumps(
        {"format": rulecache.FORMAT, "key": json.loads(text)["key"], "rulebase": {"rules": [[1, 2]]}}
    ),
    "rules of the wrong type": lambda text: text.replace('"rules":[[', '"rules":[[7,', 1),
    "another key": lambda text: text.replace(json.loads(text)["key"], "0" * 64, 1),
    "oversized": lambda text: text + " " * (rulecache.MAX_BYTES + 1 - len(text)),
}


@pytest.mark.parametrize("damage", DAMAGE.values(), ids=DAMAGE)
def test_damaged_cache_file_is_ignored_and_rebuilt(damage, cache, monkeypatch):
    reference = built(DEFAULT_RULES, DEFAULT_KNOWLEDGE, monkeypatch)
    monkeypatch.setenv(rulecache.ENV, str(cache))
    fresh_load()
    (path,) = cache_files(cache)
    good = path.read_text(encoding="utf-8")
    bad = damage(good)
    path.write_bytes(bad.encode("utf-8", "surrogateescape"))
    assert path.read_bytes() != good.encode("utf-8")
    assert_same(fresh_load(), reference)
    assert path.read_text(encoding="utf-8") == good, "the damaged file is replaced by a good one"


def test_rule_base_with_errors_is_never_cached(cache, tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(DEFAULT_RULES, rules)
    fresh_load(rules)
    assert len(cache_files(cache)) == 1
    path = next(p for p in sorted(rules.glob("*.yaml")) if p.name != ruleset.MANIFEST)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("sections:", "sections: [nowhere]\n    was_sections:", 1), encoding="utf-8")
    reports = []
    for _ in range(2):
        with pytest.raises(RuleFileError) as err:
            fresh_load(rules)
        reports.append(err.value.problems)
    assert reports[0] == reports[1] and any(p.file == str(path) and p.line for p in reports[0])
    assert len(cache_files(cache)) == 1, "only the good version was stored"
    path.write_text(text, encoding="utf-8")
    assert fresh_load(rules).rules  # the good version is back, served from its cache file


def test_edited_rule_file_is_not_served_from_the_cache(cache, tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(DEFAULT_RULES, rules)
    before = fresh_load(rules)
    rule = before.rules[0]
    path = Path(rule.file)
    path.write_text(path.read_text(encoding="utf-8").replace(f"title: {rule.title}\n", "title: Edited\n", 1), "utf-8")
    after = fresh_load(rules)
    assert after.rule(rule.id).title == "Edited" and after.sha256 != before.sha256
    assert len(cache_files(cache)) == 2


def test_cache_off_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv(rulecache.ENV, "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    fresh_load()
    ruleset._LOADED.clear()
    assert not any(tmp_path.rglob("*.json"))


def test_old_cache_files_are_pruned(cache, tmp_path, monkeypatch):
    monkeypatch.setattr(rulecache, "KEEP", 2)
    rules = tmp_path / "rules"
    shutil.copytree(DEFAULT_RULES, rules)
    manifest = rules / ruleset.MANIFEST
    text = manifest.read_text(encoding="utf-8")
    for i in range(4):
        manifest.write_text(text + f"# edit {i}\n", encoding="utf-8")
        fresh_load(rules)
    assert len(cache_files(cache)) == 2


def test_key_covers_every_advisor_module_the_loader_runs(tmp_path):
    """LOADER_MODULES is the code whose bytes are in the key: loading must import no other
    advisor module (else an edit of it could be served a stale cache in a checkout)."""
    code = (
        "import sys; from advisor.ruleset import load_rulebase; load_rulebase();"
        "print('\\n'.join(m.__file__ for n, m in sys.modules.items() if n.split('.')[0] == 'advisor'))"
    )
    env = dict(os.environ, ADVISOR_CACHE_DIR="off", PYTHONPATH=str(ROOT))
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env, cwd=tmp_path
    )
    package = ROOT / "advisor"
    loaded = {Path(f).resolve().relative_to(package).as_posix() for f in out.stdout.split()}
    assert loaded - set(rulecache.LOADER_MODULES) == set()
    assert all((package / name).is_file() for name in rulecache.LOADER_MODULES)
