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
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import accumulate
from typing import Any

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

    def picks(self, index: int) -> tuple[int, ...]:
        if not 0 <= index < self.n:
            raise IndexError(index)
        rng = random.Random(f"{self.seed}:{index}")  # str seeds are hashed stably across processes
        return tuple(min(bisect.bisect_right(cum, rng.random() * cum[-1]), len(cum) - 1) for cum in self._cumulative)

    def mapping(self, index: int) -> dict[str, Any]:
        data = {k: (dict(val) if isinstance(val, dict) else val) for k, val in self.base.items()}
        picks = self.picks(index)
        data["name"] = self.scenario_name(index)
        for axis, pick in zip(self.axes, picks):
            _set(data, axis.path, axis.values[pick])
        return data

    @cached_property
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
            problems.append(
                Problem(
                    f"weight '{weight}' of '{value}' must be a positive number",
                    file=SOURCE,
                    field=name.strip(),
                    value=word.strip(),
                )
            )
            continue
        words.append(value)
        weights.append(w)
    if problems:
        raise ScenarioError(problems)
    values: list[Any] = []
    each: list[float] = []
    for word, w in zip(words, weights):  # '*' expands to every value, each with the word's weight
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
    axes: list[Axis] = []
    weights: list = []
    problems: list[Problem] = []
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


Tally = Counter  # (fact values..., conclusion values...) -> how many scenarios had them


def tally(df: pd.DataFrame, facts: Sequence[str], columns: Sequence[str] = SUMMARISED) -> Tally:
    """How many rows have each combination of the facts' and the columns' values.

    Everything the summary prints is a margin of this joint count, and joint counts of
    partitions add up: a dataset folder of any size is summarised one partition at a time.
    Its size is bounded by the distinct combinations, not by the rows.
    """
    keys = pd.DataFrame(
        {f"f{i}": df[f].astype("string").fillna("unknown") for i, f in enumerate(facts)}
        | {f"c{j}": _cells(df, c) for j, c in enumerate(columns)}
    )
    if keys.empty:
        return Counter()
    sizes = keys.groupby(list(keys.columns), dropna=False, sort=False).size()
    return Counter({(k if isinstance(k, tuple) else (k,)): int(n) for k, n in sizes.items()})


def _ranked(joint: Tally, facts: Sequence[str], j: int) -> list[tuple[str, float, str]]:
    """Facts by the largest gap, over conclusion j's values, between a value's share under the
    fact's most and least favourable setting: (fact, gap, the value most moved)."""
    at = len(facts) + j
    targets = sorted({key[at] for key in joint})
    out = []
    for i, fact in enumerate(facts):
        by: dict[str, Counter] = {}
        for key, k in joint.items():
            by.setdefault(key[i], Counter())[key[at]] += k
        if len(by) < 2:
            continue
        shares = [{t: c[t] / sum(c.values()) for t in targets} for c in by.values()]
        gaps = {t: max(s[t] for s in shares) - min(s[t] for s in shares) for t in targets}
        best = max(targets, key=lambda t: gaps[t])  # the first of equal gaps, in sorted order
        if gaps[best] > 0:
            out.append((fact, float(gaps[best]), best))
    return sorted(out, key=lambda t: -t[1])


def drivers(df: pd.DataFrame, column: str, facts: Sequence[str]) -> list[tuple[str, float, str]]:
    """Facts ranked by how far they move the column: the largest gap, over the column's values,
    between that value's share under the fact's most and least favourable setting.
    Returns (fact, gap, the value most moved)."""
    return _ranked(tally(df, facts, (column,)), facts, 0)


def sample_text(df: pd.DataFrame, facts: Sequence[str], top: int = 3) -> str:
    """Each headline value's share with its 95% Wilson interval, then the facts that move it most."""
    return tally_text(tally(df, facts), facts, top)


def tally_text(joint: Tally, facts: Sequence[str], top: int = 3) -> str:
    """sample_text from a joint count (tally(), or tallies of partitions added up)."""
    n = sum(joint.values())
    lines = [f"Monte Carlo: {n:,} sampled scenarios; shares with 95% Wilson intervals"]
    for j, column in enumerate(SUMMARISED):
        lines.append(f"{column}:")
        counts: Counter = Counter()
        for key, k in joint.items():
            counts[key[len(facts) + j]] += k
        ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        width = max((len(str(value)) for value in counts), default=0)
        for value, k in ordered:
            lo, hi = wilson(int(k), n)
            lines.append(f"  {value:<{width}}  {100 * k / n:5.1f}%  [{100 * lo:5.1f}%, {100 * hi:5.1f}%]")
        ranked = _ranked(joint, facts, j)[:top]
        if ranked:
            lines.append(
                "  moved most by: " + "; ".join(f"{f} (up to {100 * g:.1f} points of '{v}')" for f, g, v in ranked)
            )
    return "\n".join(lines) + "\n"
