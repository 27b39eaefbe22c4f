"""Plain text for every explanation: what a briefer reads aloud, rule ids in brackets."""

from __future__ import annotations

from ..advice import Status
from ..slots import Conclusion
from .checks import FAILED, HELD, UNKNOWN, AtomCheck, CheckNode, RuleCheck
from .diff import Comparison
from .missing import MissingReport
from .sentences import why_not_sentences
from .whatif import FlipReport, TargetSearch
from .why import WhyNode, WhyReport
from .whynot import WhyNot
from .words import conclusion_title, condition_sentence, fact_label, word

SLOT_LABEL = {
    "mandate": "Mandate",
    "structure": "Structure",
    "hq": "HQ location",
    "partner": "Partner",
    "partners": "Partner set",
}


def _label(target, title: str = "") -> str:
    if target.slot == "derived":
        return "Derived: " + conclusion_title(target.key)
    label = SLOT_LABEL.get(target.slot, target.slot.replace("_", " ").capitalize())
    return f"{label}: {word(target.value)}" + (
        f" ({title.split(': ', 1)[-1]})" if title and title.split(": ", 1)[-1] != word(target.value) else ""
    )


def _sections(node) -> str:
    return ", ".join(node.section_labels)


def _node(node: WhyNode, indent: str, out: list[str]) -> None:
    prio = f", priority {node.priority}" if node.priority else ""
    alts = f"; {node.alternatives} alternatives held" if node.alternatives > 1 else ""
    out.append(f"{indent}{node.title} ({_sections(node)}{prio}{alts}) [{node.rule_id}]")
    if node.rationale:
        out.append(f"{indent}    reason: {' '.join(node.rationale.split())}")
    for fact in node.facts:
        out.append(f"{indent}    {fact_label(fact.path)}: {word(fact.value)}")
    for key in node.absent:
        out.append(f"{indent}    {conclusion_title(key)} does not hold")
    for key, nodes in node.supports:
        out.append(f"{indent}    needs {conclusion_title(key)}, which holds because of:")
        for child in nodes:
            _node(child, indent + "      ", out)


def why_text(report: WhyReport) -> str:
    out = [f"Why: {report.scenario}", f"Rule base: {report.ruleset}"]
    for entry in report.entries:
        out += ["", f"{_label(entry.target, entry.title)}  ({entry.status})"]
        for node in entry.because:
            _node(node, "  ", out)
    if not report.entries:
        out += ["", "Nothing concluded to explain."]
    return "\n".join(out) + "\n"


def _atom(atom: AtomCheck) -> str:
    text = "needs " + condition_sentence(atom)
    if atom.status == UNKNOWN:
        text += "  <- unknown: knowing this could change the answer"
    return text


def _tree(node: CheckNode, indent: str, out: list[str]) -> None:
    mark = {HELD: "ok  ", FAILED: "FAIL", UNKNOWN: "?   "}[node.status]
    if node.atom is not None:
        out.append(f"{indent}{mark} {_atom(node.atom)}")
        return
    out.append(f"{indent}{mark} {node.op} of:")
    for child in node.children:
        _tree(child, indent + "    ", out)


def _rule(check: RuleCheck, indent: str, out: list[str]) -> None:
    state = (
        "fired"
        if check.fired
        else {HELD: "holds", FAILED: "did not hold", UNKNOWN: "undecided (unknown facts)"}[check.status]
    )
    cites = ", ".join(check.section_labels)
    out.append(
        f"{indent}{check.title} ({cites + ', ' if cites else ''}priority {check.priority}) [{check.rule_id}]: {state}"
    )
    _tree(check.tree, indent + "    ", out)


def why_not_text(report: WhyNot, indent: str = "") -> str:
    t = report.target
    now = (
        ", ".join(
            conclusion_title(Conclusion(t.slot, c).key) if t.slot == "derived" else word(c) for c in report.current
        )
        or "nothing"
    )
    name = report.title or (conclusion_title(t.key) if t.slot == "derived" else t.name)
    out = [f"{indent}Why not {name}?  (status: {report.status}; {t.slot} now: {now})"]
    if not indent:
        out += [f"  {line}" for line in why_not_sentences(report)]
        if report.rules:
            out.append("  In detail, each rule that concludes it:")
    if report.status == Status.NO_RULE:
        out.append(f"{indent}  No rule in this rule base concludes {t.key}.")
    for b in report.beaten:
        out.append(
            f"{indent}  {b.title or b.rule_id} [{b.rule_id}] concluded it at priority {b.priority} "
            f"but lost to {b.winner_title or b.beaten_by} [{b.beaten_by}] at priority {b.winner_priority}"
        )
    if report.status == Status.CONFLICT:
        out.append(f"{indent}  It ties with another value at the same priority: the slot is left undecided.")
    for check in report.rules:
        _rule(check, indent + "  ", out)
    if report.unknown_that_could_change:
        out.append(
            f"{indent}  Knowing these could change the answer: {', '.join(fact_label(p) for p in report.unknown_that_could_change)}"
        )
    for key, entry in report.holding:
        out.append(f"{indent}  -- and why {conclusion_title(key)} holds:")
        for node in entry.because:
            _node(node, indent + "    ", out)
    for key, deeper in report.deeper:
        out.append(f"{indent}  -- and why {conclusion_title(key)} does not hold:")
        out.append(why_not_text(deeper, indent + "    ").rstrip("\n"))
    return "\n".join(out) + "\n"


