"""The rule base in service: one compiled engine per version, shared, freed when unused.

Every shell (CLI, app pages, Rule lab drafts, sweeps) gets its engine here. An engine is
kept while a RuleBase object of its version is alive, or while it is among the last few
versions used (advisor.lifetimes), and freed only when nothing holds it any more: a sweep
`Evaluator` that holds an engine keeps it working however many drafts were compiled since.
Reloading when files change is the app's `ui.live.LiveRuleBase`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .advice import Advice, build_advice
from .errors import EngineError
from .lifetimes import PerVersion
from .oracle import evaluate_reference
from .ruleset import RuleBase

if TYPE_CHECKING:  # the engine (a C extension) is imported only to evaluate
    from .engine import CompiledRuleBase

ENGINE_MISSING = (
    "the durable-rules engine (durable_rules_engine) cannot be imported: install it with "
    "`bash scripts/setup.sh` (or `pip install durable-rules==2.0.28`), or use --engine reference"
)


def _compile(rulebase: RuleBase) -> CompiledRuleBase:
    try:
        from .engine import CompiledRuleBase
    except ImportError as err:
        raise EngineError(f"{ENGINE_MISSING} ({err})") from err
    return CompiledRuleBase(rulebase)


_engines: PerVersion[CompiledRuleBase] = PerVersion(_compile)


def compiled_for(rulebase: RuleBase) -> CompiledRuleBase:
    """The engine for a rule-base version, compiling it on first use only.

    Hold the returned engine as long as you evaluate with it; it is never closed under you.
    """
    return _engines(rulebase)


def advise(rulebase: RuleBase, scenario, engine: str = "durable") -> Advice:
    """Advice for one scenario, through durable-rules or the reference evaluator."""
    if engine == "reference":
        evaluation = evaluate_reference(rulebase, scenario)
    else:
        evaluation = compiled_for(rulebase).evaluate(scenario)
    return build_advice(rulebase, scenario, evaluation)
