"""Seeded random valid scenarios over the whole vocabulary, for benchmarks and tests."""

from __future__ import annotations

import random
from typing import Any

from . import scenario as scenarios
from . import vocabulary as v


def random_scenarios(n: int, seed: int = 2026, known: float = 0.8, prefix: str = "random") -> list:
    """n scenarios; each fact known with probability `known`, list members drawn with p=0.3."""
    rnd = random.Random(seed)
    out = []
    for i in range(n):
        data: dict[str, Any] = {"name": f"{prefix}-{i}"}
        for f in v.FIELDS:
            if f.kind == v.TEXT or rnd.random() > known:
                continue
            if f.kind == v.BOOL:
                data[f.name] = rnd.random() < 0.5
            elif f.kind == v.CHOICE:
                data[f.name] = rnd.choice(f.values)
            elif f.kind == v.LIST:
                data[f.name] = [x for x in f.values if rnd.random() < 0.3]
            elif f.kind == v.MAPPING:
                data[f.name] = {a: rnd.choice(f.values) for a in v.AREAS if rnd.random() < known}
        out.append(scenarios.from_mapping(data))
    return out
