"""The scenario: known facts only, validated against the contract's vocabulary.

A missing field is unknown, never defaulted; `null` or the word `unknown` say so
explicitly. Anything else that does not fit is a ScenarioError naming the file, line,
field, bad value, allowed values and a did-you-mean.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from . import vocabulary as v
from .errors import Problem, ScenarioError, did_you_mean
from .yamlsrc import Document, parse_text, read_file

UNKNOWN_WORDS = (None, "unknown")


@dataclass(frozen=True)
class Scenario:
    """Known facts of one situation. `values` holds only known fields."""

    values: Mapping[str, Any]
    source: str = "<scenario>"

    @property
    def name(self) -> str:
        return str(self.values.get("name", Path(self.source).stem if self.source else "scenario"))

    def get(self, path: str) -> Any:
        """The value at a fact path, or None when unknown."""
        if "." in path:
            field, area = path.split(".", 1)
            return self.values.get(field, {}).get(area)
        return self.values.get(path)

    def known(self, path: str) -> bool:
        return self.get(path) is not None

    def paths(self) -> Iterator[tuple[str, Any]]:
        """Known (path, value) pairs, mapping fields opened up by area."""
        for name, value in self.values.items():
            if name == "name":
                continue
            if isinstance(value, Mapping):
                for area, level in value.items():
                    yield f"{name}.{area}", level
            else:
                yield name, value

    def unknown_paths(self) -> tuple[str, ...]:
        return tuple(p for p in v.PATHS if not self.known(p))

    def with_value(self, path: str, value: Any) -> Scenario:
        """A copy with one fact set (None makes it unknown); the value is validated.

        Only the changed field is checked: the others are already normal. The unknowns analysis
        and the what-if search call this hundreds of times per scenario, and re-validating every
        field each time was about a third of an uncached fact change in the app (issue 12).
        """
        name, _, area = path.partition(".")
        field = v.FIELDS_BY_NAME.get(name)
        if field is None:  # nothing to forget; else full validation says what is wrong, with its suggestion
            return self if value is None else from_mapping({**self.to_dict(), path: value}, self.source)
        raw: Any
        if area:
            areas = dict(self.values.get(name) or {})
            if value is None:
                areas.pop(area, None)
            else:
                areas[area] = value
            raw = areas or None
        else:
            raw = list(value) if isinstance(value, (tuple, frozenset, set)) else value
        values = {k: val for k, val in self.values.items() if k != name}
        if raw is not None and not _says_unknown(field, raw):
            normal, problems = _check_value(field, raw, (name,), None, self.source)
            if problems:
                raise ScenarioError(problems)
            if normal is not None:
                values[name] = normal
        return _in_order(values, self.source)

    def to_dict(self) -> dict:
        """Plain data, in vocabulary order, ready for YAML or JSON."""
        out: dict[str, Any] = {}
        for f in v.FIELDS:
            if f.name not in self.values:
                continue
            value = self.values[f.name]
            if isinstance(value, Mapping):
                value = {a: value[a] for a in v.AREAS if a in value}
            elif isinstance(value, tuple):
                value = list(value)
            out[f.name] = value
        return out

    def to_yaml(self) -> str:
        return yaml.safe_dump(self.to_dict(), sort_keys=False, allow_unicode=True)


def _check_value(
    field: v.Field, value: Any, where: tuple, doc: Document | None, file: str
) -> tuple[Any, list[Problem]]:
    """Normalise one field's value or explain what is wrong with it."""

    def problem(message: str, bad: Any, allowed: tuple[str, ...] = (), key_path=None) -> Problem:
        suggestion = did_you_mean(bad, allowed) if allowed else None
        line, col = doc.at(where) if doc else (None, None)
        return Problem(
            message,
            file=file,
            line=line,
            column=col,
            field=key_path or field.name,
            value=bad,
            allowed=allowed,
            suggestion=suggestion,
        )

    if field.kind == v.TEXT:
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            if len(str(value)) > v.MAX_TEXT:
                return None, [problem(f"text too long: {len(str(value)):,} characters; at most {v.MAX_TEXT}", "")]
            return str(value), []
        return None, [problem("expected free text", value)]
    if field.kind == v.BOOL:
        if isinstance(value, bool):
            return value, []
        return None, [problem(f"'{value}' is not true or false", value, ("true", "false"))]
    if field.kind == v.CHOICE:
        if isinstance(value, str) and value in field.values:
            return value, []
        return None, [problem(f"'{value}' is not a value of {field.name}", value, field.values)]
    if field.kind == v.LIST:
        if not isinstance(value, list):
            hint = f": write [{value}]" if value in field.values else ""
            line, col = doc.at(where) if doc else (None, None)
            return None, [
                Problem(
                    f"expected a list of values, got '{value}'{hint}",
                    file=file,
                    line=line,
                    column=col,
                    field=field.name,
                    value=value,
                    allowed=field.values,
                )
            ]
        problems, seen = [], set()
        for i, item in enumerate(value):
            if isinstance(item, str) and item in field.values:
                seen.add(item)
            else:
                line, col = doc.at(where + (i,)) if doc else (None, None)
                problems.append(
                    Problem(
                        f"'{item}' is not a value of {field.name}",
                        file=file,
                        line=line,
                        column=col,
                        field=field.name,
                        value=item,
                        allowed=field.values,
                        suggestion=did_you_mean(item, field.values),
                    )
                )
        return tuple(x for x in field.values if x in seen), problems
    if field.kind == v.MAPPING:
        if not isinstance(value, dict):
            return None, [problem(f"expected a mapping of intervention areas to levels, got '{value}'", value, v.AREAS)]
        problems, areas = [], {}
        for area, level in value.items():
            sub = where + (area,)
            if area not in v.AREAS:
                line, col = doc.at(sub, key=True) if doc else (None, None)
                problems.append(
                    Problem(
                        f"unknown intervention area '{area}'",
                        file=file,
                        line=line,
                        column=col,
                        field=f"{field.name}.{area}",
                        value=area,
                        allowed=v.AREAS,
                        suggestion=did_you_mean(area, v.AREAS),
                    )
                )
                continue
            if level in UNKNOWN_WORDS:
                continue
            if isinstance(level, str) and level in field.values:
                areas[area] = level
            else:
                line, col = doc.at(sub) if doc else (None, None)
                problems.append(
                    Problem(
                        f"'{level}' is not a capacity level",
                        file=file,
                        line=line,
                        column=col,
                        field=f"{field.name}.{area}",
                        value=level,
                        allowed=field.values,
                        suggestion=did_you_mean(level, field.values),
                    )
                )
        return (MappingProxyType({a: areas[a] for a in v.AREAS if a in areas}) if areas else None), problems
    raise AssertionError(field.kind)


