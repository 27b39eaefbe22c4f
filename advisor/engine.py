"""The durable-rules adapter: compile a rule base once, evaluate scenarios many times.

Each trap measured in docs/engine-notes.md has its answer here: facts not events, a
quiet Host (no timer threads), one sid per evaluation deleted in `finally`, stratified
phases for absence tests, equality-only tests, errors captured outside the engine.
"""
from __future__ import annotations

import copy
import itertools
import threading
from typing import Any

import durable.engine as durable
import durable_rules_engine

from .compile import CompiledRule, durable_rules
from .conditions import facts_of
from .errors import EngineError, Problem
from .evaluation import Evaluation, firing, matches_of
from .ruleset import RuleBase

_names = itertools.count(1)


class QuietHost(durable.Host):
    """A Host without the two background timer threads: we use no timers, and the
    threads leak per Host and crash when several threads share one (measured)."""

    def _run(self) -> None:  # noqa: D401 - durable's hook
        return None


class _Run:
    """Collects what one evaluation fires; lives only for that evaluation."""

    __slots__ = ("facts", "concluded", "firings", "error")

    def __init__(self, facts: dict[str, Any]):
        self.facts = facts
        self.concluded: set[str] = set()
        self.firings: list = []
        self.error: BaseException | None = None


class CompiledRuleBase:
    """A rule base registered in its own durable-rules Host. Thread-safe."""

    def __init__(self, rulebase: RuleBase):
        self.rulebase = rulebase
        self.name = f"ibm_{rulebase.sha256[:12]}_{next(_names)}"
        self._read = rulebase.plan.read_keys
        self._phases = rulebase.plan.phased
        self._runs: dict[str, _Run] = {}
        self._lock = threading.Lock()
        self._sids = itertools.count(1)
        self._closed = False
        definition = durable_rules(rulebase.plan, self._action)
        # durable-rules deletes 'run' from the dicts it is given: hand it a copy.
        self._host = QuietHost()
        try:
            self._host.register_rulesets({self.name: _copy_with_actions(definition)})
        except BaseException as err:  # the C engine reports errors as plain Exceptions
            raise EngineError(Problem(f"durable-rules refused the compiled rule base: {err}",
                                      rulebase.rules_dir)) from err

    def _action(self, compiled: CompiledRule, index: int):
        conj = compiled.conjuncts[index]
        conclusions = compiled.rule.conclusions
        read = self._read

        def run(c) -> None:
            state = self._runs.get(c.s.sid)
            if state is None or state.error is not None:
                return
            try:
                state.firings.append(firing(compiled, index, matches_of(conj, state.facts)))
                for conclusion in conclusions:
                    key = conclusion.key
                    if key in state.concluded:
                        continue
                    state.concluded.add(key)
                    if key in read:
                        c.assert_fact({"kind": "c", "key": key})
            except BaseException as err:  # never let an error vanish inside the engine
                state.error = err

        return run

    def evaluate(self, scenario) -> Evaluation:
        if self._closed:
            raise EngineError("this compiled rule base has been closed")
        facts = facts_of(scenario)
        with self._lock:
            sid = str(next(self._sids))
            state = _Run(facts)
            self._runs[sid] = state
            poisoned = False
            try:
                self._assert({"sid": sid, "kind": "s", **facts})
                for stratum in self._phases:
                    self._assert({"sid": sid, "kind": "phase", "n": stratum})
            except Exception as err:
                poisoned = "303" in str(err)  # deleting a sid after error 303 segfaults
                raise EngineError(f"durable-rules failed on scenario '{scenario.name}': {err}") from err
            finally:
                del self._runs[sid]
                if not poisoned:
                    self._host.delete_state(self.name, sid)
        if state.error is not None:
            raise EngineError(f"a rule action failed on scenario '{scenario.name}': {state.error!r}") from state.error
        return Evaluation(tuple(state.firings), frozenset(state.concluded))

    def _assert(self, fact: dict) -> None:
        try:
            self._host.assert_fact(self.name, fact)
        except durable.MessageNotHandledException:
            pass  # no rule reads this fact in this scenario: nothing to do

    def close(self) -> None:
        """Free the engine's memory for this rule base (after the last evaluation)."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            ruleset = self._host.get_ruleset(self.name)
            durable_rules_engine.delete_ruleset(ruleset._handle)


def _copy_with_actions(definition: dict) -> dict:
    """Deep-copy the patterns but keep the action callables themselves."""
    out = {}
    for name, rule in definition.items():
        body = {k: copy.deepcopy(v) for k, v in rule.items() if k != "run"}
        body["run"] = rule["run"]
        out[name] = body
    return out
