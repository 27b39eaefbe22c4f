"""Evaluate many variants of one scenario: the possible fact changes, applied and cached.

A *move* changes one thing: a scalar fact (choice, yes/no, a capacity area) gets another
value, or one member of a list is toggled. An unknown list is treated as empty once it is
touched; "known to be empty" is a move of its own. Making a known fact unknown is never a
move: not knowing is not a situation a planner can bring about, and the advisor never
fires on unknowns, so forgetting facts would only ever "explain" by ignorance.

Two values of a fact that every rule test treats alike give identical advice, so only one
value per such class is tried (the others are reported as `alternatives`); facts no rule
reads are not tried at all. Both reductions are exact.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .. import vocabulary as v
from ..advice import Advice
from ..conditions import Test, atoms, leaf_name
from ..ruleset import RuleBase
from ..scenario import Scenario, from_mapping
from ..service import advise
from ..slots import HEADLINE
from .jsonish import plain


@dataclass(frozen=True)
class Move:
    """One elementary change: `path` set to `value`, or list `member` set present/absent."""

    path: str
    value: Any = None
    member: str | None = None


@dataclass(frozen=True)
class Change:
    """A change as a briefer reads it: the fact, before and after, and equivalent values."""

    path: str
    before: Any
    after: Any
    alternatives: tuple = ()  # other values with exactly the same effect on the advice

    @property
    def text(self) -> str:
        """The change in the planner's words: 'host border authority: limited -> functioning';
        a list member as 'agreements in force: add ceasefire'."""
        from .words import fact_label, word

        before, after = self.before, self.after
        if isinstance(after, (tuple, list)) and isinstance(before, (tuple, list)):
            added = [word(x) for x in after if x not in before]
            removed = [word(x) for x in before if x not in after]
            what = "; ".join(
                ["add " + ", ".join(added)] * bool(added) + ["remove " + ", ".join(removed)] * bool(removed)
            )
            text = f"{fact_label(self.path)}: {what or 'none'}"
        else:
            text = f"{fact_label(self.path)}: {word(before)} -> {word(after)}"
        if self.alternatives:
            text += " (or " + ", ".join(word(a) for a in self.alternatives) + ")"
        return text

    def to_json(self) -> dict:
        return {
            "path": self.path,
            "before": plain(self.before),
            "after": plain(self.after),
            "alternatives": plain(self.alternatives),
        }


@dataclass(frozen=True)
class Outcome:
    """What a variant's advice says: the headline, the partner set, every concluded item."""

    headline: tuple[tuple[str, str | None], ...]
    partners: tuple[str, ...]
    items: frozenset  # (slot, value) for every slot except derived facts

    def get(self, slot: str):
        if slot == "partners":
            return self.partners
        return dict(self.headline)[slot]


def outcome_of(advice: Advice) -> Outcome:
    items = frozenset((slot, i.value) for slot, found in advice.items.items() if slot != "derived" for i in found)
    return Outcome(tuple(advice.headline().items()), advice.values("partner"), items)


HEADLINE_KEYS = HEADLINE + ("partners",)


def read_tests(rulebase: RuleBase, rule_ids: Iterable[str] | None = None) -> dict[str, list[Test]]:
    """Fact tests by leaf, over the given rules (default: all)."""
    chosen = rulebase.plan.by_id if rule_ids is None else rule_ids
    out: dict[str, list[Test]] = {}
    for rid in chosen:
        for atom in atoms(rulebase.rule(rid).condition):
            if isinstance(atom, Test):
                out.setdefault(atom.leaf, []).append(atom)
    return out


class Prober:
    """Advice for variants of scenarios, cached; counts real evaluations."""

    def __init__(self, rulebase: RuleBase, engine: str = "durable"):
        self.rulebase = rulebase
        self.engine = engine
        self.evaluations = 0
        self._cache: dict[tuple, Advice] = {}
        self._tests = read_tests(rulebase)

    def advice(self, scenario: Scenario) -> Advice:
        key = tuple(scenario.paths())  # lists are tuples, mappings opened: hashable
        found = self._cache.get(key)
        if found is None:
            self.evaluations += 1
            found = advise(self.rulebase, scenario, engine=self.engine)
            self._cache[key] = found
        return found

    def outcome(self, scenario: Scenario) -> Outcome:
        return outcome_of(self.advice(scenario))

    # ------------------------------------------------------------------ moves
    def moves(
        self, scenario: Scenario, paths: Iterable[str] | None = None, tests: dict[str, list[Test]] | None = None
    ) -> tuple[tuple[Move, Change], ...]:
        """Every elementary change worth trying, one per class of equivalent values."""
        tests = self._tests if tests is None else tests
        out: list[tuple[Move, Change]] = []
        for name in v.PATHS if paths is None else [p for p in v.PATHS if p in set(paths)]:
            path = v.PATHS[name]
            current = scenario.get(name)
            if path.field.kind == v.LIST:
                out += self._list_moves(name, path.field.values, current, tests)
            else:
                out += self._scalar_moves(name, path.domain, current, tests.get(leaf_name(name), []))
        return tuple(out)

    @staticmethod
    def _scalar_moves(name, domain, current, tests) -> list[tuple[Move, Change]]:
        if not tests:
            return []
        classes: dict[tuple, list] = {}
        for value in domain:
            classes.setdefault(tuple(value in t.allowed for t in tests), []).append(value)
        mine = None if current is None else tuple(current in t.allowed for t in tests)
        out = []
        for signature, values in classes.items():
            if signature == mine:
                continue
            out.append((Move(name, values[0]), Change(name, current, values[0], tuple(values[1:]))))
        return out

    @staticmethod
    def _list_moves(name, members, current, tests) -> list[tuple[Move, Change]]:
        read = [m for m in members if leaf_name(name, m) in tests]
        if not read:
            return []
        base = tuple(current or ())
        out = []
        for m in read:
            present = m not in base
            after = tuple(x for x in members if (x in base) != (x == m))
            out.append((Move(name, present, m), Change(name, current, after)))
        if current is None:
            unread = tuple((m,) for m in members if m not in read)
            out.append((Move(name, ()), Change(name, None, (), unread)))
        return out

    def apply(self, scenario: Scenario, moves: Iterable[Move]) -> Scenario:
        """The scenario with the moves made (validated like any scenario)."""
        data = scenario.to_dict()
        for move in moves:
            if "." in move.path:
                field, area = move.path.split(".", 1)
                data[field] = dict(data.get(field, {}), **{area: move.value})
            elif move.member is not None:
                members = set(data.get(move.path) or ())
                (members.add if move.value else members.discard)(move.member)
                data[move.path] = [m for m in v.PATHS[move.path].field.values if m in members]
            else:
                data[move.path] = list(move.value) if isinstance(move.value, tuple) else move.value
        return from_mapping(data, scenario.source)


def compatible(moves: Iterable[Move]) -> bool:
    """At most one move per fact, except toggles of different members of one list."""
    seen: dict[str, set] = {}
    for move in moves:
        taken = seen.setdefault(move.path, set())
        token = move.member if move.member is not None else "*"
        if token in taken or (taken and (token == "*" or "*" in taken)):
            return False
        taken.add(token)
    return True


def combined_change(scenario: Scenario, applied: Scenario, moves: Iterable[Move]) -> tuple[Change, ...]:
    """The changes of a move set, one per fact path, before vs after."""
    paths = list(dict.fromkeys(m.path for m in moves))
    return tuple(Change(p, scenario.get(p), applied.get(p)) for p in paths)