def from_mapping(data: Any, source: str = "<scenario>", doc: Document | None = None) -> Scenario:
    """Validate plain data into a Scenario, collecting every problem before raising."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        line, col = doc.at(()) if doc else (None, None)
        raise ScenarioError(
            Problem("a scenario must be a mapping of field names to values", file=source, line=line, column=col)
        )
    problems: list[Problem] = []
    values: dict[str, Any] = {}
    for name, value in data.items():
        field = v.FIELDS_BY_NAME.get(name)
        if field is None:
            line, col = doc.at((name,), key=True) if doc else (None, None)
            problems.append(
                Problem(
                    f"unknown field '{name}'",
                    file=source,
                    line=line,
                    column=col,
                    field=str(name),
                    allowed=v.field_names(),
                    suggestion=did_you_mean(name, v.field_names()),
                )
            )
            continue
        if _says_unknown(field, value):
            continue
        normal, found = _check_value(field, value, (name,), doc, source)
        problems.extend(found)
        if normal is not None and not found:
            values[name] = normal
    if problems:
        raise ScenarioError(problems)
    return _in_order(values, source)


def _says_unknown(field: v.Field, value: Any) -> bool:
    """'unknown' (or nothing) for a fact: the fact is left out. A name is text, taken as typed."""
    return field.kind != v.TEXT and value in UNKNOWN_WORDS


def _in_order(values: dict[str, Any], source: str) -> Scenario:
    """A Scenario of already normal values, in vocabulary order."""
    return Scenario(MappingProxyType({f.name: values[f.name] for f in v.FIELDS if f.name in values}), source)


def from_text(text: str, source: str = "<scenario>") -> Scenario:
    doc, problems = parse_text(text, source)
    if problems or doc is None:  # no document comes without a problem saying why
        raise ScenarioError(problems)
    return from_mapping(doc.data, source, doc)


def load(path: str | Path) -> Scenario:
    """Read a scenario file (YAML, or JSON by extension)."""
    doc, problems = read_file(path)
    if problems or doc is None:  # no document comes without a problem saying why
        raise ScenarioError(problems)
    return from_mapping(doc.data, str(path), doc)
