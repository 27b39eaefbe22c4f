"""The durable-rules JSON protocol: the facts we assert and the patterns that match them.

Both halves live here so they cannot drift: a scenario is one fact of kind "s" (its leaves
as fields), a concluded key one fact of kind "c", and each stratum that tests an absence
opens with a fact of kind "phase". The plan (compile.py) knows nothing of this format.
"""

from __future__ import annotations

import json
from typing import Any

from .compile import CompiledRule, Plan

SCENARIO, CONCLUDED, PHASE = "s", "c", "phase"
SENTINEL = "__every_scenario__"  # an engine rule name that is not a valid rule id, so it cannot clash
# A rule that fires once on every scenario fact (see engine.CompiledRuleBase: every session
# must have run an action before it is deleted).
SENTINEL_RULE = {"all": [{"s": {"kind": SCENARIO}}]}


def scenario_fact(sid: str, facts: dict[str, Any]) -> str:
    return json.dumps({"sid": sid, "kind": SCENARIO, **facts}, ensure_ascii=False)


def phase_fact(sid: str, stratum: int) -> str:
    return json.dumps({"sid": sid, "kind": PHASE, "n": stratum})


def concluded_fact(sid: str, key: str) -> str:
    return json.dumps({"sid": sid, "kind": CONCLUDED, "key": key})


def ruleset_text(definition: dict[str, dict]) -> str:
    return json.dumps(definition, ensure_ascii=False)


def engine_rule_name(rule_id: str, alternative: int) -> str:
    return f"{rule_id}#{alternative}"


def fired_rule_name(message: str) -> str:
    """The engine rule an action message is for: messages start with {"<rule name>":."""
    return message[2 : message.index('"', 2)]  # our rule names hold no quotes


def _test_pattern(test) -> dict:
    values = sorted(test.allowed, key=test.domain.index)
    if len(values) == 1:
        return {test.leaf: values[0]}
    return {"$or": [{test.leaf: value} for value in values]}


def durable_rules(plan: Plan) -> dict[str, tuple[CompiledRule, int, dict]]:
    """The durable-rules rules: one engine rule per (rule, alternative), by engine rule name."""
    out = {}
    for compiled in plan.rules:
        for index, conj in enumerate(compiled.conjuncts):
            patterns: list[dict] = []
            if conj.tests:
                patterns.append({"s": {"$and": [{"kind": SCENARIO}] + [_test_pattern(t) for t in conj.tests]}})
            for i, key in enumerate(conj.positive):
                patterns.append({f"d{i}": {"$and": [{"kind": CONCLUDED}, {"key": key}]}})
            if conj.negative:
                patterns.append({"p": {"$and": [{"kind": PHASE}, {"n": compiled.stratum}]}})
                for i, key in enumerate(conj.negative):
                    patterns.append({f"n{i}$not": {"$and": [{"kind": CONCLUDED}, {"key": key}]}})
            out[engine_rule_name(compiled.rule.id, index)] = (compiled, index, {"all": patterns})
    return out
