"""Which unknown facts decide something, and how settled each headline conclusion is.

An unknown fact *matters* when some value of it changes at least one conclusion (the
contract's meaning), found by trying its values on the reference evaluator: every value of
a scalar, every subset of a list (at most 2^8). A headline slot is

- `default` when its value comes only from fallback rules (no rule under it, following
  derived conclusions down, tests a scenario fact);
- `open` when some completion of the unknown facts changes it (the facts are named);
- `settled` when none does: checked over every completion of the unknown facts that
  matter when there are at most MAX_COMPLETIONS of them, else over every single-fact
  change and SAMPLES seeded random completions (`exhaustive` says which).
"""

from __future__ import annotations

import itertools
import random
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from . import vocabulary as v
from .conditions import Test, atoms, facts_of
from .fixpoint import changed_leaves, fired_rules, graph_of
from .lifetimes import per_version
from .slots import HEADLINE

MAX_COMPLETIONS = 256
SAMPLES = 64
ALL_SUBSETS = 4  # lists of at most this many members try every subset; longer ones each member alone, none, all


@dataclass(frozen=True)
class Settledness:
    slot: str
    verdict: str  # settled | default | open
    could_change: tuple[str, ...]  # unknown facts whose completion can change it
    exhaustive: bool  # every completion was tried
    checked: int = 0  # completions evaluated (all of them when exhaustive, else the sample)

    def words(self) -> str:
        """How settled, in a planner's words; a sampled check never claims more than it did."""
        if self.verdict == "default":
            return "a default: no rule grounds it on the facts yet"
        if self.verdict == "open":
            from .explain.words import fact_label

            return (
                "open: could change with "
                + ", ".join(fact_label(p) for p in self.could_change[:4])
                + (f" and {len(self.could_change) - 4} more" if len(self.could_change) > 4 else "")
            )
        if self.exhaustive:
            return "settled: no answer to the unknown facts changes it"
        return f"likely settled: unchanged on {self.checked} sampled completions of the unknown facts (not all checked)"


@dataclass(frozen=True)
class Unknowns:
    mattered: tuple[str, ...]  # ordered: most headline changes, then most conclusions changed
    settledness: tuple[Settledness, ...]

    def of(self, slot: str) -> Settledness | None:
        return next((s for s in self.settledness if s.slot == slot), None)


def values_of(path: str) -> list:
    """Every value an unknown path can take."""
    p = v.PATHS[path]
    if p.field.kind == v.LIST:
        members = p.field.values
        if len(members) <= ALL_SUBSETS:
            return [list(c) for n in range(len(members) + 1) for c in itertools.combinations(members, n)]
        return [[]] + [[m] for m in members] + [list(members)]
    return list(p.domain)


@dataclass(frozen=True)
class _Result:
    """What a variant concluded: every non-derived conclusion and the headline winners."""

    concluded: frozenset
    headline: dict
    all_concluded: frozenset = frozenset()  # derived conclusions included


def evaluate(rulebase, scenario) -> _Result:
    """The reference evaluator, resolved only as far as the comparison needs."""
    return _evaluate_with_firings(rulebase, scenario)[0]


def _evaluate_with_firings(rulebase, scenario) -> tuple[_Result, frozenset]:
    from .oracle import evaluate_reference

    evaluation = evaluate_reference(rulebase, scenario)
    fired = evaluation.fired_ids()
    return _result(rulebase, graph_of(rulebase), fired, frozenset(evaluation.concluded)), fired


def _result(rulebase, graph, fired: frozenset, concluded: frozenset) -> _Result:
    """What these fired rules conclude, and the headline winners (None on a conflict)."""
    from .advice import resolve_one

    found: dict[str, dict[str, list[str]]] = {slot: {} for slot in HEADLINE}
    for r in fired:
        for key in graph.keys_of[r]:
            slot, _, value = key.partition(":")
            if slot in found:
                found[slot].setdefault(value, []).append(r)
    head = {}
    for slot in HEADLINE:
        winners = resolve_one(found[slot], lambda r: rulebase.rule(r).priority)[0] if found[slot] else []
        head[slot] = winners[0] if len(winners) == 1 else None
    return _Result(frozenset(k for k in concluded if not k.startswith("derived:")), head, concluded)


def _lean(rulebase, graph, facts, base: frozenset, reach: frozenset) -> _Result:
    """`evaluate` on facts that differ from those `base` fired on only in leaves whose rules are
    in `reach` (advisor/fixpoint.py): the same result without recording any firing, the larger
    part of the cost of the hundreds of variants an analysis tries."""
    fired = fired_rules(graph, facts, base, reach)
    return _result(rulebase, graph, fired, frozenset(k for r in fired for k in graph.keys_of[r]))


def _leaves(paths) -> frozenset:
    """The fact leaves of these paths (every member's, for a list)."""
    return frozenset(leaf for p in paths for leaf in changed_leaves(p, [] if v.PATHS[p].field.kind == v.LIST else None))


def _filled(facts, pairs) -> dict:
    """The facts with these (path, value) pairs filled in, without building the scenario (the
    completions are hundreds; equal to facts_of of the completed scenario, tested)."""
    out = dict(facts)
    for path, value in pairs:
        out.update(changed_leaves(path, value))
    return out


def _outcome(result: _Result) -> frozenset:
    return result.concluded


def _headline(result: _Result) -> dict:
    return result.headline


