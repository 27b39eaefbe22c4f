"""The rule base in service: compiled once per version, shared, reloaded safely."""
from __future__ import annotations

import threading
from collections import OrderedDict
from pathlib import Path
from typing import TYPE_CHECKING

from .advice import Advice, build_advice
from .errors import EngineError
from .oracle import evaluate_reference
from .ruleset import DEFAULT_KNOWLEDGE, DEFAULT_RULES, RuleBase, load_rulebase

if TYPE_CHECKING:  # the engine (a C extension) is imported only to evaluate
    from .engine import CompiledRuleBase

ENGINE_MISSING = ("the durable-rules engine (durable_rules_engine) cannot be imported: install it with "
                  "`bash scripts/setup.sh` (or `pip install durable-rules==2.0.28`), or use --engine reference")

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
        try:
            from .engine import CompiledRuleBase
        except ImportError as err:
            raise EngineError(f"{ENGINE_MISSING} ({err})") from err
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
