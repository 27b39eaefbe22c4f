"""advisor verify, for decision tables: which rows overlap rows of other values above them.

In a first-hit table an overlap is how the order decides, not a mistake; the report lists
them so an author can check the order against the concept. Gaps are verify's
completeness findings (an `incomplete` slot), passed in as the slots that have one.
`c` is verify's checker: its `tables` by slot and `holds(condition)` (a region).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..decisiontable import Table
from .regions import TooComplex, meet


@dataclass(frozen=True)
class Overlap:
    """Row `row` of a table can hold together with the rows `above` (other values): they decide there."""

    row: str
    value: str
    above: tuple[str, ...]


@dataclass(frozen=True)
class TableReport:
    slot: str
    location: str
    rows: tuple[str, ...]
    overlaps: tuple[Overlap, ...]
    gap: bool  # some scenario the table should decide gets no row (an 'incomplete' finding)
    undecided: bool = False  # the overlap question grew too large

    def to_dict(self) -> dict:
        return {
            "slot": self.slot,
            "location": self.location,
            "rows": list(self.rows),
            "gap": self.gap,
            "undecided": self.undecided,
            "overlaps": [{"row": o.row, "value": o.value, "above": list(o.above)} for o in self.overlaps],
        }


def table_reports(c, gaps: set) -> tuple[TableReport, ...]:
    """Per table: which rows can hold together with rows of other values above them (the order decides)."""
    out = []
    for table in c.tables.values():
        gap = table.slot in gaps
        try:
            overlaps = _overlaps(c, table)
        except TooComplex:
            out.append(TableReport(table.slot, table.location, tuple(r.id for r in table.rows), (), gap, True))
            continue
        out.append(TableReport(table.slot, table.location, tuple(r.id for r in table.rows), overlaps, gap))
    return tuple(out)


def _overlaps(c, table: Table) -> tuple[Overlap, ...]:
    regions = [c.holds(row.written) for row in table.rows]
    out = []
    for j, row in enumerate(table.rows):
        above = tuple(
            r.id
            for i, r in enumerate(table.rows[:j])
            if table.value(r) != table.value(row) and meet(regions[i], regions[j])
        )
        if above:
            out.append(Overlap(row.id, table.value(row), above))
    return tuple(out)
