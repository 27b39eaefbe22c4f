"""The rule tests of the real rule base (rules/tests/*.yaml) run inside pytest, one item each.

They run on the durable-rules engine, like `advisor test`; the coverage test keeps every
rule fired by some test as the rule base grows.
"""

from functools import cache, lru_cache

import pytest

from advisor.authoring import coverage, ruletests
from advisor.ruleset import DEFAULT_RULES, load_rulebase

FILES = ruletests.discover([DEFAULT_RULES / "tests"])


@lru_cache(maxsize=1)
def rulebase():
    return load_rulebase()


@cache
def load_file_tests(path):
    return ruletests.load_tests(path, rulebase())


def _items():
    """(file, index) pairs, counted from the raw YAML so collection never needs the rule base."""
    import yaml

    out = []
    for path in FILES:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        out += [(path, i) for i in range(len(data.get("tests", [])))]
    return out


ITEMS = _items()


def test_there_are_rule_tests():
    assert FILES and ITEMS


@pytest.mark.parametrize("path,index", ITEMS, ids=[f"{p.stem}[{i}]" for p, i in ITEMS])
def test_rule_test(path, index):
    test = load_file_tests(path)[index]
    outcome = ruletests.run_test(test, rulebase())
    assert outcome.passed, f"{test.location} {test.name}:\n" + "\n".join(outcome.failures)


def test_every_rule_is_fired_by_some_rule_test():
    rb = rulebase()
    outcomes = [ruletests.run_test(t, rb, engine="reference") for p in FILES for t in load_file_tests(p)]
    report = coverage.coverage(rb, outcomes)
    assert report.never_fired == (), f"rules no rule test fires: {report.never_fired}"
