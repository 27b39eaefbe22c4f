"""The sweep as a pandas DataFrame, its summary, and CSV/Parquet export.

Columns (outcome.COLUMNS): `name`, one column per fact path (lists joined with ';',
unknown = missing), the headline conclusions, one boolean column per partner, counts,
conflicts and the unknown facts that mattered. One row per scenario, in input order.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from .. import vocabulary as v
from ..errors import AdvisorError, Problem
from ..slots import PARTNERS
from .outcome import COLUMNS, COUNTED, RESULT_COLUMNS

FORMATS = (".csv", ".parquet")
SUMMARISED = ("mandate", "functions", "partial_substitution", "structure", "hq")
PARTNER_COLUMNS = tuple(f"partner_{p}" for p in PARTNERS)
_INTS = ("n_partners",) + tuple(COUNTED.values()) + ("n_firings",)


def _dtype(column: str) -> str:
    """Nullable pandas dtypes, so unknown stays missing and Parquet keeps the kinds."""
    if column in _INTS:
        return "int64"
    if column == "partial_substitution" or column in PARTNER_COLUMNS:
        return "bool"
    path = v.PATHS.get(column)
    if path is not None and path.field.kind == v.BOOL:
        return "boolean"
    return "string"


def frame(rows: Sequence[tuple]) -> pd.DataFrame:
    """The sweep table from outcome rows."""
    df = pd.DataFrame.from_records(list(rows), columns=list(COLUMNS))
    return df.astype({c: _dtype(c) for c in COLUMNS})


def summary(df: pd.DataFrame) -> dict[str, dict[str, int]]:
    """Value counts of the headline conclusions (missing shown as '(undecided)'), and partners."""
    out: dict[str, dict[str, int]] = {}
    for column in SUMMARISED:
        counts = df[column].astype("string").fillna("(undecided)").replace("", "(none)").value_counts(sort=True)
        out[column] = {str(k): int(n) for k, n in counts.items()}
    out["partners"] = {c.removeprefix("partner_"): int(df[c].sum()) for c in PARTNER_COLUMNS if df[c].any()}
    conflicts = df["conflicts"].fillna("")
    out["conflicts"] = {str(k): int(n) for k, n in conflicts[conflicts != ""].value_counts().items()}
    return out


def summary_text(df: pd.DataFrame) -> str:
    """The summary as aligned text, for the terminal."""
    return counts_text(len(df), summary(df))


def counts_text(total: int, counted: dict[str, dict[str, int]]) -> str:
    """A summary (as from summary(), or merged over partitions) as aligned text."""
    lines = [f"{total:,} scenarios"]
    for name, counts in counted.items():
        if not counts:
            continue
        lines.append(f"{name}:")
        width = max(len(k) for k in counts)
        for key, n in counts.items():
            share = f"{100 * n / total:5.1f}%" if total else ""
            lines.append(f"  {key:<{width}}  {n:>9,}  {share}")
    return "\n".join(lines) + "\n"


def write(df: pd.DataFrame, path: str | Path) -> None:
    """Save as CSV or Parquet by the file's extension."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise AdvisorError(
            Problem(f"cannot write a '{suffix or path.name}' table", str(path), field="-o", allowed=FORMATS)
        )
    try:
        if suffix == ".csv":
            df.to_csv(path, index=False)
        else:
            df.to_parquet(path, index=False)
    except OSError as err:
        raise AdvisorError(Problem(f"cannot write the table: {err.strerror or err}", str(path))) from err


def to_bytes(df: pd.DataFrame, fmt: str) -> bytes:
    """CSV or Parquet bytes, for download buttons."""
    if fmt == "csv":
        return df.to_csv(index=False).encode("utf-8")
    buffer = io.BytesIO()
    df.to_parquet(buffer, index=False)
    return buffer.getvalue()


assert set(SUMMARISED) <= set(RESULT_COLUMNS)
