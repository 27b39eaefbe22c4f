"""A rule's condition checked against one scenario: which parts held, failed or are unknown.

Negations are pushed onto the atoms first (conditions.nnf), so every atom states what the
rule *requires* (`host_consent is false` rather than `not (host_consent is true)`), and a
failed atom reads directly as "required X, the scenario has Y".
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from ..conditions import LEAF_SEP, All, Any_, Concl, Test, evaluate, leaf_name, nnf
from ..evaluation import Evaluation, MatchKind
from ..ruleset import RuleBase
from .jsonish import plain


class CheckStatus(StrEnum):
    """The truth of a checked condition or atom for one scenario."""

    HELD = "held"
    FAILED = "failed"
    UNKNOWN = "unknown"


HELD, FAILED, UNKNOWN = CheckStatus.HELD, CheckStatus.FAILED, CheckStatus.UNKNOWN
_STATUS = {True: HELD, False: FAILED, None: UNKNOWN}


@dataclass(frozen=True)
class AtomCheck:
    """One test of a rule with what it requires and what the scenario (or the run) has."""

    kind: MatchKind  # a fact, a conclusion that must be present, or one that must be absent
    name: str  # fact path, or conclusion key 'slot:value'
    text: str  # the test as written
    required: tuple  # allowed values of the leaf (list members: (True,) or (False,))
    member: str | None  # the list member a list test looks at
    actual: Any  # the scenario's value at the path (None: unknown); present? for conclusions
    status: CheckStatus

    def to_json(self) -> dict:
        return {
            "kind": self.kind,
            "name": self.name,
            "text": self.text,
            "required": plain(self.required),
            "member": self.member,
            "actual": plain(self.actual),
            "status": self.status,
        }


@dataclass(frozen=True)
class CheckNode:
    """A node of the checked condition: `all`/`any` with children, or one atom."""

    op: str
    status: CheckStatus
    children: tuple[CheckNode, ...] = ()
    atom: AtomCheck | None = None

    def atoms(self) -> tuple[AtomCheck, ...]:
        if self.atom is not None:
            return (self.atom,)
        return tuple(a for c in self.children for a in c.atoms())

    def blocking(self) -> tuple[AtomCheck, ...]:
        """The atoms that stop this node from holding (none when it holds)."""
        if self.status == HELD:
            return ()
        if self.atom is not None:
            return (self.atom,)
        if self.op == "all":
            return tuple(a for c in self.children if c.status == self.status for a in c.blocking())
        return tuple(a for c in self.children for a in c.blocking())

    def to_json(self) -> dict:
        if self.atom is not None:
            return {"op": "atom", **self.atom.to_json()}
        return {"op": self.op, "status": self.status, "children": [c.to_json() for c in self.children]}


@dataclass(frozen=True)
class RuleCheck:
    """A rule checked against a scenario: its condition tree and whether it fired."""

    rule_id: str
    title: str
    priority: int
    sections: tuple[str, ...]
    status: CheckStatus  # truth of the whole condition
    fired: bool
    tree: CheckNode
    section_labels: tuple[str, ...] = ()  # the sections as the knowledge labels them (§6.2)

    @property
    def failed(self) -> tuple[AtomCheck, ...]:
        return tuple(a for a in self.tree.blocking() if a.status == FAILED)

    @property
    def unknown(self) -> tuple[AtomCheck, ...]:
        """Unknown facts that decide this rule: only when nothing else already failed it."""
        if self.status != UNKNOWN:
            return ()
        return tuple(a for a in self.tree.blocking() if a.status == UNKNOWN)

    def to_json(self) -> dict:
        return {
            "rule": self.rule_id,
            "title": self.title,
            "priority": self.priority,
            "sections": list(self.sections),
            "status": self.status,
            "fired": self.fired,
            "failed": [a.to_json() for a in self.failed],
            "unknown": [a.to_json() for a in self.unknown],
            "condition": self.tree.to_json(),
        }


def _member(test: Test) -> str | None:
    base = leaf_name(test.path) + LEAF_SEP
    return test.leaf[len(base) :] if test.leaf.startswith(base) else None


def _check(node, scenario, facts, concluded) -> CheckNode:
    status = _STATUS[evaluate(node, facts, concluded)]
    if isinstance(node, Test):
        ordered = tuple(sorted(node.allowed, key=node.domain.index))
        atom = AtomCheck(MatchKind.FACT, node.path, node.text, ordered, _member(node), scenario.get(node.path), status)
        return CheckNode("atom", status, atom=atom)
    if isinstance(node, Concl):
        kind = MatchKind.CONCLUDED if node.positive else MatchKind.ABSENT
        atom = AtomCheck(kind, node.key, node.text, (node.positive,), None, node.key in concluded, status)
        return CheckNode("atom", status, atom=atom)
    op = "all" if isinstance(node, All) else "any"
    assert isinstance(node, (All, Any_))
    return CheckNode(op, status, tuple(_check(c, scenario, facts, concluded) for c in node.items))


def check_rule(rulebase: RuleBase, rule_id: str, scenario, facts: dict, evaluation: Evaluation) -> RuleCheck:
    """Check one rule's condition against a scenario's facts and the run's conclusions."""
    rule = rulebase.rule(rule_id)
    tree = _check(nnf(rule.condition), scenario, facts, evaluation.concluded)
    return RuleCheck(
        rule.id,
        rule.title,
        rule.priority,
        rule.sections,
        tree.status,
        rule.id in evaluation.fired_ids(),
        tree,
        rulebase.knowledge.section_labels(rule.sections),
    )
