"""Scenario flattening: a scenario's known facts keyed by the leaves conditions test."""

from __future__ import annotations

from typing import Any

from .. import vocabulary as v
from .model import leaf_name


def facts_of(scenario) -> dict[str, Any]:
    """A scenario's known facts keyed by leaf (lists opened into one boolean per member)."""
    out: dict[str, Any] = {}
    for path, value in scenario.paths():
        field = v.PATHS[path].field if path in v.PATHS else None
        if field is not None and field.kind == v.LIST:
            present = set(value)
            for member in field.values:
                out[leaf_name(path, member)] = member in present
        else:
            out[leaf_name(path)] = value
    return out
