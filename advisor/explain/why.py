"""Why: the derivation tree of a conclusion, from the rules that drew it down to input facts.

A firing can only read conclusions asserted by earlier firings, so the tree follows each
read key to the firings *before* it that produced it: the recursion always ends.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from ..advice import Advice, Status
from ..evaluation import MatchKind
from ..knowledge import cited
from ..slots import HEADLINE
from .jsonish import plain
from .targets import Target
from .words import conclusion_title, test_words


@dataclass(frozen=True)
class Section:
    id: str
    label: str
    title: str

    def to_json(self) -> dict:
        return {"id": self.id, "label": self.label, "title": self.title}


@dataclass(frozen=True)
class FactUse:
    """An input fact a rule matched, with the scenario's value."""

    path: str
    value: Any
    test: str

    @property
    def words(self) -> str:
        """The test in the planner's words ('host border authority is limited or absent')."""
        return test_words(self.test)

    def to_json(self) -> dict:
        return {"path": self.path, "value": plain(self.value), "test": self.test}


@dataclass(frozen=True)
class WhyNode:
    """One rule firing in a derivation, with what it matched and what supports it."""

    rule_id: str
    title: str
    rationale: str
    sections: tuple[Section, ...]
    priority: int
    concluded: tuple[str, ...]
    facts: tuple[FactUse, ...]
    absent: tuple[str, ...]  # conclusions it required to be missing
    supports: tuple[tuple[str, tuple[WhyNode, ...]], ...]  # key read -> firings that produced it
    alternatives: int = 1  # how many alternatives of the rule's condition held (merged here)

    @property
    def section_labels(self) -> tuple[str, ...]:
        """The sections as a citation shows them (the JSON keeps every section cited)."""
        return cited(s.label for s in self.sections)

    def to_json(self) -> dict:
        return {
            "rule": self.rule_id,
            "title": self.title,
            "rationale": self.rationale,
            "sections": [s.to_json() for s in self.sections],
            "priority": self.priority,
            "concluded": list(self.concluded),
            "facts": [f.to_json() for f in self.facts],
            "absent": list(self.absent),
            "alternatives": self.alternatives,
            "supports": [{"key": key, "because": [n.to_json() for n in nodes]} for key, nodes in self.supports],
        }

    def input_facts(self) -> tuple[str, ...]:
        """Every input fact path under this node, each once."""
        seen: dict[str, None] = {f.path: None for f in self.facts}
        for _, nodes in self.supports:
            for node in nodes:
                seen.update(dict.fromkeys(node.input_facts()))
        return tuple(seen)


@dataclass(frozen=True)
class WhyEntry:
    """The explanation of one conclusion: concluded (with its trees) or not."""

    target: Target
    status: Status  # concluded, overridden, conflict or not concluded
    because: tuple[WhyNode, ...]
    title: str = ""  # the conclusion in the planner's words (knowledge title)

    def to_json(self) -> dict:
        return {
            "target": self.target.to_json(),
            "status": self.status,
            "title": self.title,
            "because": [n.to_json() for n in self.because],
        }


@dataclass(frozen=True)
class WhyReport:
    scenario: str
    ruleset: str
    entries: tuple[WhyEntry, ...]

    def to_json(self) -> dict:
        return {
            "kind": "why",
            "scenario": self.scenario,
            "ruleset": self.ruleset,
            "entries": [e.to_json() for e in self.entries],
        }


class _Builder:
    def __init__(self, advice: Advice):
        self.advice = advice
        self.rb = advice.rulebase
        self.firings = advice.evaluation.firings
        self.memo: dict[int, WhyNode] = {}

    def node(self, index: int) -> WhyNode:
        if index in self.memo:
            return self.memo[index]
        f = self.firings[index]
        rule = self.rb.rule(f.rule_id)
        kn = self.rb.knowledge
        matched = f.matched
        facts = tuple(
            FactUse(m.name, self.advice.scenario.get(m.name), m.test) for m in matched if m.kind == MatchKind.FACT
        )
        supports = []
        for m in matched:
            if m.kind == MatchKind.CONCLUDED:
                earlier = [j for j in range(index) if m.name in self.firings[j].concluded]
                supports.append((m.name, self.merged(earlier)))
        node = WhyNode(
            rule.id,
            rule.title,
            rule.rationale.strip(),
            tuple(Section(s, kn.section_label(s), kn.section_title(s)) for s in rule.sections),
            rule.priority,
            f.concluded,
            facts,
            tuple(m.name for m in matched if m.kind == MatchKind.ABSENT),
            tuple(supports),
        )
        self.memo[index] = node
        return node

    def merged(self, indexes) -> tuple[WhyNode, ...]:
        """One node per rule: a rule whose several alternatives held fired once per
        alternative; a briefer wants the rule once with all the facts that held."""
        by_rule: dict[str, list[WhyNode]] = {}
        for i in dict.fromkeys(indexes):
            node = self.node(i)
            by_rule.setdefault(node.rule_id, []).append(node)
        out = []
        for nodes in by_rule.values():
            first = nodes[0]
            if len(nodes) == 1:
                out.append(first)
                continue
            supports: dict[str, tuple] = {}
            for n in nodes:
                for key, children in n.supports:
                    supports[key] = tuple(dict.fromkeys(supports.get(key, ()) + children))
            out.append(
                replace(
                    first,
                    facts=tuple(dict.fromkeys(f for n in nodes for f in n.facts)),
                    absent=tuple(dict.fromkeys(a for n in nodes for a in n.absent)),
                    supports=tuple(supports.items()),
                    alternatives=len(nodes),
                )
            )
        return tuple(out)

    def entry(self, target: Target) -> WhyEntry:
        advice = self.advice
        title = conclusion_title(target.key, self.rb.knowledge)
        status = advice.status_of(target.slot, target.value)
        item = advice.item(target.slot, target.value)
        if item is not None:
            indexes = [
                i
                for rid in item.because
                for i, f in enumerate(self.firings)
                if f.rule_id == rid and target.key in f.concluded
            ]
            return WhyEntry(target, Status.CONCLUDED, self.merged(indexes), title)
        if status not in (Status.CONFLICT, Status.OVERRIDDEN):
            return WhyEntry(target, Status.NOT_CONCLUDED, (), title)
        indexes = [i for i, f in enumerate(self.firings) if target.key in f.concluded]
        return WhyEntry(target, status, self.merged(indexes), title)


def default_targets(advice: Advice) -> tuple[Target, ...]:
    """What `advisor explain` explains by default: the headline (ties too) and partners."""
    out = []
    for slot in HEADLINE:
        out += [Target(slot, item.value) for item in advice.items.get(slot, ())]
        out += [Target(slot, value) for c in advice.conflicts if c.slot == slot for value in c.values]
    out += [Target("partner", item.value) for item in advice.items.get("partner", ())]
    return tuple(out)


def explain_why(advice: Advice, targets: tuple[Target, ...] | None = None) -> WhyReport:
    """Derivation trees for the given conclusions (default: mandate, structure, HQ, partners)."""
    builder = _Builder(advice)
    chosen = default_targets(advice) if targets is None else targets
    return WhyReport(advice.scenario.name, advice.rulebase.label, tuple(builder.entry(t) for t in chosen))
