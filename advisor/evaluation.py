"""What one evaluation produced: the rule firings, in order, and the concluded keys."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .conditions import Conjunct


@dataclass(frozen=True)
class Match:
    """One thing a firing rule matched: a scenario fact with its value, or a conclusion."""

    kind: str  # "fact" | "concluded" | "absent"
    name: str  # fact path, or conclusion key 'slot:value'
    value: Any = None  # the scenario's value for facts
    test: str = ""  # the test as written, e.g. "host_capacity.legislative at most weak"


@dataclass(frozen=True)
class Firing:
    rule_id: str
    disjunct: int | None
    matched: tuple[Match, ...]
    concluded: tuple[str, ...]  # conclusion keys of the rule
    stratum: int


@dataclass(frozen=True)
class Evaluation:
    firings: tuple[Firing, ...]
    concluded: frozenset

    def fired_ids(self) -> frozenset:
        return frozenset(f.rule_id for f in self.firings)


def matches_of(conj: Conjunct, facts: Mapping[str, Any]) -> tuple[Match, ...]:
    """What an alternative matched, with the scenario's values (it held, so all are known)."""
    out = [Match("fact", t.path, facts[t.leaf], t.text) for t in conj.tests]
    out += [Match("concluded", key) for key in conj.positive]
    out += [Match("absent", key) for key in conj.negative]
    return tuple(out)
