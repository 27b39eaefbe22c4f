"""Sets of fully known scenarios as unions of boxes, for reasoning about whole rule bases.

A *box* fixes, for some leaves, the set of values a leaf may take (other leaves are
free); a *region* is a union of boxes. Every rule condition over scenario facts is a
region, and so is "rule X fires" once derived facts are unfolded into the facts behind
them. Verification asks questions of regions (empty? overlapping?) instead of running
millions of scenarios. Reasoning assumes every fact is known: with all facts known the
three-valued semantics collapses to two values and unfolding is exact.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from itertools import product

from ..compile import Plan

Box = frozenset  # frozenset of (leaf, frozenset allowed)
Region = tuple  # tuple of boxes; () is the empty region
TRUE: Region = (frozenset(),)
FALSE: Region = ()
MAX_BOXES = 4000


class TooComplex(Exception):
    """A region grew beyond MAX_BOXES boxes; the question is left undecided."""


def box_of(tests: Iterable) -> Box:
    return frozenset((t.leaf, frozenset(t.allowed)) for t in tests)


def _meet(a: Box, b: Box) -> Box | None:
    merged = dict(a)
    for leaf, allowed in b:
        if leaf in merged:
            both = merged[leaf] & allowed
            if not both:
                return None
            merged[leaf] = both
        else:
            merged[leaf] = allowed
    return frozenset(merged.items())


def _covers(big: Box, small: Box) -> bool:
    """Every scenario in `small` is in `big`."""
    bd = dict(small)
    return all(leaf in bd and bd[leaf] <= allowed for leaf, allowed in big)


def simplify(boxes: Iterable[Box]) -> Region:
    """Drop repeated and subsumed boxes (keeps regions small)."""
    unique = sorted(set(boxes), key=len)
    kept: list[Box] = []
    for box in unique:
        if not any(_covers(k, box) for k in kept):
            kept.append(box)
    if len(kept) > MAX_BOXES:
        raise TooComplex
    return tuple(kept)


def meet(a: Region, b: Region) -> Region:
    out = []
    for x, y in product(a, b):
        m = _meet(x, y)
        if m is not None:
            out.append(m)
        if len(out) > MAX_BOXES * 4:
            raise TooComplex
    return simplify(out)


def join(*regions: Region) -> Region:
    return simplify(box for r in regions for box in r)


def negate(region: Region, domains: Mapping[str, tuple]) -> Region:
    """The complement: no box of the region holds (De Morgan, leaf by leaf)."""
    result = TRUE
    for box in region:
        if not box:
            return FALSE
        parts = []
        for leaf, allowed in box:
            rest = frozenset(x for x in domains[leaf] if x not in allowed)
            if rest:
                parts.append(frozenset({(leaf, rest)}))
        result = meet(result, tuple(parts))
        if not result:
            return FALSE
    return result


class Unfolder:
    """The region of scenarios in which each rule fires, derived facts unfolded."""

    def __init__(self, plan: Plan, domains: Mapping[str, tuple]):
        self.plan = plan
        self.domains = domains
        self._keys: dict[str, Region] = {}
        self._rules: dict[str, Region] = {}
        self._busy: set[str] = set()
        self._cycles = 0  # how often a cycle was cut; results computed across a cut are not cached

    def key(self, key: str) -> Region:
        """Scenarios in which some rule concludes `key` ('slot:value')."""
        if key in self._keys:
            return self._keys[key]
        if key in self._busy:
            self._cycles += 1
            return FALSE  # least fixpoint: a positive cycle adds nothing by itself
        before = self._cycles
        self._busy.add(key)
        try:
            region = join(*(self.rule(r) for r in self.plan.producers.get(key, ())))
        finally:
            self._busy.discard(key)
        if self._cycles == before or not self._busy:
            self._keys[key] = region
        return region

    def rule(self, rule_id: str) -> Region:
        if rule_id in self._rules:
            return self._rules[rule_id]
        compiled = self.plan.by_id[rule_id]
        before = self._cycles
        alternatives = []
        for conj in compiled.conjuncts:
            region = (box_of(conj.tests),)
            for key in conj.positive:
                region = meet(region, self.key(key))
            for key in conj.negative:
                region = meet(region, negate(self.key(key), self.domains))
            alternatives.append(region)
        region = join(*alternatives)
        if self._cycles == before or not self._busy:
            self._rules[rule_id] = region
        return region