def _after(flip) -> str:
    """Partner sets as what they gain and lose; other slots as the new value."""
    if flip.slot != "partners":
        return word(flip.after)
    gained = [f"+{word(p)}" for p in flip.after if p not in flip.before]
    lost = [f"-{word(p)}" for p in flip.before if p not in flip.after]
    return " ".join(gained + lost)


def flips_text(report: FlipReport) -> str:
    out = [
        f"What if: {report.scenario}",
        f"Rule base: {report.ruleset}",
        f"Single changes tried: {report.tried} ({report.evaluations} evaluations)",
    ]
    for slot, now in report.headline:
        found = report.for_slot(slot)
        out += ["", f"{SLOT_LABEL.get(slot, slot)} now: {word(now)}"]
        if not found:
            out.append("  no single change alters it")
        for flip in found:
            out.append(f"  {flip.change.text}  =>  {_after(flip)}")
    return "\n".join(out) + "\n"


def missing_text(report: MissingReport) -> str:
    out = ["", "What is missing (unknown facts, most consequential first):"]
    if not report.facts:
        out.append("  no unknown fact would change the advice")
    for i, fact in enumerate(report.facts, 1):
        heads = ", ".join(fact.headline_slots) or "no headline"
        out.append(
            f"  {i}. {fact_label(fact.path)} ({fact.section}): can change {heads}; up to {fact.max_changes} conclusions"
        )
        for impact in fact.impacts:
            if impact.size or impact.headline:
                parts = [f"{s} {word(a)} -> {word(b)}" for s, a, b in impact.headline]
                parts.append(f"+{len(impact.added)} -{len(impact.removed)}")
                out.append(f"       if {word(impact.change.after)}: {'; '.join(parts)}")
    if report.no_effect:
        out.append(f"  Unknown but without effect on this advice: {', '.join(map(fact_label, report.no_effect))}")
    return "\n".join(out) + "\n"


def target_text(report: TargetSearch) -> str:
    t = report.target
    out = [f"What would make it {conclusion_title(t.key)}? ({report.scenario})", f"Rule base: {report.ruleset}"]
    if report.status == "already":
        out.append(f"It already is: {conclusion_title(t.key)} is in the advice.")
    elif report.status == "found":
        out.append(
            f"Smallest change set: {report.size} change(s); no smaller set reaches it "
            f"(all sets up to size {report.searched_up_to} tried)."
        )
        for n, solution in enumerate(report.solutions, 1):
            out.append(f"  option {n}:")
            out += [f"    {c.text}" for c in solution]
    elif report.status == "budget exhausted":
        out.append(f"Search stopped at its budget after all sets up to size {report.searched_up_to}.")
        for solution in report.solutions:
            out += [f"    {c.text}" for c in solution]
    else:
        out.append(f"No set of up to {report.searched_up_to} changes reaches it.")
    out.append(
        f"Facts considered: {', '.join(map(fact_label, report.facts_considered)) or 'none'} "
        f"({report.evaluations} evaluations)"
    )
    return "\n".join(out) + "\n"


def compare_text(report: Comparison) -> str:
    names = report.scenarios
    out = [f"Compare: {' | '.join(names)}", f"Rule base: {report.ruleset}", "", "Facts that differ:"]
    if not report.facts:
        out.append("  none")
    for f in report.facts:
        out.append(f"  {fact_label(f.path)}: " + " | ".join(word(x) for x in f.values))
    out += ["", "Conclusions that differ:"]
    if not report.conclusions:
        out.append("  none")

    def named(ids) -> str:
        return ", ".join(f"{report.rule_name(r)} [{r}]" for r in ids)

    for c in report.conclusions:
        marks = " | ".join("yes" if s.present else "no" for s in c.sides)
        out.append(f"  {c.title or conclusion_title(Conclusion(c.slot, c.value).key)}: {marks}")
        # The rules behind the difference are those that concluded the value in another
        # scenario: where it is absent, their failed conditions say why. Every other rule
        # that could conclude it failed in all scenarios alike; it is counted, and listed
        # in the JSON (`checks`).
        behind = {r for side in c.sides if side.present for r in side.rules}
        for side in c.sides:
            if side.present:
                text = f"concluded by {named(side.rules)}"
            else:
                # Only rules that fired are said to have proposed; the rest are shown with
                # the conditions that kept them from firing, as the evaluation found them.
                unfired = [ch for ch in side.checks if ch.rule_id not in side.proposed and not ch.fired]
                shown = [ch for ch in unfired if ch.rule_id in behind] or unfired
                failed = [
                    f"{report.rule_name(ch.rule_id)} [{ch.rule_id}] "
                    + "; ".join(_atom(a) for a in ch.failed + ch.unknown)
                    for ch in shown
                ]
                if len(shown) < len(unfired):
                    others = len(unfired) - len(shown)
                    more = f"{others} more rule{'s' if others > 1 else ''} could conclude it"
                    failed[-1] += f" ({more}; none does in any scenario compared)"
                if side.proposed:
                    text = f"proposed by {named(side.proposed)} (fired) but lost on priority to {named(side.beaten_by)}"
                    if failed:
                        text += "; did not fire: " + " / ".join(failed)
                else:
                    text = f"{side.status}; " + (" / ".join(failed) or "no rule")
            decisive = (
                f"  (differing facts: {', '.join(fact_label(p) for p in side.decisive)})" if side.decisive else ""
            )
            out.append(f"      {side.scenario}: {text}{decisive}")
    return "\n".join(out) + "\n"
