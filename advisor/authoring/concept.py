"""The concept coverage map (knowledge/coverage.yaml) checked against sections and rules.

The map is written by hand; what the rules actually cite is the truth. A section is
implemented when at least one existing rule cites it: a map entry alone proves nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import Problem, did_you_mean
from ..ruleset import RuleBase

ENTRY_KEYS = ("section", "rules", "knowledge", "actionable", "reason", "note")


@dataclass(frozen=True)
class SectionStatus:
    section: str
    label: str
    title: str
    actionable: bool
    reason: str
    mapped_rules: tuple[str, ...]  # named in the map
    citing_rules: tuple[str, ...]  # rules whose `sections:` cite it
    knowledge: tuple[str, ...]

    @property
    def status(self) -> str:
        if not self.actionable:
            return "not actionable"
        return "implemented" if self.citing_rules else "MISSING"

    def to_dict(self) -> dict:
        return {
            "section": self.section,
            "label": self.label,
            "title": self.title,
            "actionable": self.actionable,
            "status": self.status,
            "reason": self.reason,
            "rules": list(self.citing_rules),
            "mapped_rules": list(self.mapped_rules),
            "knowledge": list(self.knowledge),
        }


@dataclass(frozen=True)
class ConceptMap:
    sections: tuple[SectionStatus, ...]
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems and all(s.status != "MISSING" for s in self.sections)

    def to_dict(self) -> dict:
        actionable = [s for s in self.sections if s.actionable]
        return {
            "ok": self.ok,
            "actionable": len(actionable),
            "implemented": sum(s.status == "implemented" for s in actionable),
            "sections": [s.to_dict() for s in self.sections],
            "problems": [p.to_dict() | {"text": str(p)} for p in self.problems],
        }


def _names(item: dict, key: str, doc, where, problems: list[Problem]) -> tuple[str, ...]:
    value = item.get(key, [])
    if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
        problems.append(doc.problem(where + (key,), f"'{key}' is a list of ids", field=key))
        return ()
    return tuple(value)


def check_map(rulebase: RuleBase) -> ConceptMap:
    kn = rulebase.knowledge
    problems: list[Problem] = []
    raw = kn.special.get("coverage", ())
    if not raw:
        problems.append(
            Problem("no coverage map: add knowledge/coverage.yaml with 'catalogue: coverage'", rulebase.knowledge_dir)
        )
    section_ids = tuple(e[1:] for e in kn.ids("sections"))
    rule_ids = tuple(c.rule.id for c in rulebase.plan.rules)
    entry_ids = tuple(i for i in kn.entries if not i.startswith("§"))
    mapped: dict[str, tuple] = {}
    for item, doc, where in raw:
        if not isinstance(item, dict) or not isinstance(item.get("section"), (str, int, float)):
            problems.append(doc.problem(where, "each coverage entry is a mapping with 'section'", field="section"))
            continue
        for key in item:
            if key not in ENTRY_KEYS:
                problems.append(
                    doc.problem(
                        where + (key,),
                        f"unknown key '{key}'",
                        key=True,
                        allowed=ENTRY_KEYS,
                        suggestion=did_you_mean(key, ENTRY_KEYS),
                    )
                )
        section = str(item["section"])
        if section not in section_ids:
            problems.append(
                doc.problem(
                    where + ("section",),
                    f"unknown section '{section}'",
                    field="section",
                    value=section,
                    allowed=section_ids,
                    suggestion=did_you_mean(section, section_ids),
                )
            )
            continue
        if section in mapped:
            problems.append(
                doc.problem(
                    where + ("section",), f"section '{section}' is mapped twice", field="section", value=section
                )
            )
            continue
        rules = _names(item, "rules", doc, where, problems)
        for i, rid in enumerate(rules):
            if rid not in rule_ids:
                problems.append(
                    doc.problem(
                        where + ("rules", i),
                        f"§{section}: no rule '{rid}'",
                        field="rules",
                        value=rid,
                        suggestion=did_you_mean(rid, rule_ids),
                    )
                )
        knowledge = _names(item, "knowledge", doc, where, problems)
        for i, kid in enumerate(knowledge):
            if kid not in entry_ids:
                problems.append(
                    doc.problem(
                        where + ("knowledge", i),
                        f"§{section}: no knowledge entry '{kid}'",
                        field="knowledge",
                        value=kid,
                        suggestion=did_you_mean(kid, entry_ids),
                    )
                )
        actionable = item.get("actionable", True)
        if actionable is False and not str(item.get("reason", "")).strip():
            problems.append(
                doc.problem(where, f"§{section} is marked not actionable without a 'reason'", field="reason")
            )
        mapped[section] = (actionable is not False, str(item.get("reason", "") or ""), rules, knowledge, doc, where)
    citing: dict[str, list[str]] = {}
    for c in rulebase.plan.rules:
        for s in c.rule.sections:
            citing.setdefault(s, []).append(c.rule.id)
    out = []
    for section in section_ids:
        entry = kn.entries[f"§{section}"]  # section_ids are the sections catalogue's own ids
        declared = entry.extra.get("actionable", True) is not False
        actionable, reason, rules, knowledge = declared, str(entry.extra.get("reason", "") or ""), (), ()
        if section in mapped:
            actionable, map_reason, rules, knowledge, doc, where = mapped[section]
            reason = map_reason or reason
            if actionable != declared:
                problems.append(
                    doc.problem(
                        where,
                        f"§{section} is {'' if actionable else 'not '}actionable here "
                        f"but {'' if declared else 'not '}actionable in sections.yaml",
                        field="actionable",
                    )
                )
        elif raw:
            problems.append(
                Problem(
                    f"§{section} is missing from the coverage map",
                    entry.file,
                    entry.line,
                    field="section",
                    value=section,
                )
            )
        out.append(
            SectionStatus(
                section,
                entry.extra.get("label", f"§{section}"),
                entry.title,
                actionable,
                reason,
                rules,
                tuple(citing.get(section, ())),
                knowledge,
            )
        )
    return ConceptMap(tuple(out), tuple(problems))


def render(cmap: ConceptMap) -> str:
    lines = []
    width = max((len(s.label) for s in cmap.sections), default=4)
    for s in cmap.sections:
        if s.actionable:
            detail = f"{len(s.citing_rules)} rules, {len(s.knowledge)} knowledge entries"
        else:
            detail = s.reason
        lines.append(f"{s.label:<{width}}  {s.status:<14} {s.title}: {detail}")
    actionable = [s for s in cmap.sections if s.actionable]
    done = sum(s.status == "implemented" for s in actionable)
    for p in cmap.problems:
        lines.append(f"error: {p}")
    for s in actionable:
        if s.status == "MISSING":
            lines.append(f"error: §{s.section} is actionable but no rule cites it")
    lines.append(
        f"{done}/{len(actionable)} actionable sections implemented; "
        f"{len(cmap.sections) - len(actionable)} not actionable"
    )
    return "\n".join(lines) + "\n"
