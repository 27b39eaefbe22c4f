"""Monte Carlo sweeps: N scenarios drawn from a base with chosen facts varied by weight.

`--sample N --seed S --vary host_commitment=strong:1,moderate:2,weak:1` draws each varied
fact independently with those weights (no weight = 1). Scenario `i` depends only on
(seed, i), never on which worker or partition draws it, so a sample is as reproducible and
as partitionable as a grid. The summary gives each headline value's share with a 95%
Wilson interval, and ranks the varied facts by how much they move it.
"""
from __future__ import annotations

import bisect
import math
import random
from dataclasses import dataclass
from itertools import accumulate
from typing import Any, Sequence

import pandas as pd

from ..errors import Problem, ScenarioError
from ..scenario import Scenario
from .grid import SOURCE, Axis, Grid, _set, parse_axis
from .table import SUMMARISED

MAX_SAMPLE = 100_000_000
Z95 = 1.959963984540054


@dataclass(frozen=True)
class Sample(Grid):
    """`n` scenarios; axis k's value j is drawn with weight weights[k][j]."""

    n: int = 0
    seed: int = 0
    weights: tuple[tuple[float, ...], ...] = ()

    def __len__(self) -> int:
        return self.n

    def mapping(self, index: int) -> dict[str, Any]:
        if not 0 <= index < self.n:
            raise IndexError(index)
        rng = random.Random(f"{self.seed}:{index}")   # str seeds are hashed stably across processes
        data = {k: (dict(val) if isinstance(val, dict) else val) for k, val in self.base.items()}
        data["name"] = f"{self.name} {index + 1}"
        for axis, cum in zip(self.axes, self._cumulative):
            pick = bisect.bisect_right(cum, rng.random() * cum[-1])
            _set(data, axis.path, axis.values[min(pick, len(axis.values) - 1)])
        return data

    @property
    def _cumulative(self) -> tuple[tuple[float, ...], ...]:
        return tuple(tuple(accumulate(w)) for w in self.weights)


def _weighted(text: str) -> tuple[Axis, tuple[float, ...]]:
    name, _, spec = text.partition("=")
    words, weights, problems = [], [], []
    for word in spec.split(","):
        value, sep, weight = word.strip().rpartition(":") if ":" in word else (word.strip(), "", "1")
        try:
            w = float(weight)
            if not (w > 0 and math.isfinite(w)):
                raise ValueError
        except ValueError:
            problems.append(Problem(f"weight '{weight}' of '{value}' must be a positive number", file=SOURCE,
                                    field=name.strip(), value=word.strip()))
            continue
        words.append(value)
        weights.append(w)
    if problems:
        raise ScenarioError(problems)
    values: list[Any] = []
    each: list[float] = []
    for word, w in zip(words, weights):   # '*' expands to every value, each with the word's weight
        part = parse_axis(f"{name}={word}")
        values += part.values
        each += [w] * len(part.values)
    if len(set(values)) != len(values):
        raise ScenarioError(Problem(f"a value of '{name.strip()}' is listed twice", file=SOURCE, field=name.strip()))
    axis = Axis(parse_axis(f"{name}={words[0]}").path, tuple(values))
    weights = each
    return axis, tuple(weights)


def make_sample(varies: Sequence[str], n: int, seed: int, base: Scenario | None = None) -> Sample:
    if not 1 <= n <= MAX_SAMPLE:
        raise ScenarioError(Problem(f"--sample must be between 1 and {MAX_SAMPLE:,}, not {n}", field="--sample"))
    if not varies:
        raise ScenarioError(Problem("--sample needs at least one --vary FIELD=VALUE:WEIGHT,...", file=SOURCE))
    axes, weights, problems = [], [], []
    for text in varies:
        try:
            axis, w = _weighted(text)
        except ScenarioError as err:
            problems += err.problems
            continue
        if any(a.path == axis.path for a in axes):
            problems.append(Problem(f"'{axis.path}' is varied twice", file=SOURCE, field=axis.path))
        axes.append(axis)
        weights.append(w)
    if problems:
        raise ScenarioError(problems)
    name = (base.values.get("name") if base and base.values.get("name") else None) or "sample"
    return Sample(base.to_dict() if base else {}, tuple(axes), name, n=n, seed=seed, weights=tuple(weights))


def wilson(k: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval of a share k/n (sound near 0 and 1, unlike the normal one)."""
    if n == 0:
        return 0.0, 1.0
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def _cells(df: pd.DataFrame, column: str) -> pd.Series:
    return df[column].astype("string").fillna("(undecided)").replace("", "(none)")


def drivers(df: pd.DataFrame, column: str, facts: Sequence[str]) -> list[tuple[str, float, str]]:
    """Facts ranked by how far they move the column: the largest gap, over the column's values,
    between that value's share under the fact's most and least favourable setting.
    Returns (fact, gap, the value most moved)."""
    out = []
    target = _cells(df, column)
    for fact in facts:
        shares = pd.crosstab(df[fact].astype("string").fillna("unknown"), target, normalize="index")
        if len(shares) < 2:
            continue
        gaps = shares.max() - shares.min()
        if gaps.max() > 0:
            out.append((fact, float(gaps.max()), str(gaps.idxmax())))
    return sorted(out, key=lambda t: -t[1])


def sample_text(df: pd.DataFrame, facts: Sequence[str], top: int = 3) -> str:
    """Each headline value's share with its 95% Wilson interval, then the facts that move it most."""
    n = len(df)
    lines = [f"Monte Carlo: {n:,} sampled scenarios; shares with 95% Wilson intervals"]
    for column in SUMMARISED:
        lines.append(f"{column}:")
        counts = _cells(df, column).value_counts()
        width = max(len(str(k)) for k in counts.index) if len(counts) else 0
        for value, k in counts.items():
            lo, hi = wilson(int(k), n)
            lines.append(f"  {value:<{width}}  {100 * k / n:5.1f}%  [{100 * lo:5.1f}%, {100 * hi:5.1f}%]")
        ranked = drivers(df, column, facts)[:top]
        if ranked:
            lines.append("  moved most by: " + "; ".join(f"{f} (up to {100 * g:.1f} points of '{v}')"
                                                      for f, g, v in ranked))
    return "\n".join(lines) + "\n"
