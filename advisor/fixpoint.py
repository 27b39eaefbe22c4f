"""The reference evaluator's stratified fixpoint, lean: which rules fire, nothing recorded.

advisor/oracle.py records, per firing, what each alternative matched; the analyses that try
dozens or hundreds of variants of one scenario (advisor/alterations.py: every change of a known
fact; advisor/unknowns.py: every value and completion of the unknown ones) compare only which
rules fired and what they concluded. `fired_rules` is that fixpoint, optionally re-evaluating
only the rules in reach of the facts that changed; tests/test_startup_alterations.py checks it
against the reference evaluator.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from . import vocabulary as v
from .lifetimes import per_version
from .slots import HEADLINE, LEVELS


def changed_leaves(path: str, value) -> dict:
    """The facts (by leaf, as conditions.facts_of keys them) that a known path set to `value` has:
    the facts of the changed scenario are the old ones updated with these, without building it."""
    from .conditions import leaf_name

    field = v.PATHS[path].field
    if field.kind == v.LIST:
        return {leaf_name(path, member): member in value for member in field.values}
    return {leaf_name(path): value}


REACH_KEPT = 4096  # reach() results kept per version


@dataclass(frozen=True)
class Graph:
    """The plan as the fixpoint walks it: per stratum (rule id, its condition compiled by
    conditions.holds, conclusion keys) in plan order, and who reads what (a fact leaf, a
    conclusion key) for the changes' reach."""

    layers: tuple[tuple[tuple[str, Any, tuple[str, ...]], ...], ...]
    keys_of: Mapping[str, tuple[str, ...]]
    leaf_readers: Mapping[str, frozenset]
    key_readers: Mapping[str, frozenset]
    # The rules that conclude in DESIGN_SLOTS, and those with every rule whose conclusions they
    # read, transitively: the only rules a comparison of headline and core lines needs.
    design_rules: frozenset
    design_feeders: frozenset
    # reach() by its leaves: a function of the version alone, asked for the same few leaves by
    # every scenario's alterations (a fact's change moves the same leaves in every scenario).
    _reached: dict = field(default_factory=dict, compare=False, repr=False)

    def reach(self, leaves: frozenset) -> frozenset:
        """The rules whose firing may depend on these fact leaves: their readers, the readers
        of what those conclude, and so on."""
        found = self._reached.get(leaves)
        if found is None:
            if len(self._reached) >= REACH_KEPT:  # the unknowns ask for arbitrary sets: stay bounded
                self._reached.clear()
            found = self._reached[leaves] = self._walk(leaves)  # a race computes it twice, alike
        return found

    def _walk(self, leaves) -> frozenset:
        todo = [r for leaf in leaves for r in self.leaf_readers.get(leaf, ())]
        found = set(todo)
        while todo:
            for key in self.keys_of[todo.pop()]:
                for reader in self.key_readers.get(key, ()):
                    if reader not in found:
                        found.add(reader)
                        todo.append(reader)
        return frozenset(found)


# What the headline and the core lines are built from (advice.build_advice draws each slot's
# items from the firings that conclude in that slot alone; design.build_design places tasks and
# objectives by level conclusions and caps the lines by size). A rule concluding only elsewhere
# (partners, warnings, expertise...) cannot move them.
DESIGN_SLOTS = frozenset(HEADLINE + ("objective", "task", "size") + LEVELS)


def _feeders(
    rules: frozenset, keys_of: Mapping[str, tuple[str, ...]], key_readers: Mapping[str, frozenset]
) -> frozenset:
    """`rules` and every rule whose conclusions one of them reads, transitively (reach, backwards)."""
    suppliers: dict[str, set[str]] = {}  # reader -> the rules concluding a key it reads
    for rule_id, keys in keys_of.items():
        for key in keys:
            for reader in key_readers.get(key, ()):
                suppliers.setdefault(reader, set()).add(rule_id)
    found, todo = set(rules), list(rules)
    while todo:
        for supplier in suppliers.get(todo.pop(), ()):
            if supplier not in found:
                found.add(supplier)
                todo.append(supplier)
    return frozenset(found)


@per_version
def graph_of(rb) -> Graph:
    from .conditions import Concl, Test, atoms, holds

    layers: list[list] = [[] for _ in range(rb.plan.strata)]
    leaf_readers: dict[str, set] = {}
    key_readers: dict[str, set] = {}
    for c in rb.plan.rules:
        rule = c.rule
        layers[c.stratum].append((rule.id, holds(rule.condition), tuple(k.key for k in rule.conclusions)))
        for atom in atoms(rule.condition):
            if isinstance(atom, Test):
                leaf_readers.setdefault(atom.leaf, set()).add(rule.id)
            elif isinstance(atom, Concl):
                key_readers.setdefault(atom.key, set()).add(rule.id)
    keys_of = {rule_id: keys for layer in layers for rule_id, _, keys in layer}
    readers = {k: frozenset(v) for k, v in key_readers.items()}
    design = frozenset(c.rule.id for c in rb.plan.rules if any(k.slot in DESIGN_SLOTS for k in c.rule.conclusions))
    return Graph(
        tuple(tuple(layer) for layer in layers),
        keys_of,
        {k: frozenset(v) for k, v in leaf_readers.items()},
        readers,
        design,
        _feeders(design, keys_of, readers),
    )


def fired_rules(graph: Graph, facts, fired: frozenset = frozenset(), reach: frozenset | None = None) -> frozenset:
    """The rules the reference evaluator (advisor/oracle.py) fires on these facts: the same
    stratified fixpoint, without recording firings and what they matched (the alterations
    compare only which rules fired; tests/test_startup_alterations.py checks against it).

    With `reach` (graph.reach of the leaves that differ from the facts `fired` came from),
    only those rules are evaluated: a rule out of reach reads no changed leaf and no
    conclusion a rule in reach draws, so it fires as it did. Its conclusions are there from
    the start, which changes nothing: a rule reads only conclusions of its own stratum or
    lower ones, negated ones only of lower strata (final when it runs), and a stratum's
    fixpoint is the least one, reached from any subset of it.
    """
    now = set(fired - reach) if reach is not None else set()
    concluded = {k for r in now for k in graph.keys_of[r]}
    for layer in graph.layers:
        todo = layer if reach is None else [rule for rule in layer if rule[0] in reach]
        waiting = todo
        while waiting:
            fresh: list[str] = []
            for rule_id, condition_holds, keys in waiting:
                if rule_id in now or not condition_holds(facts, concluded):
                    continue
                now.add(rule_id)
                for key in keys:
                    if key not in concluded:
                        concluded.add(key)
                        fresh.append(key)
            # Facts do not change within the fixpoint: only a rule that reads a key just
            # concluded can change its mind, so only those are tried again (a full pass per
            # round was measured 5-10% of the alterations' time: conditions of the first pass dominate).
            readers = {r for key in fresh for r in graph.key_readers.get(key, ())}
            waiting = [rule for rule in todo if rule[0] in readers and rule[0] not in now] if readers else []
    return frozenset(now)
