"""Presets: the archetype scenarios in examples/*.yaml, by their display name."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .. import scenario as scenarios
from ..errors import AdvisorError, Problem
from ..scenario import Scenario


@dataclass(frozen=True)
class Presets:
    scenarios: dict  # display name -> Scenario, in file order
    problems: tuple[Problem, ...]  # presets that failed to load, with where and why

    def names(self) -> tuple[str, ...]:
        return tuple(self.scenarios)


def load_presets(examples_dir: str | Path) -> Presets:
    found: dict[str, Scenario] = {}
    problems: list[Problem] = []
    directory = Path(examples_dir)
    files = sorted(directory.glob("*.yaml")) if directory.is_dir() else []
    for path in files:
        try:
            sc = scenarios.load(path)
        except AdvisorError as err:
            problems.extend(err.problems)
            continue
        name = sc.name if sc.name not in found else f"{sc.name} ({path.stem})"
        found[name] = sc
    return Presets(found, tuple(problems))
