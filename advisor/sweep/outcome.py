"""One scenario's sweep row: its facts and the headline of its advice, as plain cells.

Rows are plain tuples of str/bool/int/None so they pickle cheaply between processes and
land in pandas without numpy surprises. Slot resolution and the unknown facts
use `advice`'s own functions; the rest of building an Advice (items, sections, order) is
skipped, as a sweep does not show it.
"""

from __future__ import annotations

from typing import Any

from .. import vocabulary as v
from ..advice import resolve_one
from ..conditions import Test, atoms
from ..ruleset import RuleBase
from ..service import compiled_for
from ..slots import HEADLINE, PARTNERS, SLOTS

LIST_SEP = ";"
FACT_COLUMNS: tuple[str, ...] = ("name",) + tuple(v.PATHS)
COUNTED = {
    "objective": "n_objectives",
    "task": "n_tasks",
    "expertise": "n_expertise",
    "planning_step": "n_planning_steps",
    "warning": "n_warnings",
    "structure_element": "n_structure_elements",
}
RESULT_COLUMNS: tuple[str, ...] = (
    ("mandate", "functions", "partial_substitution", "structure", "hq")
    + tuple(f"partner_{p}" for p in PARTNERS)
    + ("n_partners",)
    + tuple(COUNTED.values())
    + ("n_firings", "conflicts", "unknown_facts_that_mattered")
)
COLUMNS = FACT_COLUMNS + RESULT_COLUMNS
# Entries are ~1 kB: the cap keeps a worker within its memory budget on all-distinct input.
CACHE_LIMIT = 50_000


# (field, area or None) of each fact column after `name`, split once: a sweep reads them per row.
_CELL_PATHS = tuple(tuple(p.split(".", 1)) if "." in p else (p, None) for p in v.PATHS)


def fact_cells(scenario) -> tuple:
    """The scenario's facts in FACT_COLUMNS order; lists joined with ';', unknown = None.

    An empty list is written `none`, as in --vary and in input tables, so that it stays
    distinct from unknown in CSV, where both would otherwise be an empty cell.
    """
    values = scenario.values
    cells: list[Any] = [values.get("name")]
    for field, area in _CELL_PATHS:
        value = values.get(field)
        if area is not None and value is not None:
            value = value.get(area)
        if isinstance(value, tuple):
            value = LIST_SEP.join(value) if value else "none"
        cells.append(value)
    return tuple(cells)


class Evaluator:
    """Evaluates scenarios with one compiled rule base and turns each into a result row.

    Results are memoised on the facts the rules actually read: two scenarios that differ
    only in facts no rule tests get the same advice, so the engine runs once for both.
    """

    def __init__(self, rulebase: RuleBase, unknowns: bool = False):
        self.rulebase = rulebase
        self.unknowns = unknowns
        self._engine = compiled_for(rulebase)
        read = {a.path for c in rulebase.plan.rules for a in atoms(c.rule.condition) if isinstance(a, Test)}
        self._read = tuple(sorted(read))
        # The key as positions in fact_cells (a joined list is as distinct as the tuple it
        # joins: no vocabulary value holds ';'); None when a rule reads a fact not in a column.
        self._columns = (
            tuple(FACT_COLUMNS.index(p) for p in self._read) if set(self._read) <= set(FACT_COLUMNS) else None
        )
        self._priority = {c.rule.id: c.rule.priority for c in rulebase.plan.rules}.__getitem__
        self._cache: dict[tuple, tuple] = {}
        self.hits = 0

    def row(self, scenario) -> tuple:
        """Facts then results, in COLUMNS order."""
        cells = fact_cells(scenario)
        return cells + self.result(scenario, cells)

    def result(self, scenario, cells: tuple | None = None) -> tuple:
        """The result cells; `cells` (the scenario's fact_cells) gives the cache key cheaply."""
        if cells is not None and self._columns is not None:
            key = tuple(cells[i] for i in self._columns)
        else:
            key = tuple(scenario.get(path) for path in self._read)
        found = self._cache.get(key)
        if found is not None:
            self.hits += 1
            return found
        found = self._compute(scenario)
        if len(self._cache) >= CACHE_LIMIT:
            self._cache.clear()
        self._cache[key] = found
        return found

    def _compute(self, scenario) -> tuple:
        evaluation = self._engine.evaluate(scenario)
        by_slot: dict[str, dict[str, list[str]]] = {}
        for f in evaluation.firings:
            for slot, value in (c.pair for c in f.conclusions):
                by_slot.setdefault(slot, {}).setdefault(value, []).append(f.rule_id)
        conflicts: list[str] = []
        single: dict[str, str | None] = {}
        for slot, spec in SLOTS.items():
            if spec.single:
                single[slot] = self._resolve(by_slot.get(slot, {}), slot, conflicts)
        mandate = single["mandate"]
        functions = [f for f in SLOTS["function"].values if f in by_slot.get("function", {})]
        if mandate == "none":
            functions = []  # as in the contract JSON: no mission, no functions
        partners = by_slot.get("partner", {})
        counts = tuple(len(by_slot.get(slot, {})) for slot in COUNTED)
        unknown = None
        if self.unknowns:
            # The advice's own decisive unknowns (advisor/unknowns.py), not a cheaper guess:
            # each unknown fact's values are tried, so this costs ~20x the row itself.
            from ..unknowns import decisive

            unknown = LIST_SEP.join(decisive(self.rulebase, scenario))
        return (
            (
                mandate,
                LIST_SEP.join(functions),
                "partial_substitution" in by_slot.get("mandate_option", {}),
                single["structure"],
                single["hq"],
            )
            + tuple(p in partners for p in PARTNERS)
            + (len(partners),)
            + counts
            + (len(evaluation.firings), LIST_SEP.join(conflicts), unknown)
        )

    def _resolve(self, found: dict[str, list[str]], slot: str, conflicts: list[str]) -> str | None:
        """The winning value of a one-value slot by rule priority; None when none or a tie."""
        if not found:
            return None
        winners, _ = resolve_one(found, self._priority)
        if len(winners) > 1:
            conflicts.append(slot)
            return None
        return winners[0]


assert set(HEADLINE) <= set(RESULT_COLUMNS)
