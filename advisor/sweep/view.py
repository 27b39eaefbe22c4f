"""What the sweep page shows, as plain functions: base choices, the two-fact grid, pivots.

The Streamlit page only arranges widgets around these, so they are tested without a
browser and the page stays a layout.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from .. import vocabulary as v
from ..scenario import Scenario, from_mapping, load
from .grid import Grid, make_grid
from .outcome import RESULT_COLUMNS
from .table import PARTNER_COLUMNS

NOTHING_KNOWN = "Nothing known"
CURRENT = "Current scenario"
UNKNOWN = "unknown"
# Facts a two-way sweep can vary: lists would need every subset, too many for a heat map.
AXIS_PATHS = tuple(p.name for p in v.PATHS.values() if p.field.kind != v.LIST)
SHOWN = (
    ("mandate", "functions", "partial_substitution", "structure", "hq")
    + PARTNER_COLUMNS
    + tuple(c for c in RESULT_COLUMNS if c.startswith("n_"))
)


def words(path: str) -> list[str]:
    """The values of a fact as a user writes them (true/false for yes-no facts)."""
    domain = v.PATHS[path].domain
    return [str(x).lower() if isinstance(x, bool) else str(x) for x in domain]


def presets(examples_dir: Path) -> dict[str, Path]:
    """Example scenarios by name; an unreadable file is skipped here and reported when chosen."""
    return {p.stem.replace("_", " "): p for p in sorted(Path(examples_dir).glob("*.yaml"))}


def current_scenario(state: Mapping[str, Any]) -> Scenario | None:
    """The app's scenario from session state: a Scenario or contract-form data, or None."""
    found = state.get("scenario")
    if found is None:
        return None
    return found if isinstance(found, Scenario) else from_mapping(dict(found), "current scenario")


def base_scenario(choice: str, current: Scenario | None, preset_paths: Mapping[str, Path]) -> Scenario:
    if choice == CURRENT and current is not None:
        return current
    if choice in preset_paths:
        return load(preset_paths[choice])
    return from_mapping({"name": "sweep"})


def two_fact_grid(base: Scenario, x: str, xs: Sequence[str], y: str, ys: Sequence[str]) -> Grid:
    return make_grid([f"{y}={','.join(ys)}", f"{x}={','.join(xs)}"], base)


def pivot(df: pd.DataFrame, x: str, y: str, shown: str, xs: Sequence[str], ys: Sequence[str]) -> pd.DataFrame:
    """`shown` over y (rows) and x (columns), in the chosen value order; unknown spelled out."""
    cells = df[[x, y, shown]].copy()
    for axis in (x, y):
        cells[axis] = cells[axis].astype("string").str.lower().fillna(UNKNOWN)
    cells[shown] = cells[shown].astype("string").fillna("(undecided)").replace("", "(none)")
    table = cells.pivot(index=y, columns=x, values=shown)
    table = table.reindex(index=list(ys), columns=list(xs))
    table.index.name, table.columns.name = y, x
    return table


def long_form(df: pd.DataFrame, x: str, y: str, shown: str) -> pd.DataFrame:
    """x, y and the shown value as strings: the heat map's data."""
    out = pd.DataFrame(
        {
            x: df[x].astype("string").str.lower().fillna(UNKNOWN),
            y: df[y].astype("string").str.lower().fillna(UNKNOWN),
            shown: df[shown].astype("string").fillna("(undecided)").replace("", "(none)"),
        }
    )
    return out.astype(str)
