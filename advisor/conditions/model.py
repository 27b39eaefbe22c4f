"""The condition tree: scenario tests, conclusion tests and the all/any/not around them.

Every scenario test normalises to "leaf value in an allowed set" over a finite domain,
so `not` is the complement set: exact even when a fact is unknown. List fields become
one boolean leaf per member.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..slots import Conclusion

UNKNOWN = None  # the third truth value
OPS = ("is", "in", "at_least", "at_most", "above", "below", "contains", "contains_any", "contains_all")
LEAF_SEP = "__"


def leaf_name(path: str, member: str | None = None) -> str:
    """Engine key of a fact: dots and list members become '__' (durable keys stay plain)."""
    base = path.replace(".", LEAF_SEP)
    return f"{base}{LEAF_SEP}{member}" if member is not None else base


@dataclass(frozen=True)
class Test:
    """A scenario test: the leaf's value lies in `allowed`. `path` is the vocabulary path."""

    leaf: str
    path: str
    allowed: frozenset
    domain: tuple
    text: str

    def negate(self) -> Test:
        rest = frozenset(x for x in self.domain if x not in self.allowed)
        return Test(self.leaf, self.path, rest, self.domain, f"not ({self.text})")

    def evaluate(self, facts: Mapping[str, Any]):
        value = facts.get(self.leaf)
        if value is None:
            return UNKNOWN
        return value in self.allowed


@dataclass(frozen=True)
class Concl:
    """A test on a conclusion: `key` is 'slot:value' (e.g. 'derived:x', 'mandate:none')."""

    key: str
    positive: bool = True

    @property
    def text(self) -> str:
        c = Conclusion.of_key(self.key)
        shown = c.value if c.slot == "derived" else f"{c.slot} {c.value}"
        return shown if self.positive else f"no {shown}"

    def negate(self) -> Concl:
        return Concl(self.key, not self.positive)

    def evaluate(self, concluded) -> bool:
        return (self.key in concluded) == self.positive


@dataclass(frozen=True)
class All:
    items: tuple


@dataclass(frozen=True)
class Any_:
    items: tuple


@dataclass(frozen=True)
class Not:
    item: Any


Node = Test | Concl | All | Any_ | Not
