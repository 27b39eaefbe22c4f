"""What if: single-fact changes that flip the headline, and the smallest change set
that reaches a target conclusion.

The target search is breadth-first over the size of the change set (see probe.py for
what one change is), restricted to the facts read by the rules that can decide the
target: those concluding any value of its slot (priority decides one-value slots) and,
transitively, the rules producing the conclusions those rules read. That restriction
is exact, so when the search ends within its budget the set found is a smallest one.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

from ..ruleset import RuleBase
from ..scenario import Scenario
from ..slots import SLOTS
from .jsonish import plain
from .probe import HEADLINE_KEYS, Change, Prober, combined_change, compatible, read_tests
from .targets import Target

MAX_SIZE = 3
BUDGET = 20000  # evaluations; a search that hits it says so and claims no minimality
MAX_SOLUTIONS = 5


@dataclass(frozen=True)
class Flip:
    """A single change and what it does to one headline conclusion."""

    slot: str  # mandate | structure | hq | partners
    change: Change
    before: object
    after: object

    def to_json(self) -> dict:
        return {
            "slot": self.slot,
            "change": self.change.to_json(),
            "before": plain(self.before),
            "after": plain(self.after),
        }


@dataclass(frozen=True)
class FlipReport:
    scenario: str
    ruleset: str
    headline: tuple[tuple[str, object], ...]
    flips: tuple[Flip, ...]
    tried: int  # single changes tried (one per class of equivalent values)
    evaluations: int

    def for_slot(self, slot: str) -> tuple[Flip, ...]:
        return tuple(f for f in self.flips if f.slot == slot)

    def to_json(self) -> dict:
        return {
            "kind": "flips",
            "scenario": self.scenario,
            "ruleset": self.ruleset,
            "headline": {k: plain(v) for k, v in self.headline},
            "flips": [f.to_json() for f in self.flips],
            "tried": self.tried,
            "evaluations": self.evaluations,
        }


def flips(rulebase: RuleBase, scenario: Scenario, prober: Prober | None = None) -> FlipReport:
    """Every single change that alters the mandate, structure, HQ or partner set."""
    prober = prober or Prober(rulebase)
    base = prober.outcome(scenario)
    found = []
    moves = prober.moves(scenario)
    for move, change in moves:
        out = prober.outcome(prober.apply(scenario, (move,)))
        for slot in HEADLINE_KEYS:
            if out.get(slot) != base.get(slot):
                found.append(Flip(slot, change, base.get(slot), out.get(slot)))
    headline = tuple((slot, base.get(slot)) for slot in HEADLINE_KEYS)
    return FlipReport(scenario.name, rulebase.label, headline, tuple(found), len(moves), prober.evaluations)


@dataclass(frozen=True)
class TargetSearch:
    scenario: str
    ruleset: str
    target: Target
    status: str  # already | found | not found | budget exhausted
    solutions: tuple[tuple[Change, ...], ...]  # every smallest set found (up to MAX_SOLUTIONS)
    size: int | None
    searched_up_to: int  # all sets up to this size were tried
    minimal: bool  # True when no smaller set exists (exhaustive)
    facts_considered: tuple[str, ...]
    evaluations: int

    @property
    def changes(self) -> tuple[Change, ...]:
        return self.solutions[0] if self.solutions else ()

    def to_json(self) -> dict:
        return {
            "kind": "target",
            "scenario": self.scenario,
            "ruleset": self.ruleset,
            "target": self.target.to_json(),
            "status": self.status,
            "size": self.size,
            "changes": [c.to_json() for c in self.changes],
            "solutions": [[c.to_json() for c in s] for s in self.solutions],
            "searched_up_to": self.searched_up_to,
            "minimal": self.minimal,
            "facts_considered": list(self.facts_considered),
            "evaluations": self.evaluations,
        }


def deciding_rules(rulebase: RuleBase, target: Target) -> tuple[str, ...]:
    """Rules whose firing can affect whether `target` ends up in the advice."""
    plan = rulebase.plan
    if SLOTS[target.slot].single:
        keys = [k for k in plan.producers if k.startswith(f"{target.slot}:")]
    else:
        keys = [target.key]
    chosen: dict[str, None] = {}
    todo = [rid for k in keys for rid in plan.producers.get(k, ())]
    while todo:
        rid = todo.pop()
        if rid in chosen:
            continue
        chosen[rid] = None
        for key in plan.by_id[rid].reads:
            todo.extend(plan.producers.get(key, ()))
    return tuple(chosen)


def reached(advice, target: Target) -> bool:
    return advice.item(target.slot, target.value) is not None


def search_target(
    rulebase: RuleBase,
    scenario: Scenario,
    target: Target,
    max_size: int = MAX_SIZE,
    budget: int = BUDGET,
    prober: Prober | None = None,
) -> TargetSearch:
    """The smallest sets of changes after which `target` is in the advice."""
    prober = prober or Prober(rulebase)
    start = prober.evaluations
    rules = deciding_rules(rulebase, target)
    tests = read_tests(rulebase, rules)
    moves = prober.moves(scenario, tests=tests)
    considered = tuple(dict.fromkeys(m.path for m, _ in moves))

    def result(status, solutions=(), size=None, upto=0, minimal=False):
        return TargetSearch(
            scenario.name,
            rulebase.label,
            target,
            status,
            tuple(solutions),
            size,
            upto,
            minimal,
            considered,
            prober.evaluations - start,
        )

    if reached(prober.advice(scenario), target):
        return result("already", size=0, minimal=True)
    tried = 0
    for size in range(1, max_size + 1):
        solutions: list[tuple[Change, ...]] = []
        for combo in combinations(moves, size):
            chosen = tuple(m for m, _ in combo)
            if not compatible(chosen):
                continue
            tried += 1
            if tried > budget:
                return result(
                    "budget exhausted", solutions, size if solutions else None, size - 1, minimal=bool(solutions)
                )
            applied = prober.apply(scenario, chosen)
            if reached(prober.advice(applied), target):
                solutions.append(_described(scenario, applied, combo))
                if len(solutions) >= MAX_SOLUTIONS:
                    break
        if solutions:
            return result("found", solutions, size, size - 1, minimal=True)
    return result("not found", upto=max_size, minimal=False)


def _described(scenario, applied, combo) -> tuple[Change, ...]:
    """Single changes keep their equivalent values; list toggles merge per list."""
    if len(combo) == 1:
        return (combo[0][1],)
    singles: dict[str, list[Change]] = {}
    for move, change in combo:
        singles.setdefault(move.path, []).append(change)
    merged = combined_change(scenario, applied, [m for m, _ in combo])
    return tuple(singles[c.path][0] if len(singles[c.path]) == 1 else c for c in merged)
