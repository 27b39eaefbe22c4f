"""The durable-rules adapter: compile a rule base once, evaluate scenarios many times.

We drive durable-rules' engine (the `durable_rules_engine` extension: the Rete network,
fact store and agenda) directly, without its Python `Host` layer. That layer starts two
timer threads per Host that leak and crash under threads, and spends most of each rule
firing on closures, timers and JSON round trips we do not need (measured: see
docs/engine-notes.md). Each trap measured there has its answer here: facts not events,
one sid per evaluation deleted in `finally`, stratified phases for absence tests,
equality-only tests, and nothing of ours ever raising inside the engine.

Lifetime: an engine frees its ruleset when it is garbage (a weakref finaliser) or when
`close()` is called, never while something still holds it. Which engine serves which
rule-base version is `service.compiled_for`'s business.
"""

from __future__ import annotations

import itertools
import threading
import weakref
from typing import Any

import durable_rules_engine as dre

from . import enginethread
from .conditions import facts_of
from .engine_protocol import (
    SENTINEL,
    SENTINEL_RULE,
    concluded_fact,
    durable_rules,
    fired_rule_name,
    phase_fact,
    ruleset_text,
    scenario_fact,
)
from .errors import EngineError, Problem
from .evaluation import Evaluation, Firing, Match, MatchKind
from .ruleset import RuleBase

_names = itertools.count(1)
# assert_fact's result codes, as durable's own Python layer reads them (durable/engine.py).
NOT_HANDLED, OBSERVED, NO_STATE = 1, 2, 3


# durable-rules refuses a ruleset with error 108 when its node table is full. The limit
# depends on how many expression nodes the alternatives share, so it is not a fixed count:
# the shipped rule base's alternatives, replicated, compile up to 558 and fail at 559
# (measured 2026-12-02); identical copies of one alternative fail far earlier (128-256).
# validate and verify therefore compile (check_compiles) instead of predicting the count.
MEASURED_ALTERNATIVES_LIMIT = 558


def _refusal(err: Exception, alternatives: int) -> str:
    text = f"durable-rules refused the compiled rule base: {err}"
    if "108" in str(err):
        text += (
            f" ({alternatives} engine alternatives; the engine's node table is full, about "
            f"{MEASURED_ALTERNATIVES_LIMIT} alternatives for rules like ours): split the rule base or "
            "merge rules with the same conclusions"
        )
    return text


# Handles of engines that became garbage. A finaliser can run inside any allocation, even
# in the middle of another engine call, so it only queues the handle; the next compile or
# close frees the queue. list.append and list.pop are atomic under the GIL.
_retired: list[int] = []
_free_lock = threading.Lock()


def _free_retired() -> None:
    with _free_lock:
        while _retired:
            dre.delete_ruleset(_retired.pop())


def retired_count() -> int:
    """Engines that are garbage and not yet freed (for tests; the next compile frees them)."""
    return len(_retired)


def check_compiles(rulebase: RuleBase) -> None:
    """Raise EngineError unless durable-rules accepts this rule base; frees the engine copy."""
    CompiledRuleBase(rulebase).close()


class _Alternative:
    """One engine rule (a rule's DNF alternative) with what its firings record, prebuilt."""

    __slots__ = ("compiled", "index", "conclusions", "static", "tests", "concluded")

    def __init__(self, compiled, index):
        conj = compiled.conjuncts[index]
        self.compiled = compiled
        self.index = index
        self.conclusions = tuple(c.key for c in compiled.rule.conclusions)
        self.static = tuple(
            [Match(MatchKind.CONCLUDED, k) for k in conj.positive] + [Match(MatchKind.ABSENT, k) for k in conj.negative]
        )
        # Domains are finite: one Match per (test, value), built once.
        self.tests = tuple(
            (t.leaf, {val: Match(MatchKind.FACT, t.path, val, t.text) for val in t.allowed}) for t in conj.tests
        )

    def firing(self, facts: dict[str, Any]) -> Firing:
        matched = tuple(table[facts[leaf]] for leaf, table in self.tests) + self.static
        rule = self.compiled.rule
        return Firing(rule.id, self.index, matched, rule.conclusions, self.compiled.stratum)


