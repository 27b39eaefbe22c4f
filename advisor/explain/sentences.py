"""Why not, in sentences a briefer can read aloud.

"Mandate: monitoring needs monitoring needed to hold (now: does not hold) and executive
powers needed not to hold (now: holds)." then, for each derived fact in the way, once per
answer: "Monitoring needed needs either disputed or fragile border to be yes (now: no), or
agreements in force to include one of: ceasefire, cessation of hostilities, bcp agreement
(now: status of mission agreement)."

Every sentence is rendered from the why-not data (checked conditions, the deeper answers,
the derivations of what had to be absent), never from rule text; the words come from
words.py. A rule is one alternative of its conclusion, an `any` another level of them.
"""

from __future__ import annotations

from ..advice import Status
from ..evaluation import MatchKind
from .checks import AtomCheck, CheckNode
from .whynot import WhyNot
from .words import conclusion_title, condition_sentence, either, fact_label, word


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _atom(atom: AtomCheck) -> str:
    return condition_sentence(atom)


def _same_list_member_test(children) -> bool:
    atoms = [c.atom for c in children]
    return (
        len(atoms) > 1
        and all(
            a is not None and a.kind == MatchKind.FACT and a.member is not None and a.required == (True,) for a in atoms
        )
        and len({a.name for a in atoms}) == 1
    )


def _same_fact_test(children) -> bool:
    atoms = [c.atom for c in children]
    return (
        len(atoms) > 1
        and all(a is not None and a.kind == MatchKind.FACT and a.member is None for a in atoms)
        and len({a.name for a in atoms}) == 1
    )


def phrase(node: CheckNode, nested: bool = False) -> str:
    """A checked condition as a clause: 'A and B', 'either A, or B', 'X to include one of: ...'."""
    if node.atom is not None:
        return _atom(node.atom)
    atoms = tuple(c.atom for c in node.children if c.atom is not None)  # all, when the tests below hold
    if node.op == "any" and _same_list_member_test(node.children):
        members = ", ".join(word(a.member) for a in atoms)
        return f"{fact_label(atoms[0].name)} to include one of: {members} (now: {word(atoms[0].actual)})"
    if node.op == "any" and _same_fact_test(node.children):
        values = tuple(dict.fromkeys(v for a in atoms for v in a.required))
        return f"{fact_label(atoms[0].name)} to be {either(values)} (now: {word(atoms[0].actual)})"
    parts = [phrase(c, nested=True) for c in node.children]
    if len(parts) == 1:
        return parts[0]
    if node.op == "all":
        text = ", ".join(parts[:-1]) + " and " + parts[-1]
        return f"({text})" if nested else text
    text = "either " + ", or ".join(parts)
    return f"({text})" if nested else text


def requirement(title: str, report: WhyNot) -> str:
    """'<title> needs <alternatives>.': each rule that concludes it is one alternative."""
    trees = [c.tree for c in report.rules]
    if not trees:
        return f"{_cap(title)}: no rule in this rule base concludes it."
    if len(trees) == 1:
        body = phrase(trees[0])
    else:
        body = "either " + ", or ".join(phrase(t, nested=True) for t in trees)
    return f"{_cap(title)} needs {body}."


def _holds_because(key: str, entry) -> str:
    facts = [f"{fact_label(f.path)} is {word(f.value)}" for node in entry.because for f in node.facts]
    derived = [f"{conclusion_title(k)} holds" for node in entry.because for k, _ in node.supports]
    absent = [f"{conclusion_title(k)} does not hold" for node in entry.because for k in node.absent]
    parts = list(dict.fromkeys(facts + derived + absent))
    because = (", ".join(parts[:-1]) + " and " + parts[-1]) if len(parts) > 1 else "".join(parts)
    return f"{_cap(conclusion_title(key))} holds because {because or 'a rule concluded it'}."


def _subject(title: str) -> str:
    """'mandate: Border monitoring mandate' -> 'Border monitoring mandate' (the title says it)."""
    label, sep, rest = title.partition(": ")
    return rest if sep and label.split()[-1].rstrip("s") in rest.lower() else title


def why_not_sentences(report: WhyNot) -> tuple[str, ...]:
    """The answer as sentences: what the alternative needs, then each derived fact in the way
    (once), down to input facts and what the scenario has now."""
    if report.status != Status.NOT_CONCLUDED:
        return ()
    title = _subject(report.title or conclusion_title(report.target.key))
    out = [requirement(title, report)]
    for key, entry in report.holding:
        out.append(_holds_because(key, entry))
    for key, deeper in report.deeper:
        out += why_not_sentences(deeper) or [f"{_cap(conclusion_title(key))}: {deeper.status}."]
    return tuple(out)
