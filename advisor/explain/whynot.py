"""Why not: for an alternative, every rule that could have concluded it, checked.

For each producer rule: which conditions held and which failed (actual vs required
values), and which unknown facts decide it ("knowing this could change the answer").
When the alternative was concluded but lost on priority or tied, that is said instead.
A failed `derived` condition is explained in turn, a few levels deep, down to input
facts; one that holds but had to be absent is shown with the rules and input facts that
made it hold. Each derived fact is unfolded once per answer, so the answer stays readable.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..advice import Advice, Status
from ..conditions import facts_of
from ..evaluation import MatchKind
from ..slots import SLOTS, Conclusion
from .checks import RuleCheck, check_rule
from .targets import Target
from .why import WhyEntry, explain_why
from .words import conclusion_title

MAX_DEPTH = 3


@dataclass(frozen=True)
class Beaten:
    """A proposal of the alternative that lost on priority."""

    rule_id: str
    priority: int
    beaten_by: str
    winner_priority: int
    title: str = ""  # the two rules as a planner names them
    winner_title: str = ""

    def to_json(self) -> dict:
        return {
            "rule": self.rule_id,
            "priority": self.priority,
            "beaten_by": self.beaten_by,
            "winner_priority": self.winner_priority,
        }


@dataclass(frozen=True)
class WhyNot:
    target: Target
    status: Status
    current: tuple[str, ...]  # what the slot holds now (one-value slots: the winner)
    rules: tuple[RuleCheck, ...]  # every rule that concludes the alternative
    beaten: tuple[Beaten, ...]
    unknown_that_could_change: tuple[str, ...]
    deeper: tuple[tuple[str, WhyNot], ...]  # failed conclusion conditions, explained
    why: WhyEntry | None  # the derivation when it *was* concluded
    holding: tuple[tuple[str, WhyEntry], ...] = ()  # conclusions that had to be absent, and why they hold
    title: str = ""  # the alternative in the planner's words (knowledge title)

    def to_json(self) -> dict:
        return {
            "kind": "why_not",
            "target": self.target.to_json(),
            "status": self.status,
            "title": self.title,
            "current": list(self.current),
            "rules": [r.to_json() for r in self.rules],
            "beaten": [b.to_json() for b in self.beaten],
            "unknown_that_could_change": list(self.unknown_that_could_change),
            "deeper": [{"key": k, "why_not": w.to_json()} for k, w in self.deeper],
            "why": self.why.to_json() if self.why else None,
            "holding": [{"key": k, "why": w.to_json()} for k, w in self.holding],
        }


def why_not(advice: Advice, target: Target, _depth: int = 0, _seen: set | None = None) -> WhyNot:
    """Explain why `target` is not (or not alone) the advice for this scenario."""
    rb = advice.rulebase
    facts = facts_of(advice.scenario)
    status = advice.status_of(target.slot, target.value)
    checks = tuple(
        check_rule(rb, rid, advice.scenario, facts, advice.evaluation) for rid in rb.plan.producers.get(target.key, ())
    )
    beaten = tuple(
        Beaten(
            o.rule_id,
            o.priority,
            o.beaten_by,
            rb.rule(o.beaten_by).priority,
            rb.rule(o.rule_id).title,
            rb.rule(o.beaten_by).title,
        )
        for o in advice.overridden
        if o.slot == target.slot and o.value == target.value
    )
    unknown = tuple(dict.fromkeys(a.name for c in checks for a in c.unknown))
    # one set for the whole answer: a derived fact unfolded once is not unfolded again
    seen = _seen if _seen is not None else set()
    seen.add(target.key)
    deeper, holding = [], []
    if status == Status.NOT_CONCLUDED and _depth < MAX_DEPTH:
        for check in checks:
            for atom in check.failed:
                if atom.name in seen or atom.kind == MatchKind.FACT:
                    continue
                slot, value = Conclusion.of_key(atom.name).pair
                if slot not in SLOTS:
                    continue
                seen.add(atom.name)
                if atom.kind == MatchKind.CONCLUDED:
                    deeper.append((atom.name, why_not(advice, Target(slot, value), _depth + 1, seen)))
                else:
                    holding.append((atom.name, explain_why(advice, (Target(slot, value),)).entries[0]))
    why = explain_why(advice, (target,)).entries[0] if status not in (Status.NOT_CONCLUDED, Status.NO_RULE) else None
    return WhyNot(
        target,
        status,
        advice.values(target.slot),
        checks,
        beaten,
        unknown,
        tuple(deeper),
        why,
        tuple(holding),
        conclusion_title(target.key, rb.knowledge),
    )
