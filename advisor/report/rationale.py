"""Why-trees built from an evaluation's firings: which rule, which facts, which sections.

The explanation layer (advisor.explain) will give richer trees; until the pages switch to
it, this is the rationale shown and exported. It reads only `Advice` data.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..advice import Advice


@dataclass(frozen=True)
class FactUse:
    path: str
    value: object
    test: str


@dataclass(frozen=True)
class Reason:
    """One firing in a why-tree, with the firings that produced the conclusions it read."""

    rule_id: str
    title: str
    rationale: str
    sections: tuple[str, ...]           # section labels, e.g. "§6.2"
    facts: tuple[FactUse, ...]
    needs_absent: tuple[str, ...]       # conclusions that had to be absent
    because: tuple["Reason", ...]       # reasons for the conclusions it read
    location: str


def _label(advice: Advice, sections) -> tuple[str, ...]:
    return tuple(advice.rulebase.knowledge.section_label(s) for s in sections)


def _reason(advice: Advice, rule_id: str, seen: frozenset) -> Reason | None:
    firing = next((f for f in advice.evaluation.firings if f.rule_id == rule_id), None)
    rule = advice.rulebase.rule(rule_id)
    if firing is None or rule is None:
        return None
    seen = seen | {rule_id}
    facts, absent, children = [], [], []
    for m in firing.matched:
        if m.kind == "fact":
            facts.append(FactUse(m.name, m.value, m.test))
        elif m.kind == "absent":
            absent.append(m.name)
        else:
            for producer in advice.evaluation.firings:
                if m.name in producer.concluded and producer.rule_id not in seen:
                    child = _reason(advice, producer.rule_id, seen)
                    if child and child.rule_id not in {c.rule_id for c in children}:
                        children.append(child)
    return Reason(rule_id, rule.title, rule.rationale, _label(advice, rule.sections), tuple(facts),
                  tuple(absent), tuple(children), rule.location)


def why(advice: Advice, slot: str, value: str) -> tuple[Reason, ...]:
    """The reasons for one concluded value (empty when it was not concluded)."""
    item = advice.item(slot, value)
    if item is None:
        return ()
    out = (_reason(advice, r, frozenset()) for r in item.because)
    return tuple(r for r in out if r is not None)


def walk(reasons, depth: int = 0):
    """(depth, reason) pairs, depth first: a flat view for text renderers."""
    for r in reasons:
        yield depth, r
        yield from walk(r.because, depth + 1)


def _q(text: object) -> str:
    return str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")


def chain_dot(advice: Advice, slot: str, value: str) -> str:
    """A rule-chain graph (DOT): facts -> rules -> conclusions, for st.graphviz_chart."""
    lines = ["digraph why {", "  rankdir=LR;", '  node [fontname="Helvetica", fontsize=10];']
    goal = f"{slot}:{value}"
    lines.append(f'  "{_q(goal)}" [shape=doubleoctagon, style=filled, fillcolor="#d4e8d4", '
                 f'label="{_q(slot)}: {_q(value)}"];')
    done: set[str] = set()

    def add(reason: Reason, target: str) -> None:
        rule_node = f"rule:{reason.rule_id}"
        lines.append(f'  "{_q(rule_node)}" -> "{_q(target)}";')
        if reason.rule_id in done:
            return
        done.add(reason.rule_id)
        lines.append(f'  "{_q(rule_node)}" [shape=box, style=rounded, label="{_q(reason.rule_id)}\\n'
                     f'{_q(", ".join(reason.sections))}"];')
        for fact in reason.facts:
            node = f"fact:{fact.path}"
            lines.append(f'  "{_q(node)}" [shape=note, label="{_q(fact.path)} = {_q(fact.value)}"];')
            lines.append(f'  "{_q(node)}" -> "{_q(rule_node)}";')
        for name in reason.needs_absent:
            node = f"absent:{name}"
            lines.append(f'  "{_q(node)}" [shape=plaintext, label="no {_q(name)}"];')
            lines.append(f'  "{_q(node)}" -> "{_q(rule_node)}" [style=dashed];')
        for child in reason.because:
            add(child, rule_node)

    for reason in why(advice, slot, value):
        add(reason, goal)
    lines.append("}")
    return "\n".join(dict.fromkeys(lines))  # drop repeated node lines, keep order
