"""Decision tables: a one-value slot decided by ordered rows, the first row that holds wins.

A rule file states the decision once, in reading order:

    decide: hq
    rows:
      - {id: hq.border-sector, when: ..., hq: border_sector, then: [...], ...}
      - {id: hq.capital.default, when: ..., hq: capital, ...}

The table compiles to ordinary rules, so durable-rules, the reference evaluator and every
explanation see rules as before. Row k of n gets priority n - k + 1, so priority
resolution gives the slot the value of the first row that holds. A row with further
conclusions (`then`) must not draw them when a row above with another value decides, so
its condition also gets "and not <that row's condition>" for each such row whose
condition can hold together with its own. That negation is exact only when the row
above reads derived facts and conclusions alone: a scenario fact may be unknown, and "not
unknown" is unknown (Kleene logic), which would block the row although nothing above
holds. Such a table is refused with a located error that says how to fix it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType

from .conditions import All, Any_, Concl, Node, Not, Test, atoms, dnf
from .errors import Problem, did_you_mean
from .rulefile import Rule, _rule
from .slots import SLOTS
from .yamlsrc import Document

ONE_VALUE_SLOTS = tuple(name for name, spec in SLOTS.items() if spec.single)


@dataclass(frozen=True)
class Table:
    """One decision table of the rule base: its slot, where it is written, its rows in order."""

    slot: str
    file: str
    line: int | None
    topic: str
    rows: tuple[Rule, ...]

    @property
    def location(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file

    def value(self, row: Rule) -> str:
        return next(c.value for c in row.conclusions if c.slot == self.slot)

    def further(self, row: Rule) -> tuple:
        return tuple(c for c in row.conclusions if c.slot != self.slot)


def _fact_paths(node: Node) -> list[str]:
    return sorted({a.path for a in atoms(node) if isinstance(a, Test)})


def _can_overlap(a: Node, b: Node) -> bool:
    """False only when the two conditions contradict each other on some fact test."""
    try:
        return bool(dnf(All((a, b))))
    except OverflowError:
        return True


def _slot(doc: Document, data: dict, problems: list[Problem]) -> str | None:
    if "decide" not in data:
        problems.append(
            doc.problem(
                ("rows",),
                "'rows' belong to a decision table: add 'decide: <slot>' naming the one-value slot the rows decide",
                key=True,
                field="decide",
                allowed=ONE_VALUE_SLOTS,
            )
        )
        return None
    slot = data["decide"]
    if not isinstance(slot, str) or slot not in ONE_VALUE_SLOTS:
        problems.append(
            doc.problem(
                ("decide",),
                f"a decision table decides a one-value slot, not '{slot}'",
                field="decide",
                value=slot,
                allowed=ONE_VALUE_SLOTS,
                suggestion=did_you_mean(slot, ONE_VALUE_SLOTS),
            )
        )
        return None
    return slot


def parse_table(doc: Document, topic: str, problems: list[Problem]) -> tuple[Rule, ...]:
    """The rows of a file's decision table as rules (guards added); () when it is malformed."""
    data = doc.data
    slot = _slot(doc, data, problems)
    rows = data.get("rows")
    if not isinstance(rows, list) or not rows:
        problems.append(
            doc.problem(
                ("rows",) if "rows" in data else ("decide",),
                "a decision table needs 'rows': a non-empty list, the first row that holds decides",
                field="rows",
            )
        )
        return ()
    if slot is None:
        return ()
    before = len(problems)
    maybe = [
        _rule(doc, item, ("rows", i), topic, problems, decided=slot, rank=len(rows) - i) for i, item in enumerate(rows)
    ]
    parsed = [r for r in maybe if r is not None]
    if len(problems) > before or len(parsed) < len(maybe):
        return ()  # a broken row would change the guards of the rows below it
    table_spot = doc.at(("decide",))
    out = []
    for j, row in enumerate(parsed):
        guards = _guards(doc, slot, parsed, j, problems)
        condition = All((_written(row),) + tuple(Not(_written(g)) for g in guards)) if guards else _written(row)
        out.append(
            replace(
                row,
                condition=condition,
                row=j + 1,
                guards=tuple(g.id for g in guards),
                spots=MappingProxyType({**row.spots, "table": table_spot}),
            )
        )
    return tuple(out) if len(problems) == before else ()


