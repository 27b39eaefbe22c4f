"""Read a file of scenarios (CSV, Excel, YAML, JSON lines) with row-located errors.

Every problem names the file, the line (the spreadsheet row for Excel), the column or
field, the bad value and what is allowed. All rows are checked before anything runs, so
a typo in row 90,000 is found before an hour of evaluation, not after.
"""

from __future__ import annotations

import csv
import dataclasses
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ..errors import Problem, ScenarioError
from ..scenario import Scenario, from_mapping
from ..yamlsrc import read_file
from .cells import check_column, to_mapping

SUFFIXES = {
    ".csv": "csv",
    ".xlsx": "excel",
    ".xlsm": "excel",
    ".yaml": "yaml",
    ".yml": "yaml",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}
MAX_PROBLEMS = 25


def read_scenarios(path: str | Path) -> tuple[Scenario, ...]:
    """All scenarios of a table file, in file order; ScenarioError lists what is wrong."""
    path = Path(path)
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise ScenarioError(
            Problem(f"cannot read scenarios from a '{path.suffix}' file", str(path), allowed=tuple(SUFFIXES))
        )
    if not path.is_file():
        raise ScenarioError(Problem("file not found", str(path)))
    rows = {"csv": _csv_rows, "excel": _excel_rows, "yaml": _yaml_rows, "jsonl": _jsonl_rows}[kind](path)
    return _validate(path, rows)


@dataclasses.dataclass(frozen=True)
class Row:
    """One scenario's cells, with where each field sits in the file."""

    line: int
    cells: dict[str, Any]
    places: dict[str, tuple[int | None, int | None]]  # field or path -> (line, column)

    def place(self, field: str | None) -> tuple[int | None, int | None]:
        if field in self.places:
            return self.places[field]
        if field and "." in field and field.split(".", 1)[0] in self.places:
            return self.places[field.split(".", 1)[0]]
        return self.line, None


def _validate(path: Path, rows: Iterable[Row | Problem]) -> tuple[Scenario, ...]:
    scenarios: list[Scenario] = []
    problems: list[Problem] = []
    total = 0
    for row in rows:
        found: list[Problem] = []
        if isinstance(row, Problem):
            found = [row]
        else:
            try:
                scenarios.append(from_mapping(to_mapping(row.cells), f"{path}:{row.line}"))
            except ScenarioError as err:
                found = [
                    dataclasses.replace(p, file=str(path), line=row.place(p.field)[0], column=row.place(p.field)[1])
                    for p in err.problems
                ]
        total += len(found)
        problems += found[: max(0, MAX_PROBLEMS - len(problems))]
    if total > len(problems):
        problems.append(Problem(f"... and {total - len(problems)} more problems", str(path)))
    if problems:
        raise ScenarioError(problems)
    if not scenarios:
        raise ScenarioError(Problem("no scenarios in the file", str(path)))
    return tuple(scenarios)


def _header_problems(path: Path, header: list, line: int) -> list[Problem]:
    problems, seen = [], set()
    for i, name in enumerate(header, start=1):
        if name is None or (isinstance(name, str) and not name.strip()):
            problems.append(Problem(f"column {i} has no name in the header", str(path), line, i))
            continue
        found = check_column(name)
        if found:
            problems.append(dataclasses.replace(found, file=str(path), line=line, column=i))
        elif name in seen:
            problems.append(Problem(f"column '{name}' appears twice in the header", str(path), line, i, field=name))
        seen.add(name)
    return problems


def _table_rows(path: Path, records: Iterator[tuple[int, list]]) -> Iterator[Row | Problem]:
    """Rows of a header-first table (CSV or a sheet)."""
    first = next(records, None)
    if first is None:
        return
    line, header = first
    header = [h.strip() if isinstance(h, str) else h for h in header]
    problems = _header_problems(path, header, line)
    if problems:
        raise ScenarioError(problems)
    for line, cells in records:
        if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
            continue  # blank rows are common at the end of sheets
        if len(cells) > len(header):
            extra = [c for c in cells[len(header) :] if c not in (None, "")]
            if extra:
                yield Problem(
                    f"row has {len(cells)} cells but the header names {len(header)} columns "
                    "(a comma inside a value? quote it, or separate list values with ';')",
                    str(path),
                    line,
                    len(header) + 1,
                )
                continue
        places: dict[str, tuple[int | None, int | None]] = {name: (line, i) for i, name in enumerate(header, start=1)}
        yield Row(line, dict(zip(header, cells)), places)


def _csv_rows(path: Path) -> Iterator[Row | Problem]:
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.reader(handle)

            def records():
                start = 1
                try:
                    for cells in reader:
                        yield start, cells
                        start = reader.line_num + 1
                except csv.Error as err:
                    raise ScenarioError(Problem(f"malformed CSV: {err}", str(path), reader.line_num)) from err

            yield from _table_rows(path, records())
    except UnicodeDecodeError as err:
        raise ScenarioError(Problem(f"not UTF-8 text: {err.reason}", str(path))) from err


def _excel_rows(path: Path) -> Iterator[Row | Problem]:
    import openpyxl  # only when an Excel file is read

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises many kinds for a damaged file
        raise ScenarioError(Problem(f"cannot open as an Excel workbook: {err}", str(path))) from err
    try:
        sheet = book["scenarios"] if "scenarios" in book.sheetnames else book.worksheets[0]
        records = ((i, list(cells)) for i, cells in enumerate(sheet.iter_rows(values_only=True), start=1))
        yield from _table_rows(Path(f"{path}[{sheet.title}]"), records)
    finally:
        book.close()


def _mapping_row(path: Path, line: int, data: Any, places) -> list[Row | Problem]:
    """A YAML or JSON scenario mapping; keys are checked like a table's header."""
    if not isinstance(data, dict):
        return [Problem("each scenario must be a mapping of field names to values", str(path), line)]
    bad = [(k, check_column(k, "field")) for k in data]
    problems = [
        dataclasses.replace(p, file=str(path), line=places(k, key=True)[0] or line, column=places(k, key=True)[1])
        for k, p in bad
        if p
    ]
    data = {k: value for k, value in data.items() if not any(k == b for b, p in bad if p)}
    where = {k: places(k) for k in data}
    for k, value in data.items():
        if isinstance(value, dict):
            where.update({f"{k}.{area}": places(k, area) for area in value})
    return problems + [Row(line, data, where)]


def _jsonl_rows(path: Path) -> Iterator[Row | Problem]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as err:
        raise ScenarioError(Problem(f"not UTF-8 text: {err.reason}", str(path))) from err
    for line, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        try:
            data = json.loads(text)
        except json.JSONDecodeError as err:
            yield Problem(f"not valid JSON: {err.msg}", str(path), line, err.colno)
            continue
        row = _mapping_row(path, line, data, lambda *keys, key=False, line=line: (line, None))
        yield from row


def _yaml_rows(path: Path) -> Iterator[Row | Problem]:
    doc, problems = read_file(path)
    if problems or doc is None:  # no document comes without a problem
        raise ScenarioError(problems)
    data = doc.data
    where: tuple = ()
    if isinstance(data, dict) and "scenarios" in data:
        data, where = data["scenarios"], ("scenarios",)
    if not isinstance(data, list):
        line, _ = doc.at(where)
        raise ScenarioError(Problem("expected a list of scenarios (or 'scenarios:' with a list)", str(path), line))
    for i, item in enumerate(data):
        line, _ = doc.at(where + (i,))

        def places(*keys, key=False, base=where + (i,)):
            return doc.at(base + keys, key=key)

        row = _mapping_row(path, line or 0, item, places)
        yield from row
