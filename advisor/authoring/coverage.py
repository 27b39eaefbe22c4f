"""Which rules the rule tests exercised, which never fired, which concept sections were touched."""

from __future__ import annotations

from dataclasses import dataclass

from ..ruleset import RuleBase
from .ruletests import Outcome


@dataclass(frozen=True)
class Coverage:
    rules: tuple[str, ...]  # every rule id, in rule-base order
    fired: frozenset
    sections: tuple[str, ...]  # actionable sections cited by some rule
    exercised: frozenset  # sections cited by a rule that fired

    @property
    def never_fired(self) -> tuple[str, ...]:
        return tuple(r for r in self.rules if r not in self.fired)

    @property
    def percent(self) -> float:
        return 100.0 * len(self.fired & set(self.rules)) / len(self.rules) if self.rules else 100.0

    @property
    def unexercised(self) -> tuple[str, ...]:
        return tuple(s for s in self.sections if s not in self.exercised)

    def to_dict(self) -> dict:
        return {
            "rules": len(self.rules),
            "fired": len(self.fired & set(self.rules)),
            "percent": round(self.percent, 1),
            "never_fired": list(self.never_fired),
            "sections": len(self.sections),
            "sections_exercised": len(self.exercised & set(self.sections)),
            "sections_not_exercised": list(self.unexercised),
        }


def coverage(rulebase: RuleBase, outcomes: list[Outcome]) -> Coverage:
    fired = frozenset(r for o in outcomes for r in o.fired)
    ids = tuple(c.rule.id for c in rulebase.plan.rules)
    cited: list[str] = []
    for c in rulebase.plan.rules:
        for s in c.rule.sections:
            if s not in cited:
                cited.append(s)
    exercised = frozenset(s for r in fired if r in rulebase.plan.by_id for s in rulebase.rule(r).sections)
    return Coverage(ids, fired, tuple(cited), exercised)


def render(cov: Coverage, rulebase: RuleBase) -> str:
    lines = [f"rule coverage: {len(cov.fired & set(cov.rules))}/{len(cov.rules)} rules fired ({cov.percent:.1f}%)"]
    for rule_id in cov.never_fired:
        lines.append(f"  never fired: {rule_id} ({rulebase.rule(rule_id).location})")
    done = len(cov.exercised & set(cov.sections))
    lines.append(f"concept sections exercised: {done}/{len(cov.sections)} of the sections rules cite")
    if cov.unexercised:
        lines.append(f"  not exercised: {', '.join('§' + s for s in cov.unexercised)}")
    return "\n".join(lines) + "\n"
