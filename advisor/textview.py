"""Readable text for advice: the mission design at a glance first, then the rest folded.

The first screen is what a committee acts on: mandate, lines of effort with their core
tasks and partners, structure and HQ, top risks and the unknowns that mattered. Every
other concluded item follows on one line with its priority and reason; the rule chains
behind each are in `advisor explain`.
"""
from __future__ import annotations

from .advice import Advice, Item
from .slots import LEVELS, SLOTS

SEVERITY = ("high", "medium", "low")


def _sections(advice: Advice, sections) -> str:
    kn = advice.rulebase.knowledge
    return ", ".join(kn.section_label(s) for s in sections)


def _because(advice: Advice, item: Item, indent: str = "    ") -> list[str]:
    lines = []
    for rule_id in item.because:
        rule = advice.rulebase.rule(rule_id)
        lines.append(f"{indent}because [{rule_id}] {rule.title} ({_sections(advice, item.sections or rule.sections)})")
    return lines


def mandate_summary(advice: Advice) -> str:
    """'substitution (functions: strengthening, substitution; partial substitution)': one place for it."""
    item = advice.one("mandate")
    if item is None:
        return "no conclusion"
    if item.value == "none":
        return "none"
    extra = f"functions: {', '.join(advice.values('function')) or '-'}"
    if "partial_substitution" in advice.values("mandate_option"):
        extra += "; partial substitution"
    return f"{item.value} ({extra})"


def _headline(advice: Advice) -> list[str]:
    out = []
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
        out.append(f"{label}: {mandate_summary(advice) if slot == 'mandate' else item.value}")
        out.extend(_because(advice, item))
    return out


def _design(advice: Advice) -> list[str]:
    kn = advice.rulebase.knowledge
    design = advice.design
    out = []
    phase1 = [line for line in design.lines if line.phase == 1]
    phase2 = [line for line in design.lines if line.phase == 2]
    if design.size:
        out.append(f"Size: {kn.title(design.size)}, at most {design.max_core_lines} core lines of effort "
                   f"({'; '.join(design.size_reason)})")
    if not design.lines:
        out.append("Lines of effort: none (no item is core for this scenario)")
    for n, line in enumerate(phase1, 1):
        out.append(f"{n}. {kn.title(line.objective)}")
        for task in line.tasks:
            out.append(f"     - {kn.title(task)}")
        if line.partners:
            out.append(f"     partners: {', '.join(kn.title(p) for p in line.partners)}")
        if line.reason:
            out.append(f"     why: {'; '.join(line.reason)}")
    if phase2:
        out.append(f"Phase 2 (after the first {design.max_core_lines} lines take hold): "
                   + "; ".join(kn.title(line.objective) for line in phase2))
    for slot in ("expertise", "planning_step"):
        core = design.core(slot)
        if core:
            out.append(f"Core {SLOTS[slot].label.lower()}: " + "; ".join(kn.title(x) for x in core))
    return out


def _risks(advice: Advice) -> list[str]:
    kn = advice.rulebase.knowledge
    warnings = sorted(advice.items.get("warning", ()),
                      key=lambda i: SEVERITY.index(kn.get(i.value).extra.get("severity", "low"))
                      if kn.get(i.value) and kn.get(i.value).extra.get("severity") in SEVERITY else len(SEVERITY))
    return [f"  - {kn.title(i.value)}" for i in warnings[:3]]


def render_text(advice: Advice) -> str:
    rb = advice.rulebase
    kn = rb.knowledge
    out = [f"Advice for: {advice.scenario.name}",
           f"Rule base: {rb.name} {rb.version} (sha256 {rb.sha256[:16]})", ""]
    out += _headline(advice)
    out += ["", "MISSION DESIGN"] + _design(advice)
    partners = advice.items.get("partner", ())
    if partners:
        out += ["", "Key partners: " + ", ".join(kn.title(p.value) for p in partners)]
    risks = _risks(advice)
    if risks:
        out += ["", "Top risks:"] + risks
    out += ["", "Unknown facts that mattered: " + (", ".join(advice.unknowns.mattered) or "none")]
    # The rest, folded: one line per item with its priority and reason.
    out += ["", "THE REST OF THE DESIGN (priority: reason)"]
    for slot in ("objective", "task", "expertise", "planning_step"):
        items = [i for i in advice.items.get(slot, ()) if advice.design.level(slot, i.value) != "core"]
        if not items:
            continue
        out.append(f"{SLOTS[slot].label}:")
        for level in LEVELS[1:]:
            for item in items:
                placed = advice.design.placement(slot, item.value)
                if placed.level == level:
                    out.append(f"  - [{level}] {kn.title(item.value)} ({_sections(advice, item.sections)})"
                               + (f": {'; '.join(placed.reason)}" if placed.reason else ""))
    warnings = advice.items.get("warning", ())
    if warnings:
        out.append("Warnings:")
        out += [f"  - {kn.title(i.value)} ({_sections(advice, i.sections)})" for i in warnings]
    for slot in ("partner", "structure_element"):
        items = advice.items.get(slot, ())
        if items:
            out.append(f"{SLOTS[slot].label}:")
            for item in items:
                out.append(f"  - {kn.title(item.value)} [{item.value}]")
                out.extend(_because(advice, item, "      "))
    if advice.overridden:
        out += ["", "Overridden by priority:"]
        out += [f"  - {o.slot} {o.value} [{o.rule_id}, priority {o.priority}] beaten by [{o.beaten_by}]"
                for o in advice.overridden]
    return "\n".join(out) + "\n"
