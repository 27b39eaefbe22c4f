"""A grid of scenarios: a base scenario with some facts varied over chosen values.

`--vary host_authority=absent,limited` varies one fact path; `*` stands for its whole
domain; `unknown` leaves the fact out. List fields take sets written `a+b`, `none` for
the empty list. The grid is never materialised: scenario `i` is computed from `i`, so
worker processes get a grid and an index range, not 100,000 pickled scenarios.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .. import vocabulary as v
from ..errors import Problem, ScenarioError, did_you_mean
from ..scenario import Scenario, from_mapping
from .cells import EMPTY_LIST_WORDS, FALSE_WORDS, TRUE_WORDS

UNKNOWN = "unknown"
ALL = "*"
MAX_GRID = 10_000_000
SOURCE = "--vary"


@dataclass(frozen=True)
class Axis:
    """One varied fact path and its values in order (None = unknown, lists as tuples)."""

    path: str
    values: tuple[Any, ...]


@dataclass(frozen=True)
class Grid:
    """The cartesian product of the axes over the base; the last axis varies fastest."""

    base: Mapping[str, Any]
    axes: tuple[Axis, ...]
    name: str = "grid"

    def __len__(self) -> int:
        return math.prod(len(a.values) for a in self.axes)

    def picks(self, index: int) -> tuple[int, ...]:
        """Which value of each axis scenario `index` takes: with the base, all that sets its facts."""
        if not 0 <= index < len(self):
            raise IndexError(index)
        out = []
        for axis in reversed(self.axes):
            index, pick = divmod(index, len(axis.values))
            out.append(pick)
        return tuple(reversed(out))

    def scenario_name(self, index: int) -> str:
        return f"{self.name} {index + 1}"

    def mapping(self, index: int) -> dict[str, Any]:
        """Contract-form data of scenario `index`."""
        data = {k: (dict(val) if isinstance(val, Mapping) else val) for k, val in self.base.items()}
        picks = self.picks(index)
        data["name"] = self.scenario_name(index)
        for axis, pick in zip(self.axes, picks):
            _set(data, axis.path, axis.values[pick])
        return data

    def scenario(self, index: int) -> Scenario:
        return from_mapping(self.mapping(index), f"{SOURCE} #{index + 1}")

    def scenarios(self, start: int = 0, stop: int | None = None) -> Iterator[Scenario]:
        for i in range(start, len(self) if stop is None else stop):
            yield self.scenario(i)


def _set(data: dict, path: str, value: Any) -> None:
    if "." in path:
        field, area = path.split(".", 1)
        areas = data.setdefault(field, {})
        if value is None:
            areas.pop(area, None)
            if not areas:
                data.pop(field)
        else:
            areas[area] = value
    elif value is None:
        data.pop(path, None)
    else:
        data[path] = list(value) if isinstance(value, tuple) else value


def _powerset(members: Sequence[str]) -> list[tuple[str, ...]]:
    return [c for n in range(len(members) + 1) for c in itertools.combinations(members, n)]


def _problem(message: str, path: str, value: Any = None, allowed: Sequence[str] = ()) -> Problem:
    return Problem(
        message,
        file=SOURCE,
        field=path,
        value=value,
        allowed=tuple(allowed),
        suggestion=did_you_mean(value, allowed) if value is not None else None,
    )


def _value(p: v.Path, word: str) -> tuple[Any, Problem | None]:
    """One written value of a path, parsed against the path's domain."""
    if word == UNKNOWN:
        return None, None
    kind = p.field.kind
    if kind == v.BOOL:
        low = word.lower()
        if low in TRUE_WORDS + FALSE_WORDS:
            return low in TRUE_WORDS, None
        return None, _problem(f"'{word}' is not true or false", p.name, word, ("true", "false", UNKNOWN))
    if kind == v.LIST:
        if word.lower() in EMPTY_LIST_WORDS:
            return (), None
        members = [m.strip() for m in word.split("+")]
        for m in members:
            if m not in p.domain:
                return None, _problem(
                    f"'{m}' is not a value of {p.name} (join several with '+')",
                    p.name,
                    m,
                    _words(p) + ("none", UNKNOWN),
                )
        return tuple(x for x in p.domain if x in members), None
    if word in p.domain:
        return word, None
    return None, _problem(f"'{word}' is not a value of {p.name}", p.name, word, _words(p) + (UNKNOWN,))


def parse_axis(text: str) -> Axis:
    """`path=v1,v2,...` into an Axis; ScenarioError names the path or value at fault."""
    if "=" not in text:
        raise ScenarioError(_problem(f"'{text}' should read FIELD=VALUE1,VALUE2,...", text))
    name, _, spec = (s.strip() for s in text.partition("="))
    p = v.PATHS.get(name)
    if p is None:
        names = tuple(v.PATHS)
        if name in v.FIELDS_BY_NAME and v.FIELDS_BY_NAME[name].kind == v.MAPPING:
            areas = tuple(n for n in names if n.startswith(name + "."))
            raise ScenarioError(Problem(f"vary one area of '{name}' at a time", file=SOURCE, field=name, allowed=areas))
        raise ScenarioError(
            Problem(
                f"unknown fact '{name}'",
                file=SOURCE,
                field=name,
                value=name,
                allowed=names,
                suggestion=did_you_mean(name, names),
            )
        )
    words = [w.strip() for w in spec.split(",")]
    if words == [""]:
        raise ScenarioError(_problem(f"no values given for '{name}'", name, None, _shown(p)))
    values: list[Any] = []
    problems: list[Problem] = []
    for word in words:
        if word == ALL:
            values += _powerset(_words(p)) if p.field.kind == v.LIST else list(p.domain)
            continue
        value, problem = _value(p, word)
        if problem:
            problems.append(problem)
        else:
            values.append(value)
    if problems:
        raise ScenarioError(problems)
    if len(set(values)) != len(values):
        raise ScenarioError(_problem(f"a value of '{name}' is listed twice", name, spec))
    return Axis(name, tuple(values))


def _shown(p: v.Path) -> tuple[str, ...]:
    words = ("true", "false") if p.field.kind == v.BOOL else _words(p)
    return words + (ALL, UNKNOWN)


def _words(p: v.Path) -> tuple[str, ...]:
    """A word-valued fact's values (the vocabulary types domains loosely, as objects)."""
    return tuple(str(x) for x in p.domain)


def make_grid(varies: Sequence[str], base: Scenario | None = None, name: str | None = None) -> Grid:
    """The grid of `--vary` specs over a base scenario (or over all-unknown)."""
    if not varies:
        raise ScenarioError(Problem("give at least one --vary FIELD=VALUE1,VALUE2,...", file=SOURCE))
    axes: list[Axis] = []
    problems: list[Problem] = []
    for text in varies:
        try:
            axis = parse_axis(text)
        except ScenarioError as err:
            problems += err.problems
            continue
        if any(a.path == axis.path for a in axes):
            problems.append(_problem(f"'{axis.path}' is varied twice", axis.path))
        axes.append(axis)
    if problems:
        raise ScenarioError(problems)
    grid = Grid(
        base.to_dict() if base else {},
        tuple(axes),
        str(name or (base.values.get("name") if base and base.values.get("name") else "grid")),
    )
    if len(grid) > MAX_GRID:
        raise ScenarioError(
            Problem(
                f"the grid has {len(grid):,} scenarios, more than {MAX_GRID:,}; vary fewer facts or fewer values",
                file=SOURCE,
            )
        )
    return grid
