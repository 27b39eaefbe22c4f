"""Graphviz DOT for derivation trees and why-not checks, in the planner's words.

Rules are named by title and concept section, facts by label with the scenario's value,
derived facts by title (advisor/explain/words.py); ids stay in JSON. The graph reads left
to right, from the facts to the conclusion, and labels are wrapped so that a tree as large
as an archetype's stays legible at full page width. Labels are escaped, never HTML.
"""

from __future__ import annotations

from ..advice import Status
from .checks import FAILED, HELD, UNKNOWN, AtomCheck
from .why import WhyNode, WhyReport
from .whynot import WhyNot
from .words import conclusion_title, condition_sentence, fact_label, word, wrap

COLOURS = {HELD: "darkgreen", FAILED: "red", UNKNOWN: "orange"}
STATUS_WORDS = {HELD: "holds", FAILED: "fails", UNKNOWN: "unknown"}
STYLE = {
    "goal": {"shape": "box", "style": "rounded,filled,bold", "fillcolor": "#dbe9f7", "fontsize": "13"},
    "rule": {"shape": "box", "style": "rounded,filled", "fillcolor": "#ffffff"},
    "fact": {"shape": "box", "style": "filled", "fillcolor": "#fff3cd"},
    "derived": {"shape": "box", "style": "filled,dashed", "fillcolor": "#eef6ea"},
    "absent": {"shape": "box", "style": "dashed"},
}


def _q(text: str) -> str:
    """A DOT double-quoted string: backslashes and quotes escaped, newlines as \\n."""
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


class _Graph:
    def __init__(self, name: str):
        self.lines = [
            f"digraph {_q(name)} {{",
            "  rankdir=LR; nodesep=0.12; ranksep=0.3;",
            ('  node [fontname="Helvetica", fontsize=12, margin="0.12,0.06"]; edge [color="#6b6b6b", arrowsize=0.7];'),
        ]
        self.ids: dict[object, str] = {}

    def node(self, key, label: str, kind: str, name: str = "", **attrs) -> str:
        """A node once per key. A rule's node is named by its id: graph viewers show the
        name as the hover tooltip, so rule authors find the rule while the label stays words."""
        if key not in self.ids:
            self.ids[key] = _q(name) if name and _q(name) not in self.ids.values() else f"n{len(self.ids)}"
            merged = {**STYLE[kind], **attrs}
            extra = "".join(f", {k}={_q(v)}" for k, v in merged.items())
            self.lines.append(f"  {self.ids[key]} [label={_q(label)}{extra}];")
        return self.ids[key]

    def edge(self, a: str, b: str, label: str = "") -> None:
        line = f"  {a} -> {b}" + (f" [label={_q(label)}]" if label else "") + ";"
        if line not in self.lines:
            self.lines.append(line)

    def text(self) -> str:
        return "\n".join(self.lines + ["}"]) + "\n"


def _rule_label(title: str, sections, priority: int = 0, width: int = 30) -> str:
    label = wrap(title, width)
    cites = ", ".join(getattr(s, "label", s) for s in sections)
    tail = " · ".join(x for x in (cites, f"priority {priority}" if priority else "") if x)
    return label + (f"\n{wrap(tail, width)}" if tail else "")


def _why_node(g: _Graph, node: WhyNode) -> str:
    # A derived fact is drawn inside the rule that concluded it ("so: capacity gap"), not as a
    # node of its own: one rank less per level keeps an archetype's whole tree legible.
    derived = [conclusion_title(k) for k in node.concluded if k.startswith("derived:")]
    label = _rule_label(node.title, node.sections, node.priority) + "".join(f"\nso: {wrap(d, 26)}" for d in derived)
    me = g.node(("rule", node.rule_id), label, "rule", name=node.rule_id)
    for fact in node.facts:
        f = g.node(("fact", fact.path), wrap(f"{fact_label(fact.path)}: {word(fact.value)}", 24), "fact")
        g.edge(f, me)
    for key in node.absent:
        a = g.node(("absent", key), wrap(f"{conclusion_title(key)} does not hold", 24), "absent")
        g.edge(a, me)
    for _key, nodes in node.supports:
        for child in nodes:
            g.edge(_why_node(g, child), me)
    return me


def why_dot(report: WhyReport) -> str:
    g = _Graph(f"why {report.scenario}")
    for entry in report.entries:
        title = entry.title or conclusion_title(entry.target.key)
        goal = g.node(
            ("goal", entry.target.key),
            wrap(f"{title[:1].upper()}{title[1:]}", 26)
            + ("" if entry.status == Status.CONCLUDED else f"\n({entry.status})"),
            "goal",
        )
        for node in entry.because:
            g.edge(_why_node(g, node), goal)
    return g.text()


def _atom_label(atom: AtomCheck) -> str:
    return wrap("needs " + condition_sentence(atom), 32)


def why_not_dot(report: WhyNot) -> str:
    g = _Graph(f"why not {report.target.name}")
    title = report.title or conclusion_title(report.target.key)
    goal = g.node("goal", wrap(f"Why not {title}?", 30) + f"\n({report.status})", "goal")
    for check in report.rules:
        state = "fired" if check.fired else STATUS_WORDS[check.status]
        rule = g.node(
            ("rule", check.rule_id),
            _rule_label(check.title, check.section_labels, check.priority) + f"\n({state})",
            "rule",
            name=check.rule_id,
            color=COLOURS[check.status],
        )
        g.edge(rule, goal)
        for i, atom in enumerate(check.tree.atoms()):
            a = g.node(
                ("atom", check.rule_id, i),
                _atom_label(atom),
                "fact",
                color=COLOURS[atom.status],
                fillcolor="#ffffff" if atom.status == HELD else "#fde2e1" if atom.status == FAILED else "#fff3cd",
            )
            g.edge(a, rule, STATUS_WORDS[atom.status])
    return g.text()
