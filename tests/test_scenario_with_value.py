"""Scenario.with_value checks only the field it changes. Its answers must be exactly those of
validating the whole changed mapping again (from_mapping), for every example scenario, every
fact path and every value a planner or the analyses can give: each allowed value, unknown,
the empty list, and wrong values, whose problems must be the same too."""

from __future__ import annotations

import pytest

from advisor import scenario as scenarios
from advisor import vocabulary as v
from advisor.errors import ScenarioError
from support import ROOT

EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


def revalidated(s: scenarios.Scenario, path: str, value):
    """The reference: change the plain data, validate all of it."""
    data = s.to_dict()
    name, _, area = path.partition(".")
    if area:
        areas = dict(data.get(name, {}))
        if value is None:
            areas.pop(area, None)
        else:
            areas[area] = value
        if areas:
            data[name] = areas
        else:
            data.pop(name, None)
    elif value is None:
        data.pop(path, None)
    else:
        data[path] = list(value) if isinstance(value, (tuple, frozenset, set)) else value
    return scenarios.from_mapping(data, s.source)


def candidates(path: str) -> list:
    field = v.PATHS[path].field if path in v.PATHS else v.FIELDS_BY_NAME[path]
    wrong = ["no-such-value", 7, True, {"x": 1}, ["no-such-value"], "x" * (v.MAX_TEXT + 1)]
    if field.kind == v.LIST:
        return [None, "unknown", (), tuple(field.values[:2]), frozenset(field.values[:1]), *wrong]
    if field.kind == v.TEXT:
        return [None, "unknown", "", "A new name", *wrong]
    return [None, "unknown", *field.values, *([True, False] if field.kind == v.BOOL else []), *wrong]


def outcome(fn, *args):
    try:
        s = fn(*args)
    except ScenarioError as err:
        return ("error", tuple(err.problems))
    return ("ok", dict(s.values), s.source)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_with_value_answers_as_full_validation_does(example):
    s = scenarios.load(example)
    paths = [*v.PATHS, "name", "no_such_field", "host_capacity.no_such_area"]
    checked = 0
    for path in paths:
        for value in candidates(path) if path in v.PATHS or path == "name" else ["yes", None]:
            assert outcome(s.with_value, path, value) == outcome(revalidated, s, path, value), (
                path,
                value,
            )
            checked += 1
    assert checked > 200
