"""Kleene three-valued logic over condition trees: a rule fires only when its condition is true."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from .model import All, Any_, Concl, Node, Not, Test


def evaluate(node: Node, facts: Mapping[str, Any], concluded) -> bool | None:
    """Kleene three-valued truth of a condition: True, False or None (unknown)."""
    if isinstance(node, Test):
        return node.evaluate(facts)
    if isinstance(node, Concl):
        return node.evaluate(concluded)
    if isinstance(node, Not):
        inner = evaluate(node.item, facts, concluded)
        return None if inner is None else not inner
    if isinstance(node, All):
        result: bool | None = True
        for item in node.items:
            value = evaluate(item, facts, concluded)
            if value is False:
                return False
            if value is None:
                result = None
        return result
    if isinstance(node, Any_):
        result = False
        for item in node.items:
            value = evaluate(item, facts, concluded)
            if value is True:
                return True
            if value is None:
                result = None
        return result
    raise TypeError(node)


def atoms(node: Node) -> Iterator[Test | Concl]:
    """Every test in a condition, in reading order."""
    if isinstance(node, (Test, Concl)):
        yield node
    elif isinstance(node, Not):
        yield from atoms(node.item)
    else:
        for item in node.items:
            yield from atoms(item)


def nnf(node: Node, negated: bool = False) -> Node:
    """Push every `not` down to the atoms (De Morgan holds in Kleene logic)."""
    if isinstance(node, (Test, Concl)):
        return node.negate() if negated else node
    if isinstance(node, Not):
        return nnf(node.item, not negated)
    items = tuple(nnf(i, negated) for i in node.items)
    if isinstance(node, All):
        return Any_(items) if negated else All(items)
    return All(items) if negated else Any_(items)


def holds(node: Node) -> Callable[[Mapping[str, Any], Any], bool]:
    """A condition compiled to a predicate: `holds(node)(facts, concluded)` is
    `evaluate(node, facts, concluded) is True`, without walking the tree per call.

    The lean fixpoint (advisor/fixpoint.py) asks only "is it true?", for every rule of dozens of
    variants of a scenario. In negation normal form every leaf is positive (a negated scenario
    test is the complement set, still unknown when the fact is), so true is: each test's fact is
    known and allowed, and/or as written. Closures over the tree's data: rule files stay data.
    """
    return _holds(nnf(node))


def _holds(node: Node) -> Callable[[Mapping[str, Any], Any], bool]:
    if isinstance(node, Test):
        leaf, allowed = node.leaf, node.allowed

        def test(facts: Mapping[str, Any], concluded) -> bool:
            value = facts.get(leaf)
            return value is not None and value in allowed

        return test
    if isinstance(node, Concl):
        key = node.key
        if node.positive:
            return lambda facts, concluded: key in concluded
        return lambda facts, concluded: key not in concluded
    if isinstance(node, Not):
        raise TypeError("holds compiles a tree in negation normal form (nnf leaves no 'not')")
    parts = tuple(_holds(item) for item in node.items)
    if len(parts) == 1:
        return parts[0]
    if isinstance(node, All):

        def every(facts: Mapping[str, Any], concluded) -> bool:
            for part in parts:
                if not part(facts, concluded):
                    return False
            return True

        return every

    def some(facts: Mapping[str, Any], concluded) -> bool:
        for part in parts:
            if part(facts, concluded):
                return True
        return False

    return some
