"""Sweep: a headline conclusion over two facts, the other facts from a base scenario.

Works inside the app (st.navigation) and alone: `streamlit run app_pages/sweep.py`.
Every cell is the real rule engine's advice; the whole table downloads as CSV or Parquet.
"""
from __future__ import annotations

from pathlib import Path

import altair as alt
import streamlit as st

from advisor.errors import AdvisorError
from advisor.ruleset import load_rulebase
from advisor.sweep import view
from advisor.sweep.run import sweep_rows
from advisor.sweep.table import frame, to_bytes
from advisor.ui.config import from_env


@st.cache_resource(show_spinner=False, max_entries=4)
def _rulebase(rules_dir: str, knowledge_dir: str, stamp: tuple):
    return load_rulebase(rules_dir, knowledge_dir)


def _stamp(*dirs: Path) -> tuple:
    """Changes when a rule or knowledge file changes, so edits are picked up."""
    return tuple((str(p), p.stat().st_mtime_ns) for d in dirs for p in sorted(Path(d).glob("*.yaml")))


if __name__ == "__main__":  # standalone `streamlit run`; inside the app, app.py sets the page up
    st.set_page_config(page_title="Sweep", layout="wide")

st.title("Sweep")
st.caption("Vary two facts over their values, keep the others from a base scenario, and see where the "
           "advice switches.")

config = from_env()
try:
    rulebase = _rulebase(str(config.rules_dir), str(config.knowledge_dir),
                         _stamp(config.rules_dir, config.knowledge_dir))
except AdvisorError as err:
    st.error("The rule base cannot be loaded:\n\n" + "\n".join(f"- {p}" for p in err.problems[:20]))
    st.stop()

try:
    current = view.current_scenario(st.session_state)
except AdvisorError as err:
    st.warning(f"The current scenario cannot be used: {err}")
    current = None
preset_paths = view.presets(config.examples_dir)
choices = ([view.CURRENT] if current is not None else []) + list(preset_paths) + [view.NOTHING_KNOWN]

left, right = st.columns(2)
with left:
    base_choice = st.selectbox("Base scenario (the facts not varied)", choices, key="sweep_base")
    x = st.selectbox("Fact across (columns)", view.AXIS_PATHS, key="sweep_x",
                     index=view.AXIS_PATHS.index("conflict_status"))
    xs = st.multiselect(f"Values of {x}", view.words(x) + [view.UNKNOWN], default=view.words(x),
                        key=f"sweep_x_values:{x}")
with right:
    shown = st.selectbox("Conclusion shown", view.SHOWN, key="sweep_show")
    y = st.selectbox("Fact down (rows)", view.AXIS_PATHS, key="sweep_y",
                     index=view.AXIS_PATHS.index("host_authority"))
    ys = st.multiselect(f"Values of {y}", view.words(y) + [view.UNKNOWN], default=view.words(y),
                        key=f"sweep_y_values:{y}")

if x == y:
    st.warning("Choose two different facts.")
    st.stop()
if not xs or not ys:
    st.info("Choose at least one value for each fact.")
    st.stop()

try:
    base = view.base_scenario(base_choice, current, preset_paths)
    grid = view.two_fact_grid(base, x, xs, y, ys)
    df = frame(sweep_rows(grid, rulebase, jobs=1))
except AdvisorError as err:
    st.error(str(err))
    st.stop()

st.text(f"Base: {base.name}; {len(df)} scenarios; rule base {rulebase.label}")
table = view.pivot(df, x, y, shown, xs, ys)
st.subheader(f"{shown} by {y} and {x}")
st.dataframe(table, key="sweep_pivot")

cells = view.long_form(df, x, y, shown)
chart = alt.Chart(cells).mark_rect().encode(
    x=alt.X(f"{x}:N", sort=list(xs), title=x),
    y=alt.Y(f"{y}:N", sort=list(ys), title=y),
    color=alt.Color(f"{shown}:N", title=shown),
    tooltip=[x, y, shown],
)
st.altair_chart(chart + chart.mark_text().encode(text=f"{shown}:N", color=alt.value("black")),
                width="stretch")

with st.expander("Full table (one row per scenario)"):
    st.dataframe(df, key="sweep_table")
a, b = st.columns(2)
a.download_button("Download CSV", to_bytes(df, "csv"), file_name="sweep.csv", mime="text/csv", key="sweep_csv")
b.download_button("Download Parquet", to_bytes(df, "parquet"), file_name="sweep.parquet",
                  mime="application/vnd.apache.parquet", key="sweep_parquet")