def _grounded(advice, rule_ids, depth: int = 8) -> bool:
    """Some rule under these firings tested a scenario fact in the alternative that held.

    Following derived conclusions down: 'executive powers needed, so substitution' tests no
    fact itself but rests on the facts of the rule that derived it, so it is no default.
    """
    rb = advice.rulebase
    facts = facts_of(advice.scenario)
    concluded = advice.evaluation.concluded
    seen: set[str] = set()
    todo = [(r, depth) for r in rule_ids]
    while todo:
        rule_id, left = todo.pop()
        if rule_id in seen or left == 0:
            continue
        seen.add(rule_id)
        conj = next((c for c in rb.plan.by_id[rule_id].conjuncts if c.holds(facts, concluded)), None)
        if conj is None:
            continue
        if conj.tests:
            return True
        todo += [
            (f.rule_id, left - 1) for key in conj.positive for f in advice.evaluation.firings if key in f.concluded
        ]
    return False


@per_version
def _readers(rulebase) -> dict[str, tuple]:
    """Per scenario path: the (rule id, condition) of every rule that tests it; once per version."""
    by_path: dict[str, list] = {}
    for c in rulebase.plan.rules:
        for path in dict.fromkeys(a.path for a in atoms(c.rule.condition) if isinstance(a, Test)):
            by_path.setdefault(path, []).append((c.rule.id, c.rule.condition))
    return {p: tuple(rs) for p, rs in by_path.items()}


def _single_changes(rulebase, scenario, here: _Result, fired: frozenset, candidates):
    """For each candidate unknown path: (headline slots changed, conclusions changed) at best.

    A value can change the outcome only if some rule that tests the path fires with it and
    did not before: the other rules see the same facts and the same lower strata, so the old
    conclusions stay the stratified model (rules that fired with the fact unknown were
    already true for every value, by Kleene logic). Only such values are evaluated in full;
    that skips most of the work and changes nothing in the answer.
    """
    from .conditions import evaluate as truth

    readers = _readers(rulebase)
    graph = graph_of(rulebase)
    facts = facts_of(scenario)
    concluded = here.all_concluded
    base, head = _outcome(here), _headline(here)
    for path in candidates:
        best = (0, 0)
        heads_moved: set[str] = set()
        reach = graph.reach(_leaves((path,)))
        for value in values_of(path):
            variant = scenario.with_value(path, value)
            vfacts = facts | facts_of(variant)
            if not any(
                rid not in fired and truth(cond, vfacts, concluded) is True for rid, cond in readers.get(path, ())
            ):
                continue
            other = _lean(rulebase, graph, vfacts, fired, reach)
            heads = [s for s, val in _headline(other).items() if val != head[s]]
            heads_moved.update(heads)
            best = max(best, (len(heads), len(base ^ _outcome(other))))
        yield path, best, heads_moved


def _candidates(scenario, rulebase) -> list[str]:
    read = _readers(rulebase)
    return [p for p in scenario.unknown_paths() if p in read]


def _ordered(scores: dict[str, tuple[int, int]]) -> tuple[str, ...]:
    """Most headline changes first, then most conclusions changed, then vocabulary order."""
    order = {p: i for i, p in enumerate(v.PATHS)}
    return tuple(sorted(scores, key=lambda p: (-scores[p][0], -scores[p][1], order.get(p, 0))))


def decisive(rulebase, scenario) -> tuple[str, ...]:
    """Just the unknown facts that matter, in `analyse`'s order: what a sweep row shows."""
    here, fired = _evaluate_with_firings(rulebase, scenario)
    scores = {
        path: best
        for path, best, _ in _single_changes(rulebase, scenario, here, fired, _candidates(scenario, rulebase))
        if best[1]
    }
    return _ordered(scores)


def analyse(advice) -> Unknowns:
    scenario = advice.scenario
    rb = advice.rulebase

    here, fired = _evaluate_with_firings(rb, scenario)
    head = _headline(here)
    scores: dict[str, tuple[int, int]] = {}
    moves: dict[str, set[str]] = {slot: set() for slot in HEADLINE}
    for path, best, heads in _single_changes(rb, scenario, here, fired, _candidates(scenario, rb)):
        for slot in heads:
            moves[slot].add(path)
        if best[1]:
            scores[path] = best
    mattered = _ordered(scores)
    # Completions of the facts that matter: all of them when few, else a seeded sample.
    domains = [values_of(p) for p in mattered]
    total = 1
    for d in domains:
        total *= len(d)
        if total > MAX_COMPLETIONS:
            break
    exhaustive = total <= MAX_COMPLETIONS
    checked = total if exhaustive else SAMPLES
    completions: Iterable[Sequence[Any]]
    if exhaustive:
        completions = itertools.product(*domains)
    else:
        rnd = random.Random(zlib.crc32(scenario.name.encode("utf-8", "replace")))
        completions = ([rnd.choice(d) for d in domains] for _ in range(SAMPLES))
    # A change that needs several facts at once names the facts that differ from the sample's base.
    combined: dict[str, set[str]] = {slot: set() for slot in HEADLINE}
    graph = graph_of(rb)
    facts = facts_of(scenario)
    reach = graph.reach(_leaves(mattered))
    for combo in completions if mattered else ():
        other = _headline(_lean(rb, graph, _filled(facts, zip(mattered, combo)), fired, reach))
        for slot in HEADLINE:
            if other[slot] != head[slot] and not moves[slot]:
                combined[slot].update(mattered)
    for slot in HEADLINE:
        moves[slot] = moves[slot] or combined[slot]
    out = []
    for slot in HEADLINE:
        item = advice.one(slot)
        if item is not None and not _grounded(advice, item.because):
            verdict = "default"
        else:
            verdict = "open" if moves[slot] else "settled"
        could = tuple(p for p in mattered if p in moves[slot]) + tuple(sorted(moves[slot] - set(mattered)))
        out.append(Settledness(slot, verdict, could, exhaustive, checked if mattered else 0))
    return Unknowns(mattered, tuple(out))