class CompiledRuleBase:
    """A rule base registered as one durable-rules ruleset. Thread-safe."""

    def __init__(self, rulebase: RuleBase):
        # Only the version's hash is kept, not the RuleBase: engines are cached per version
        # (advisor.lifetimes), and a reference back would keep every draft alive.
        self.sha256 = rulebase.sha256
        self.name = f"ibm_{rulebase.sha256[:12]}_{next(_names)}"
        self._read = rulebase.plan.read_keys
        self._phases = rulebase.plan.phased
        self._lock = threading.Lock()
        self._sids = itertools.count(1)
        engine_rules = durable_rules(rulebase.plan)
        self._alternatives = {name: _Alternative(c, i) for name, (c, i, _) in engine_rules.items()}
        self.definition = {name: body for name, (_, _, body) in engine_rules.items()}
        # Deleting a session in which no action ever ran corrupts the heap (free(): invalid
        # pointer; heap-layout dependent, found by the authoring tests' small rule bases).
        # This rule fires once on every scenario fact, so every session has run an action.
        self.definition[SENTINEL] = SENTINEL_RULE
        _free_retired()
        try:
            self._handle = dre.create_ruleset(self.name, ruleset_text(self.definition))
        except dre.error as err:  # refusals (error 108 and the like) come as the extension's one error type
            raise EngineError(Problem(_refusal(err, len(engine_rules)), rulebase.rules_dir)) from err
        self._closed = False
        self._finaliser = weakref.finalize(self, _retired.append, self._handle)
        self._finaliser.atexit = False  # at exit the process frees everything anyway

    def evaluate(self, scenario) -> Evaluation:
        # On the one engine thread: an evaluation in a short-lived thread paid 20-30 ms of page
        # faults for the engine's session state (advisor/enginethread.py).
        return enginethread.run(self._evaluate, scenario)

    def _evaluate(self, scenario) -> Evaluation:
        facts = facts_of(scenario)
        with self._lock:
            if self._closed:
                raise EngineError("this compiled rule base has been closed")
            sid = str(next(self._sids))
            fired: list[_Alternative] = []
            concluded: set[str] = set()
            poisoned = False
            try:
                self._assert(sid, scenario_fact(sid, facts), fired, concluded)
                for stratum in self._phases:
                    self._assert(sid, phase_fact(sid, stratum), fired, concluded)
            except dre.error as err:
                poisoned = "303" in str(err)  # deleting a sid after error 303 segfaults (measured)
                raise EngineError(f"durable-rules failed on scenario '{scenario.name}': {err}") from err
            finally:
                if not poisoned:
                    dre.delete_state(self._handle, sid)
        firings = tuple(alt.firing(facts) for alt in fired)
        return Evaluation(firings, frozenset(concluded))

    def _assert(self, sid: str, fact: str, fired: list, concluded: set) -> None:
        """Assert one fact and run every activation it leads to, forward chaining."""
        code, state = dre.assert_fact(self._handle, fact)
        if code in (NOT_HANDLED, OBSERVED):
            return  # no rule reads this fact in this scenario
        if code == NO_STATE:
            state = 0
        result = dre.start_action_for_state(self._handle, state)
        message = result[1] if result else None
        while message:
            alt = self._alternatives.get(fired_rule_name(message))
            if alt is None:  # the sentinel
                message = dre.complete_and_start_action(self._handle, state)
                continue
            fired.append(alt)
            for key in alt.conclusions:
                if key in concluded:
                    continue
                concluded.add(key)
                if key in self._read:  # unread facts are rejected by the engine
                    dre.assert_fact(self._handle, concluded_fact(sid, key))
            message = dre.complete_and_start_action(self._handle, state)

    def close(self) -> None:
        """Free the engine's memory now; later evaluations raise EngineError.

        Only for an engine that is not shared (check_compiles, tests): a shared one is freed
        by its finaliser once nobody holds it.
        """
        with self._lock:
            if not self._closed:
                self._closed = True
                self._finaliser.detach()
                dre.delete_ruleset(self._handle)
        _free_retired()
