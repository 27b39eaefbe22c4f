"""Parse one rule file into immutable Rule objects, every problem located."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .conditions import Node, parse_condition
from .errors import Problem, did_you_mean
from .slots import SLOTS, Conclusion
from .yamlsrc import Document

RULE_KEYS = ("id", "title", "when", "then", "rationale", "sections", "priority")
REQUIRED = ("id", "title", "when", "then", "rationale", "sections")
# A row of a decision table (advisor/decisiontable.py): the decided slot's value under the
# slot's own name, further conclusions in an optional `then`, its priority from its place.
ROW_KEYS = ("id", "title", "when", "then", "rationale", "sections")
FILE_KEYS = ("topic", "description", "rules", "decide", "rows")
# Named priority tiers: the one place that says what each name means. Numbers are still
# accepted (older rule files); a tier only orders rules that conclude the same one-value slot.
TIERS = {"override": 100, "decisive": 50, "default": 10, "fallback": 5}
ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    condition: Node
    conclusions: tuple[Conclusion, ...]
    rationale: str
    sections: tuple[str, ...]
    priority: int
    file: str
    line: int | None
    topic: str
    # (line, column) of the parts cross-checks point at: "id", "sections.<i>", "then.<i>",
    # "reads.<slot:value>" (first condition that tests that conclusion).
    spots: Mapping[str, tuple] = field(default_factory=dict, compare=False, repr=False)
    # A row of a decision table: the slot it decides, its place (1 = first), the condition as
    # written (`condition` adds the generated "no row above with another value holds") and
    # the ids of the rows above that it is guarded against.
    table: str | None = None
    row: int = 0
    written: Node | None = field(default=None, compare=False, repr=False)
    guards: tuple[str, ...] = ()

    def at(self, spot: str) -> tuple[int | None, int | None]:
        """Line and column of a part of the rule, falling back to the rule's own line."""
        return self.spots.get(spot, (self.line, None))

    @property
    def location(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file


def _conclusion(
    doc: Document, item: Any, where: tuple, rule_id: str | None, problems: list[Problem]
) -> Conclusion | None:
    if not isinstance(item, dict) or len(item) != 1:
        problems.append(
            doc.problem(
                where,
                "each conclusion is one 'slot: value' pair, e.g. '- mandate: substitution'",
                rule_id=rule_id,
                allowed=tuple(SLOTS),
            )
        )
        return None
    ((slot, value),) = item.items()
    if slot not in SLOTS:
        problems.append(
            doc.problem(
                where + (slot,),
                f"unknown conclusion slot '{slot}'",
                key=True,
                rule_id=rule_id,
                field=str(slot),
                allowed=tuple(SLOTS),
                suggestion=did_you_mean(slot, SLOTS),
            )
        )
        return None
    spec = SLOTS[slot]
    if isinstance(value, bool) or not isinstance(value, str) or not value:
        problems.append(
            doc.problem(
                where + (slot,), f"the value of '{slot}' must be a name", rule_id=rule_id, field=slot, value=value
            )
        )
        return None
    if spec.values and value not in spec.values:
        problems.append(
            doc.problem(
                where + (slot,),
                f"'{value}' is not a value of slot '{slot}'",
                rule_id=rule_id,
                field=slot,
                value=value,
                allowed=spec.values,
                suggestion=did_you_mean(value, spec.values),
            )
        )
        return None
    if slot == "derived" and not NAME_RE.match(value):
        problems.append(
            doc.problem(
                where + (slot,),
                f"derived fact '{value}' must be snake_case (lowercase letters, digits, underscores)",
                rule_id=rule_id,
                field=slot,
                value=value,
            )
        )
        return None
    return Conclusion(slot, value)


def _priority(doc: Document, data: dict, where: tuple, rule_id: str | None, problems: list[Problem]) -> int:
    priority = data.get("priority", 0)
    if isinstance(priority, str) and priority in TIERS:
        return TIERS[priority]
    if isinstance(priority, bool) or not isinstance(priority, int):
        problems.append(
            doc.problem(
                where + ("priority",),
                f"priority must be a tier name or a whole number, got '{priority}'",
                rule_id=rule_id,
                field="priority",
                value=priority,
                allowed=tuple(TIERS),
                suggestion=did_you_mean(priority, TIERS),
            )
        )
        return 0
    return priority


def _rule(
    doc: Document,
    data: Any,
    where: tuple,
    topic: str,
    problems: list[Problem],
    decided: str | None = None,
    rank: int = 0,
) -> Rule | None:
    """One rule, or (with `decided`) one row of a decision table with priority `rank`."""
    shape = (
        f"each row is a mapping with id, title, when, {decided}, rationale, sections"
        if decided
        else "each rule is a mapping with id, title, when, then, rationale, sections"
    )
    if not isinstance(data, dict):
        problems.append(doc.problem(where, shape))
        return None
    rule_id = data.get("id") if isinstance(data.get("id"), str) else None
    before = len(problems)
    keys = ROW_KEYS + (decided,) if decided else RULE_KEYS
    required = tuple(k for k in REQUIRED if k != "then") + (decided,) if decided else REQUIRED
    for key in data:
        if key not in keys:
            hint = " (a row's place in the table is its priority)" if decided and key == "priority" else ""
            problems.append(
                doc.problem(
                    where + (key,),
                    f"unknown {'row' if decided else 'rule'} key '{key}'{hint}",
                    key=True,
                    rule_id=rule_id,
                    allowed=keys,
                    suggestion=did_you_mean(key, keys),
                )
            )
    for key in required:
        if key not in data:
            problems.append(doc.problem(where, f"missing required key '{key}'", rule_id=rule_id, field=key))
    if "id" in data and (rule_id is None or not ID_RE.match(rule_id)):
        problems.append(
            doc.problem(
                where + ("id",),
                f"rule id '{data['id']}' must be lowercase letters, digits, '.', '-' or '_'",
                rule_id=rule_id,
                field="id",
                value=data["id"],
            )
        )
    for key in ("title", "rationale"):
        if key in data and (not isinstance(data[key], str) or not data[key].strip()):
            problems.append(doc.problem(where + (key,), f"'{key}' must be non-empty text", rule_id=rule_id, field=key))
    sections = data.get("sections")
    if "sections" in data and (
        not isinstance(sections, list) or not sections or not all(isinstance(s, (str, int, float)) for s in sections)
    ):
        problems.append(
            doc.problem(
                where + ("sections",),
                "'sections' is a non-empty list of section ids, e.g. [\"6.2\"]",
                rule_id=rule_id,
                field="sections",
            )
        )
    priority = rank if decided else _priority(doc, data, where, rule_id, problems)
    condition = None
    if "when" in data:
        condition = parse_condition(data["when"], doc, where + ("when",), rule_id, problems)
    conclusions = []
    if decided and decided in data:
        c = _conclusion(doc, {decided: data[decided]}, where, rule_id, problems)
        conclusions += [c] if c is not None else []
    then = data.get("then")
    if "then" in data:
        if not isinstance(then, list) or not then:
            problems.append(
                doc.problem(
                    where + ("then",), "'then' is a non-empty list of conclusions", rule_id=rule_id, field="then"
                )
            )
        else:
            for i, item in enumerate(then):
                c = _conclusion(doc, item, where + ("then", i), rule_id, problems)
                if c is not None and decided and c.slot == decided:
                    problems.append(
                        doc.problem(
                            where + ("then", i),
                            f"a row gives its {decided} value in its "
                            f"'{decided}' key; 'then' holds the row's further conclusions",
                            rule_id=rule_id,
                            field=decided,
                        )
                    )
                elif c is not None and c not in conclusions:
                    conclusions.append(c)
    if len(problems) > before:
        return None
    # Each of these is a required key checked above: missing, it added a problem.
    assert rule_id is not None and condition is not None and sections is not None
    return Rule(
        rule_id,
        data["title"].strip(),
        condition,
        tuple(conclusions),
        " ".join(data["rationale"].split()),
        tuple(str(s) for s in sections),
        priority,
        doc.file,
        doc.at(where)[0],
        topic,
        MappingProxyType(_spots(doc, data, where, decided)),
        table=decided,
        written=condition,
    )


def _spots(doc: Document, data: dict, where: tuple, decided: str | None) -> dict:
    spots = {"id": doc.at(where + ("id",))}
    for i, _ in enumerate(data["sections"]):
        spots[f"sections.{i}"] = doc.at(where + ("sections", i))
    if decided:
        spots[f"then.{decided}:{data[decided]}"] = doc.at(where + (decided,))
    for i, item in enumerate(data.get("then", ())):
        ((slot, value),) = item.items()
        spots.setdefault(f"then.{slot}:{value}", doc.at(where + ("then", i, slot)))

    def walk(node: Any, at: tuple) -> None:
        if isinstance(node, list):
            for i, item in enumerate(node):
                walk(item, at + (i,))
        elif isinstance(node, dict):
            if "derived" in node and isinstance(node["derived"], str):
                spots.setdefault(f"reads.derived:{node['derived']}", doc.at(at + ("derived",)))
            elif "concluded" in node and isinstance(node["concluded"], dict) and len(node["concluded"]) == 1:
                ((slot, value),) = node["concluded"].items()
                spots.setdefault(f"reads.{slot}:{value}", doc.at(at + ("concluded", slot)))
            else:
                for key, value in node.items():
                    walk(value, at + (key,))

    walk(data["when"], where + ("when",))
    return spots


def parse_rule_file(doc: Document, problems: list[Problem]) -> tuple[Rule, ...]:
    """Rules of one parsed file; malformed rules are reported and left out."""
    data = doc.data
    if not isinstance(data, dict):
        problems.append(doc.problem((), "a rule file is a mapping with 'topic' and 'rules'"))
        return ()
    for key in data:
        if key not in FILE_KEYS:
            problems.append(
                doc.problem(
                    (key,),
                    f"unknown top-level key '{key}'",
                    key=True,
                    allowed=FILE_KEYS,
                    suggestion=did_you_mean(key, FILE_KEYS),
                )
            )
    topic = data.get("topic", Path(doc.file).stem)
    if not isinstance(topic, str):
        problems.append(doc.problem(("topic",), "'topic' must be text"))
        topic = Path(doc.file).stem
    table: tuple[Rule, ...] = ()
    if "decide" in data or "rows" in data:
        from .decisiontable import parse_table  # it builds on _rule

        table = parse_table(doc, topic, problems)
    rules = data.get("rules", [] if table or "rows" in data else None)
    if not isinstance(rules, list):
        problems.append(doc.problem(("rules",) if "rules" in data else (), "'rules' must be a list of rules"))
        return table
    parsed = [_rule(doc, item, ("rules", i), topic, problems) for i, item in enumerate(rules)]
    return table + tuple(r for r in parsed if r is not None)
