"""The rule base in service: compiled once per version, shared, reloaded safely."""
from __future__ import annotations

import threading
from collections import OrderedDict
from pathlib import Path

from .advice import Advice, build_advice
from .engine import CompiledRuleBase
from .oracle import evaluate_reference
from .ruleset import DEFAULT_KNOWLEDGE, DEFAULT_RULES, RuleBase, load_rulebase

MAX_COMPILED = 16
_compiled: "OrderedDict[str, CompiledRuleBase]" = OrderedDict()
_compiled_lock = threading.Lock()


def compiled_for(rulebase: RuleBase) -> CompiledRuleBase:
    """The engine for a rule-base version, compiling it on first use only."""
    with _compiled_lock:
        engine = _compiled.get(rulebase.sha256)
        if engine is not None:
            _compiled.move_to_end(rulebase.sha256)
            return engine
        engine = CompiledRuleBase(rulebase)
        _compiled[rulebase.sha256] = engine
        while len(_compiled) > MAX_COMPILED:
            _, old = _compiled.popitem(last=False)
            old.close()
        return engine


def advise(rulebase: RuleBase, scenario, engine: str = "durable") -> Advice:
    """Advice for one scenario, through durable-rules or the reference evaluator."""
    if engine == "reference":
        evaluation = evaluate_reference(rulebase, scenario)
    else:
        evaluation = compiled_for(rulebase).evaluate(scenario)
    return build_advice(rulebase, scenario, evaluation)


class Advisor:
    """Holds the rule base in service; a failed reload leaves the previous one serving."""

    def __init__(self, rules_dir: str | Path = DEFAULT_RULES, knowledge_dir: str | Path = DEFAULT_KNOWLEDGE):
        self.rules_dir = Path(rules_dir)
        self.knowledge_dir = Path(knowledge_dir)
        self._lock = threading.Lock()
        self._rulebase = load_rulebase(self.rules_dir, self.knowledge_dir)
        compiled_for(self._rulebase)

    @property
    def rulebase(self) -> RuleBase:
        return self._rulebase

    def reload(self) -> bool:
        """Load the files again; True when a new version went into service.

        Raises the loading error (RuleFileError or EngineError) and keeps the old version.
        """
        with self._lock:
            candidate = load_rulebase(self.rules_dir, self.knowledge_dir)
            if candidate.sha256 == self._rulebase.sha256:
                return False
            compiled_for(candidate)
            self._rulebase = candidate
            return True

    def advise(self, scenario, engine: str = "durable") -> Advice:
        return advise(self._rulebase, scenario, engine)
