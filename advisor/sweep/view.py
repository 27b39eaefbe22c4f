"""What the sweep page shows, as plain functions: base choices, the two-fact grid, pivots.

The Streamlit page only arranges widgets around these, so they are tested without a
browser and the page stays a layout.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import altair as alt
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


# ColorBrewer Set3: light colours, so black labels stay readable on every cell (contrast > 7:1).
PALETTE = (
    "#8dd3c7",
    "#ffffb3",
    "#bebada",
    "#fb8072",
    "#80b1d3",
    "#fdb462",
    "#b3de69",
    "#fccde5",
    "#d9d9d9",
    "#bc80bd",
    "#ccebc5",
    "#ffed6f",
)


def colour(value: str) -> str:
    """One colour per value wherever it appears: chosen from the value itself, not its position."""
    return PALETTE[zlib.crc32(value.encode("utf-8")) % len(PALETTE)]


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


def heat_map(
    cells: pd.DataFrame,
    x: str,
    y: str,
    shown: str,
    order: tuple[Sequence[str], Sequence[str]],
) -> alt.LayerChart:
    """`shown` over `x` (columns) and `y` (rows) of `cells` as coloured cells with the value
    written in each, coloured as everywhere else (`colour`); `order` is the columns' then
    the rows' value order.

    Sized to fit the page column at 800 px (about 470 px beside the sidebar) as at 1400 px:
    the legend goes below the cells, so they have the column's whole width; a value of
    several words breaks at its spaces; and the text shrinks with the cell's width (Vega's
    band width) down to a floor, so a long word ("monitoring", "strengthening") stays inside
    its cell instead of running over its neighbours.
    """
    values = sorted(set(cells[shown]))
    longest = max((len(w) for v_ in values for w in str(v_).split()), default=1)
    # Source Sans lower case averages under 0.5 em a letter; 8 px of padding keeps the text off
    # the cell's edges (checked on the canvas by tests/browser/test_sweep_layout.py).
    size = f"max(8, min(13, (bandwidth('x') - 8) / {0.5 * longest:.2f}))"
    wrap = "split(datum.label, ' ')"  # axis labels of several words on several lines
    chart = (
        alt.Chart(cells)
        .mark_rect(stroke="white")
        .encode(
            x=alt.X(f"{x}:N", sort=list(order[0]), title=x, axis=alt.Axis(labelAngle=0, labelLimit=0, labelExpr=wrap)),
            # The rows' title level, above the row labels: upright beside three rows it was
            # longer than the chart was high, and cut ("border authority").
            y=alt.Y(
                f"{y}:N",
                sort=list(order[1]),
                title=y,
                axis=alt.Axis(
                    labelLimit=0, labelExpr=wrap, titleAngle=0, titleAlign="left", titleAnchor="start", titleY=-12
                ),
            ),
            color=alt.Color(
                f"{shown}:N",
                title=shown,
                scale=alt.Scale(domain=values, range=[colour(v_) for v_ in values]),
                legend=alt.Legend(orient="bottom", direction="horizontal", columns=3, labelLimit=0),
            ),
            tooltip=[x, y, shown],
        )
    )
    text = chart.mark_text(fontSize=alt.expr(size), lineBreak=" ").encode(text=f"{shown}:N", color=alt.value("#000"))
    # A row height per value (Step), set on the layer: a fixed total height on the inner chart
    # was lost in the layered spec, and the rows were squashed to a few pixels with labels on
    # top of each other.
    return alt.LayerChart(layer=[chart, text], height=alt.Step(44))
