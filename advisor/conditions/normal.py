"""Disjunctive normal form: the satisfiable alternatives of a condition, each a Conjunct.

The engine compiles one rule per alternative; the size is bounded before anything is
built, so a small hostile file cannot expand into millions of products.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from itertools import product
from typing import Any

from .logic import nnf
from .model import All, Any_, Concl, Node, Test

MAX_DISJUNCTS = 64


@dataclass(frozen=True)
class Conjunct:
    """One alternative of a rule: leaf tests (intersected per leaf) and conclusion tests."""

    tests: tuple[Test, ...]  # at most one per leaf
    positive: tuple[str, ...]  # conclusion keys that must be present
    negative: tuple[str, ...]  # conclusion keys that must be absent

    def holds(self, facts: Mapping[str, Any], concluded) -> bool:
        return (
            all(t.evaluate(facts) is True for t in self.tests)
            and all(k in concluded for k in self.positive)
            and not any(k in concluded for k in self.negative)
        )


def _merge(parts: list[Test | Concl]) -> Conjunct | None:
    by_leaf: dict[str, Test] = {}
    pos: list[str] = []
    neg: list[str] = []
    for atom in parts:
        if isinstance(atom, Concl):
            (pos if atom.positive else neg).append(atom.key)
            continue
        seen = by_leaf.get(atom.leaf)
        if seen is None:
            by_leaf[atom.leaf] = atom
        else:
            by_leaf[atom.leaf] = Test(
                atom.leaf, atom.path, seen.allowed & atom.allowed, atom.domain, f"{seen.text} and {atom.text}"
            )
    if any(not t.allowed for t in by_leaf.values()) or set(pos) & set(neg):
        return None  # can never hold
    return Conjunct(tuple(by_leaf[k] for k in sorted(by_leaf)), tuple(sorted(set(pos))), tuple(sorted(set(neg))))


def _count(node: Node, cap: int) -> int:
    """How many raw alternatives _dnf_lists would build, saturating at cap + 1.

    Counted before anything is built: an `all` of ten two-way `any`s is 1,024 products,
    and nested ones reach MemoryError from a few kilobytes of YAML.
    """
    if isinstance(node, (Test, Concl)):
        return 1
    if isinstance(node, Any_):
        total = 0
        for item in node.items:
            total += _count(item, cap)
            if total > cap:
                return cap + 1
        return total
    if isinstance(node, All):
        total = 1
        for item in node.items:
            total *= _count(item, cap)
            if total == 0:
                return 0
            if total > cap:
                return cap + 1
        return total
    raise TypeError(node)


def _dnf_lists(node: Node) -> list[list]:
    if isinstance(node, (Test, Concl)):
        return [[node]]
    if isinstance(node, Any_):
        out = []
        for item in node.items:
            out.extend(_dnf_lists(item))
        return out
    if isinstance(node, All):
        out = [[]]
        for item in node.items:
            out = [a + b for a, b in product(out, _dnf_lists(item))]
            if len(out) > MAX_DISJUNCTS * 4:
                raise OverflowError
        return out
    raise TypeError(node)


def dnf(node: Node) -> tuple[Conjunct, ...]:
    """The satisfiable alternatives of a condition. Raises OverflowError when too many."""
    normal = nnf(node)
    if _count(normal, MAX_DISJUNCTS * 4) > MAX_DISJUNCTS * 4:
        raise OverflowError
    conjuncts = []
    for parts in _dnf_lists(normal):
        merged = _merge(parts)
        if merged is not None and merged not in conjuncts:
            conjuncts.append(merged)
    if len(conjuncts) > MAX_DISJUNCTS:
        raise OverflowError
    return tuple(conjuncts)
