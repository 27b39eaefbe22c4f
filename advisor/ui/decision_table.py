"""The Rule lab's view of decision tables: each table as a table, rows in their order.

Rows come from the rule base (advisor/decisiontable.py); every cell is plain text in a
dataframe, so nothing an author wrote is rendered as Markdown or HTML.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from ..decisiontable import Table, condition_text, tables_of
from ..report.markdown import esc

HIT_POLICY = "rows in order: the first row that holds decides"


def rows(table: Table, knowledge) -> list[dict]:
    """One dict per row: place, id, condition as written, value, further conclusions, guards, §, rationale."""
    place = {r.id: r.row for r in table.rows}
    out = []
    for row in table.rows:
        out.append(
            {
                "#": row.row,
                "row": row.id,
                "when": condition_text(row.written),
                table.slot: table.value(row),
                "further conclusions": ", ".join(c.key for c in table.further(row)),
                "drawn unless rows hold": ", ".join(str(place[g]) for g in row.guards),
                "§": ", ".join(knowledge.section_labels(row.sections)),
                "title": row.title,
                "rationale": row.rationale,
            }
        )
    return out


def show(rulebase, key: str = "lab", file_name: str | None = None) -> None:
    """The decision tables of `rulebase` (of one rule file with `file_name`); nothing when none."""
    tables = [t for t in tables_of(rulebase.rules) if file_name is None or Path(t.file).name == file_name]
    if not tables:
        return
    st.subheader("Decision tables")
    for table in tables:
        st.caption(
            esc(
                f"{table.slot} ({Path(table.file).name}:{table.line}): {HIT_POLICY}; a row's further "
                "conclusions are drawn only when it decides"
            )
        )
        st.dataframe(
            rows(table, rulebase.knowledge), hide_index=True, width="stretch", key=f"{key}_decision_{table.slot}"
        )
