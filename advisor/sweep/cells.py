"""Turn a table row (cells keyed by column name) into contract-form scenario data.

Tables spell things the contract's YAML does not: `host_capacity.legislative` as a
column, lists as `a;b` in one cell, booleans as yes/no or 1/0, empty cells for unknown,
and numpy scalars from pandas (durable-rules JSON-encodes facts and rejects numpy).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

from .. import vocabulary as v
from ..errors import Problem, did_you_mean

TRUE_WORDS = ("true", "yes", "y", "1")
FALSE_WORDS = ("false", "no", "n", "0")
EMPTY_LIST_WORDS = ("none", "[]")
_SPLIT = re.compile(r"[;|]")

COLUMN_NAMES: tuple[str, ...] = ("name",) + tuple(v.PATHS)


def native(value: Any) -> Any:
    """numpy/pandas scalars to plain Python; NaN and NA to None."""
    if value is None:
        return None
    module = type(value).__module__
    if module.startswith(("numpy", "pandas")):
        if hasattr(value, "item"):
            value = value.item()
        else:  # pandas.NA, NaT
            return None
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def check_column(name: Any, word: str = "column") -> Problem | None:
    """A header cell (or a row's key) must be a field name or a `field.area` path."""
    if isinstance(name, str) and (name in v.FIELDS_BY_NAME or name in v.PATHS):
        return None
    known = COLUMN_NAMES
    return Problem(
        f"unknown {word} '{name}'", field=str(name), value=name, allowed=known, suggestion=did_you_mean(name, known)
    )


def _cell(field: v.Field, value: Any) -> Any:
    value = native(value)
    if isinstance(value, str):
        value = value.strip()
        if value == "":
            return None
    if value is None:
        return None
    if field.kind == v.BOOL:
        if isinstance(value, str) and value.lower() in TRUE_WORDS + FALSE_WORDS:
            return value.lower() in TRUE_WORDS
        if isinstance(value, (int, float)) and not isinstance(value, bool) and value in (0, 1):
            return bool(value)
        return value  # left as is: validation explains what is allowed
    if field.kind == v.LIST and isinstance(value, str):
        if value.lower() in EMPTY_LIST_WORDS:
            return []
        if value.lower() == "unknown":
            return None
        return [part.strip() for part in _SPLIT.split(value) if part.strip()]
    if field.kind == v.TEXT and isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return value


def to_mapping(cells: Mapping[str, Any]) -> dict[str, Any]:
    """Contract-form data from a row; columns must already be checked."""
    data: dict[str, Any] = {}
    for column, raw in cells.items():
        if "." in column:
            field_name, area = column.split(".", 1)
            value = _cell(v.FIELDS_BY_NAME[field_name], raw)
            if value is not None:
                data.setdefault(field_name, {})
                if isinstance(data[field_name], dict):
                    data[field_name][area] = value
            continue
        field = v.FIELDS_BY_NAME.get(column)
        if field is None:  # reported by check_column or by validation
            data[column] = native(raw)
            continue
        value = _cell(field, raw)
        if value is not None:
            data[column] = value
    return data
