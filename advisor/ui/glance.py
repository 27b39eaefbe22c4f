"""What the Workspace shows on every fact change, as data: the headline and the mission design.

Pages draw these with one element each (advisor/ui/viewer.py), the Workspace both within its
board (advisor/ui/board.py), instead of a dozen Streamlit elements: every element drawn costs
the browser a render on each change, and this part of the page changes every time
(benchmarks/bench_app.py, docs/app.md). The text here is plain text, never Markdown or HTML:
the viewer sets it as text, so a rule or catalogue title is shown literally whatever characters
it holds.

Nothing here imports Streamlit, so the words can be checked without running a page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ..advice import Advice, Item
from ..alterations import alterations
from ..design import consent_note
from ..report.briefing import show
from ..rulefile import Rule
from ..slots import SLOTS

HEADLINE_SLOTS = ("mandate", "structure", "hq")


@dataclass(frozen=True)
class Figure:
    """One headline decision: its label, the value concluded and the reason under it."""

    slot: str
    label: str
    value: str
    note: str
    conflict: bool = False


BlockKind = Literal["heading", "text", "small", "warning", "line", "list"]


@dataclass(frozen=True)
class Block:
    """One piece of the design, in reading order. `line` is a numbered line of effort (its tasks
    in `items`, partners and reasons in `note`); `list` is a titled bullet list."""

    kind: BlockKind
    text: str
    items: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class View:
    """What one viewer element shows: headline figures, then blocks."""

    figures: tuple[Figure, ...] = ()
    blocks: tuple[Block, ...] = ()

    def data(self) -> dict:
        """The JSON the browser receives (advisor/ui/viewer.py reads exactly these keys)."""
        return {
            "figures": [[f.slot, f.label, f.value, f.note, f.conflict] for f in self.figures],
            "blocks": [[b.kind, b.text, list(b.items), b.note] for b in self.blocks],
        }

    @classmethod
    def from_data(cls, data: dict) -> View:
        """The inverse of data(): tests read what a page sent to the browser with it."""
        return cls(
            tuple(Figure(s, label, value, note, bool(c)) for s, label, value, note, c in data.get("figures", ())),
            tuple(Block(k, text, tuple(items), note) for k, text, items, note in data.get("blocks", ())),
        )

    def text(self) -> str:
        """Everything shown, one piece a line, in reading order."""
        lines = [f"{f.label} {f.value}\n{f.note}" for f in self.figures]
        for b in self.blocks:
            lines += [b.text, *b.items] + ([b.note] if b.note else [])
        return "\n".join(line for line in lines if line)


def rule_of(advice: Advice, rule_id: str) -> Rule:
    """The rule an item names; its ids come from this same rule base, so a miss is a bug."""
    rule = advice.rulebase.rule(rule_id)
    if rule is None:
        raise LookupError(f"advice names rule {rule_id!r}, which its rule base does not have")
    return rule


def reason_line(advice: Advice, item: Item | None) -> str:
    """The main rule behind a conclusion: its title and the concept sections it cites."""
    if item is None:
        return "no rule concluded this"
    rule = max((rule_of(advice, r) for r in item.because), key=lambda r: r.priority)
    return f"{rule.title} ({', '.join(advice.rulebase.knowledge.section_labels(rule.sections))})"


def headline_view(advice: Advice) -> View:
    figures = []
    for slot in HEADLINE_SLOTS:
        label = SLOTS[slot].label
        conflict = next((c for c in advice.conflicts if c.slot == slot), None)
        if conflict:
            note = f"Undecided: {' vs '.join(conflict.values)} at equal priority ({', '.join(conflict.rules)})"
            figures.append(Figure(slot, label, "conflict", note, conflict=True))
            continue
        item = advice.one(slot)
        note = reason_line(advice, item)
        if slot == "mandate" and item and item.value != "none":
            functions = "Functions: " + (show(advice.values("function")) or "none")
            if "partial_substitution" in advice.values("mandate_option"):
                functions += "; partial substitution"
            note = f"{functions}. {note}"
        figures.append(Figure(slot, label, show(item.value) if item else "no conclusion", note))
    return View(figures=tuple(figures))


def design_view(advice: Advice) -> View:
    """The mission design at a glance: how settled the headline is, the lines of effort, what
    would change it."""
    kn = advice.rulebase.knowledge
    design = advice.design
    blocks: list[Block] = []
    note = consent_note(advice)
    if note is not None:
        blocks.append(Block("warning", note.words()))
    notes = [
        f"{SLOTS[slot].label}: {verdict.words()}"
        for slot in HEADLINE_SLOTS
        if (verdict := advice.unknowns.of(slot)) is not None
    ]
    mandate = advice.unknowns.of("mandate")
    # Only an exhaustively checked mandate may look settled; a sampled one is not proven.
    shaky = mandate is not None and (mandate.verdict != "settled" or not mandate.exhaustive)
    if notes:
        blocks.append(Block("warning" if shaky else "small", " · ".join(notes)))
    blocks.append(Block("heading", "Mission design"))
    if design.size:
        blocks.append(
            Block(
                "small",
                f"{kn.title(design.size)}: at most {design.max_core_lines} core lines of effort "
                f"({'; '.join(design.size_reason)})",
            )
        )
    phase1 = [line for line in design.lines if line.phase == 1]
    if not phase1:
        blocks.append(Block("text", "No line of effort: nothing is core for this scenario."))
    for n, line in enumerate(phase1, 1):
        extra = []
        if line.partners:
            extra.append("partners: " + ", ".join(kn.title(p) for p in line.partners))
        if line.reason:
            extra.append("why: " + "; ".join(line.reason))
        tasks = tuple(kn.title(t) for t in line.tasks) or ("(objective only)",)
        blocks.append(Block("line", f"{n}. {kn.title(line.objective)}", tasks, " · ".join(extra)))
    phase2 = [line for line in design.lines if line.phase == 2]
    if phase2:
        blocks.append(Block("small", "Phase 2: " + "; ".join(kn.title(line.objective) for line in phase2)))
    changes = alterations(advice)
    if changes:
        blocks.append(
            Block(
                "list",
                "What would change the design",
                tuple(f"{a.change_words()}: {a.effect_words(kn)}" for a in changes),
            )
        )
    elif advice.mandate not in (None, "none") or advice.scenario.values:
        blocks.append(
            Block("small", "No single change of a known fact alters the mandate, structure, HQ or lines of effort.")
        )
    return View(blocks=tuple(blocks))
