"""Readable text for advice: every conclusion with its rules and sections."""
from __future__ import annotations

from .advice import Advice, Item
from .slots import SLOTS


def _sections(advice: Advice, sections) -> str:
    kn = advice.rulebase.knowledge
    return ", ".join(kn.section_label(s) for s in sections)


def _because(advice: Advice, item: Item, indent: str = "    ") -> list[str]:
    lines = []
    for rule_id in item.because:
        rule = advice.rulebase.rule(rule_id)
        lines.append(f"{indent}because [{rule_id}] {rule.title} ({_sections(advice, rule.sections)})")
    return lines


def render_text(advice: Advice) -> str:
    rb = advice.rulebase
    kn = rb.knowledge
    out = [f"Advice for: {advice.scenario.name}",
           f"Rule base: {rb.name} {rb.version} (sha256 {rb.sha256[:16]})", ""]
    labels = {"mandate": "Mandate", "structure": "Structure", "hq": "HQ location"}
    for slot, label in labels.items():
        item = advice.one(slot)
        conflict = next((c for c in advice.conflicts if c.slot == slot), None)
        if conflict:
            out.append(f"{label}: CONFLICT between {', '.join(conflict.values)} "
                       f"(rules {', '.join(conflict.rules)} at priority {conflict.priority})")
            continue
        if item is None:
            out.append(f"{label}: no conclusion")
            continue
        extra = ""
        if slot == "mandate":
            functions = advice.values("function") if item.value != "none" else ()
            extra = f"  functions: {', '.join(functions) or '-'}"
            if "partial_substitution" in advice.values("mandate_option"):
                extra += "  (partial substitution)"
        out.append(f"{label}: {item.value}{extra}")
        out.extend(_because(advice, item))
    for slot in ("partner", "objective", "task", "structure_element", "expertise", "planning_step", "warning"):
        items = advice.items.get(slot, ())
        if not items:
            continue
        out += ["", f"{SLOTS[slot].label}:"]
        for item in items:
            title = kn.title(item.value)
            name = item.value if title == item.value else f"{item.value}: {title}"
            out.append(f"  - {name}")
            out.extend(_because(advice, item, "      "))
    if advice.overridden:
        out += ["", "Overridden by priority:"]
        out += [f"  - {o.slot} {o.value} [{o.rule_id}, priority {o.priority}] beaten by [{o.beaten_by}]"
                for o in advice.overridden]
    out += ["", "Unknown facts that mattered: " + (", ".join(advice.unknown_that_mattered) or "none")]
    return "\n".join(out) + "\n"
