"""Kleene three-valued logic over condition trees: a rule fires only when its condition is true."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
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
