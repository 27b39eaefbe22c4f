"""A scenario as URL query parameters, so a link reproduces it exactly.

One parameter per known field, readable in the address bar: lists joined by commas
(`~` for a known empty list), capacity as `area:level` pairs, booleans as true/false.
Unknown facts are simply absent. Decoding goes through `scenario.from_mapping`, so a
bad link gets the same precise error as a bad file.
"""

from __future__ import annotations

from collections.abc import Mapping

from .. import vocabulary as v
from ..errors import Problem, ScenarioError
from ..scenario import Scenario, from_mapping

EMPTY = "~"
SOURCE = "<link>"


def encode(scenario: Scenario) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, value in scenario.to_dict().items():
        kind = v.FIELDS_BY_NAME[name].kind
        if kind == v.BOOL:
            out[name] = "true" if value else "false"
        elif kind == v.LIST:
            out[name] = ",".join(value) if value else EMPTY
        elif kind == v.MAPPING:
            out[name] = ",".join(f"{area}:{level}" for area, level in value.items())
        else:
            out[name] = str(value)
    return out


def decode(params: Mapping[str, str]) -> Scenario:
    """The scenario a link describes; ScenarioError names every bad parameter."""
    data: dict = {}
    problems: list[Problem] = []
    for name, text in params.items():
        field = v.FIELDS_BY_NAME.get(name)
        if field is None:
            data[name] = text  # from_mapping reports it with the list of known fields
            continue
        if field.kind == v.BOOL:
            data[name] = {"true": True, "false": False}.get(text.lower(), text)
        elif field.kind == v.LIST:
            data[name] = [] if text in (EMPTY, "") else [x.strip() for x in text.split(",")]
        elif field.kind == v.MAPPING:
            areas = {}
            for pair in filter(None, text.split(",")):
                area, sep, level = pair.partition(":")
                if not sep:
                    problems.append(
                        Problem(f"'{pair}' is not 'area:level'", file=SOURCE, field=name, value=pair, allowed=v.AREAS)
                    )
                    continue
                areas[area.strip()] = level.strip()
            data[name] = areas
        else:
            data[name] = text
    if problems:
        raise ScenarioError(problems)
    return from_mapping(data, SOURCE)
