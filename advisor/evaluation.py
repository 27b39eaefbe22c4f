"""What one evaluation produced: the rule firings, in order, and the concluded keys."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property
from typing import Any

from .slots import Conclusion


class MatchKind(StrEnum):
    """What a firing matched (and what a checked atom tests): a fact, or a conclusion present or absent."""

    FACT = "fact"
    CONCLUDED = "concluded"
    ABSENT = "absent"


@dataclass(frozen=True)
class Match:
    """One thing a firing rule matched: a scenario fact with its value, or a conclusion."""

    kind: MatchKind
    name: str  # fact path, or conclusion key 'slot:value'
    value: Any = None  # the scenario's value for facts
    test: str = ""  # the test as written, e.g. "host_capacity.legislative at most weak"


@dataclass(frozen=True)
class Firing:
    """One alternative of a rule that held: both evaluators record one per alternative."""

    rule_id: str
    disjunct: int  # index of the alternative in the rule's compiled conjuncts
    matched: tuple[Match, ...]
    conclusions: tuple[Conclusion, ...]  # what the rule concludes
    stratum: int

    @cached_property
    def concluded(self) -> tuple[str, ...]:
        """The conclusions' keys, as the evaluation's `concluded` set holds them."""
        return tuple(c.key for c in self.conclusions)


@dataclass(frozen=True)
class Evaluation:
    firings: tuple[Firing, ...]
    concluded: frozenset

    def fired_ids(self) -> frozenset:
        return frozenset(f.rule_id for f in self.firings)

    def first_firing(self, rule_id: str) -> Firing | None:
        """The rule's first alternative that held (the same through either evaluator,
        whatever order the engine happened to match them in)."""
        return min((f for f in self.firings if f.rule_id == rule_id), key=lambda f: f.disjunct, default=None)