def _written(rule: Rule) -> Node:
    """A row's condition as written: the parser keeps it for every rule it makes."""
    if rule.written is None:
        raise ValueError(f"rule {rule.id} was not made by the rule parser")
    return rule.written


def _guards(doc: Document, slot: str, rows: list[Rule], j: int, problems: list[Problem]) -> list[Rule]:
    """The rows above row j that must not hold for row j's further conclusions to be drawn."""
    row = rows[j]
    value = next(c.value for c in row.conclusions if c.slot == slot)
    further = [c.key for c in row.conclusions if c.slot != slot]
    if not further:
        return []  # only the value: priority resolution already lets the first row win
    out = []
    for above in rows[:j]:
        if any(c.slot == slot and c.value == value for c in above.conclusions):
            continue
        if not _can_overlap(_written(above), _written(row)):
            continue
        facts = _fact_paths(_written(above))
        if facts:
            problems.append(
                doc.problem(
                    ("rows", j, "then"),
                    f"row '{row.id}' draws further conclusions ({', '.join(further)}) only when it decides, but row "
                    f"'{above.id}' above it (line {above.line}) tests scenario facts ({', '.join(facts)}) that may be "
                    f"unknown, so 'row {above.id} does not hold' cannot be decided; conclude a derived fact from those "
                    f"tests in a rule and test that fact in row '{above.id}', or move row '{row.id}'s further "
                    "conclusions into a rule of their own",
                    rule_id=row.id,
                    field="then",
                )
            )
            continue
        out.append(above)
    return out


def tables_of(rules) -> tuple[Table, ...]:
    """The decision tables among a rule base's rules, in file order."""
    grouped: dict[tuple[str, str], list[Rule]] = {}
    for rule in rules:
        if rule.table:
            grouped.setdefault((rule.file, rule.table), []).append(rule)
    out = []
    for (file, slot), rows in grouped.items():
        rows.sort(key=lambda r: r.row)
        out.append(Table(slot, file, rows[0].at("table")[0], rows[0].topic, tuple(rows)))
    return tuple(out)


def check_tables(rules, problems: list[Problem]) -> None:
    """Across files: one table per slot, and a decided slot is concluded by its table's rows only."""
    tables: dict[str, Table] = {}
    for table in tables_of(rules):
        if table.slot in tables:
            first = tables[table.slot]
            problems.append(
                Problem(
                    f"'{table.slot}' is already decided by the table at {first.location}; "
                    "a slot has one decision table",
                    table.file,
                    table.line,
                    field="decide",
                )
            )
        else:
            tables[table.slot] = table
    for rule in rules:
        for c in rule.conclusions:
            decider = tables.get(c.slot)
            if decider is not None and rule.table != c.slot:
                line, column = rule.at(f"then.{c.key}")
                problems.append(
                    Problem(
                        f"{c.slot} is decided by the table at {decider.location}; add a row there "
                        f"instead of concluding {c.slot} '{c.value}' in a rule",
                        rule.file,
                        line,
                        column,
                        rule_id=rule.id,
                        field=c.slot,
                        value=c.value,
                    )
                )


def condition_text(node: Node | None) -> str:
    """A condition in words, as the Rule lab's table shows it."""
    if node is None:
        return ""
    if isinstance(node, (Test, Concl)):
        return node.text
    if isinstance(node, Not):
        return f"not ({condition_text(node.item)})"
    if isinstance(node, (All, Any_)):
        parts = [condition_text(i) for i in node.items]
        joiner = " and " if isinstance(node, All) else " or "
        if len(parts) == 1:
            return parts[0]
        return joiner.join(
            f"({p})" if (" and " in p or " or " in p) and not p.startswith("not (") else p for p in parts
        )
    raise TypeError(node)


def file_name(table: Table) -> str:
    return Path(table.file).name
