"""Graphviz DOT for derivation trees and why-not checks. Labels are escaped, never HTML."""
from __future__ import annotations

from .checks import FAILED, HELD
from .jsonish import shown
from .why import WhyNode, WhyReport
from .whynot import WhyNot

COLOURS = {HELD: "darkgreen", FAILED: "red", "unknown": "orange"}


def _q(text: str) -> str:
    """A DOT double-quoted string: backslashes and quotes escaped, newlines as \\n."""
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


class _Graph:
    def __init__(self, name: str):
        self.lines = [f"digraph {_q(name)} {{", "  rankdir=RL;", '  node [fontname="Helvetica", fontsize=10];']
        self.ids: dict[object, str] = {}

    def node(self, key, label: str, **attrs) -> str:
        if key not in self.ids:
            self.ids[key] = f"n{len(self.ids)}"
            extra = "".join(f", {k}={_q(v)}" for k, v in attrs.items())
            self.lines.append(f"  {self.ids[key]} [label={_q(label)}{extra}];")
        return self.ids[key]

    def edge(self, a: str, b: str, label: str = "") -> None:
        line = f"  {a} -> {b}" + (f" [label={_q(label)}]" if label else "") + ";"
        if line not in self.lines:
            self.lines.append(line)

    def text(self) -> str:
        return "\n".join(self.lines + ["}"]) + "\n"


def _why_node(g: _Graph, node: WhyNode) -> str:
    sections = ", ".join(s.label for s in node.sections)
    me = g.node(("rule", node.rule_id), f"{node.rule_id}\n{node.title}\n{sections}", shape="box")
    for fact in node.facts:
        f = g.node(("fact", fact.path), f"{fact.path} = {shown(fact.value)}", shape="ellipse")
        g.edge(f, me)
    for key in node.absent:
        a = g.node(("absent", key), f"no {key}", shape="ellipse", style="dashed")
        g.edge(a, me)
    for key, nodes in node.supports:
        k = g.node(("key", key), key, shape="note")
        g.edge(k, me)
        for child in nodes:
            g.edge(_why_node(g, child), k)
    return me


def why_dot(report: WhyReport) -> str:
    g = _Graph(f"why {report.scenario}")
    for entry in report.entries:
        goal = g.node(("goal", entry.target.key), f"{entry.target.slot}: {entry.target.value}\n({entry.status})",
                      shape="doubleoctagon")
        for node in entry.because:
            g.edge(_why_node(g, node), goal)
    return g.text()


def why_not_dot(report: WhyNot) -> str:
    g = _Graph(f"why not {report.target.name}")
    goal = g.node("goal", f"{report.target.key}\n({report.status})", shape="doubleoctagon")
    for check in report.rules:
        rule = g.node(("rule", check.rule_id), f"{check.rule_id}\n{check.title}", shape="box",
                      color=COLOURS[check.status])
        g.edge(rule, goal)
        for i, atom in enumerate(check.tree.atoms()):
            label = f"{atom.text}\nhas: {shown(atom.actual)}"
            a = g.node(("atom", check.rule_id, i), label, shape="ellipse", color=COLOURS[atom.status])
            g.edge(a, rule, atom.status)
    return g.text()
