"""Sweep: a headline conclusion over two facts, the other facts from a base scenario.

Works inside the app (st.navigation) and alone: `streamlit run app_pages/sweep.py`.
Every cell is the real rule engine's advice; the whole table downloads as CSV or Parquet.
With ADVISOR_DASK set (`local`, `local:N` or a scheduler address such as tcp://HOST:8786)
the sweep can run on Dask, with progress and the scheduler's dashboard link.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from advisor import scenario as scenarios
from advisor.errors import AdvisorError
from advisor.report.briefing import path_label
from advisor.sweep import view
from advisor.sweep.cluster import configured
from advisor.sweep.run import cores, sweep_rows
from advisor.sweep.table import frame, to_bytes
from advisor.ui import resources
from advisor.ui.config import from_env


def pivot_css(columns: int, longest: int) -> str:
    """Fixed CSS (numbers only, never user text) that keeps the pivot table in the page column.

    Six values across at 800 px made it wider than the column, and it scrolled sideways in a
    box a keyboard cannot reach (axe-core scrollable-region-focusable, serious). Equal columns
    instead, their text sized to the column's width (container units) so the longest word
    (`longest` letters, about 0.5 em each, plus 12 px of padding) fits, down to 0.7 rem; below
    that a word breaks rather than spill over its neighbour.
    """
    size = f"clamp(0.7rem, calc((100cqi / {columns} - 12px) / {0.5 * longest:.1f}), 1rem)"
    cells = ".st-key-sweep_pivot th,.st-key-sweep_pivot td"
    return (
        "<style>.st-key-sweep_pivot{container-type:inline-size}"
        ".st-key-sweep_pivot [data-testid='stTable'] > div{overflow:visible !important}"
        ".st-key-sweep_pivot table{table-layout:fixed;width:100%}"
        f"{cells}{{font-size:{size} !important;padding:0.25rem 0.375rem !important;"
        "white-space:normal !important;overflow-wrap:anywhere}</style>"
    )


def axis(label: str, key: str, default: str) -> tuple[str, list]:
    """One axis of the grid: the fact, then which of its values (the unknown one included)."""
    path = st.selectbox(label, view.AXIS_PATHS, key=key, format_func=path_label, index=view.AXIS_PATHS.index(default))
    values = st.multiselect(
        f"Values of {path_label(path)}",
        view.words(path) + [view.UNKNOWN],
        default=view.words(path),
        key=f"{key}_values:{path}",
        format_func=word,
    )
    return path, values


def word(value) -> str:
    """A value in planner words: yes/no for true/false, spaces for underscores."""
    text = str(value)
    return {"true": "yes", "false": "no", "none": "unknown", "nan": "unknown"}.get(text.lower(), text.replace("_", " "))


def conclusion_label(column: str) -> str:
    return column.replace("_", " ").capitalize()


@st.cache_data(show_spinner=False, max_entries=64)
def _title(path: str, stamp: int) -> str:
    try:
        return scenarios.load(path).name
    except AdvisorError:
        return Path(path).stem.replace("_", " ")


if __name__ == "__main__":  # standalone `streamlit run`; inside the app, app.py sets the page up
    st.set_page_config(page_title="Sweep", layout="wide")


def page() -> None:
    """The page, returning early where there is nothing to sweep.

    Never st.stop(): inside the app the script goes on after the page (app.py draws the
    sidebar's Undo and keeps the address bar), and st.stop() ended it there too, so the
    Undo button vanished whenever the sweep had nothing to draw.
    """
    st.title("Sweep")
    st.caption(
        "Vary two facts over their values, keep the others from a base scenario, and see where the advice switches."
    )

    config = from_env()
    try:
        rulebase = resources.live().serving()  # the app's rule base in service: one engine for all pages
    except AdvisorError as err:
        st.error("The rule base cannot be loaded:\n\n" + "\n".join(f"- {p}" for p in err.problems[:20]))
        return

    try:
        current = view.current_scenario(st.session_state)
    except AdvisorError as err:
        st.warning(f"The current scenario cannot be used: {err}")
        current = None
    preset_paths = view.presets(config.examples_dir)
    choices = ([view.CURRENT] if current is not None else []) + list(preset_paths) + [view.NOTHING_KNOWN]

    left, right = st.columns(2)
    with left:

        def base_label(choice: str) -> str:
            path = preset_paths.get(choice)
            return f"Preset: {_title(str(path), path.stat().st_mtime_ns)}" if path else choice

        base_choice = st.selectbox(
            "Base scenario (the facts not varied)", choices, key="sweep_base", format_func=base_label
        )
        x, xs = axis("Fact across (columns)", "sweep_x", "conflict_status")
    with right:
        shown = st.selectbox("Conclusion shown", view.SHOWN, key="sweep_show", format_func=conclusion_label)
        y, ys = axis("Fact down (rows)", "sweep_y", "host_authority")

    if x == y:
        st.warning("Choose two different facts.")
        return
    if not xs or not ys:
        st.info("Choose at least one value for each fact.")
        return

    try:
        target = configured(cores())
    except AdvisorError as err:  # a bad ADVISOR_DASK: say so, and sweep here
        st.warning(f"The Dask setting is not used: {err}")
        target = None
    on_dask = target is not None and st.toggle(f"Run on Dask ({target.text})", value=True, key="sweep_dask")

    try:
        base = view.base_scenario(base_choice, current, preset_paths)
        grid = view.two_fact_grid(base, x, xs, y, ys)
        if on_dask:
            bar = st.progress(0.0, text=f"Sweeping {len(grid)} scenarios on Dask ({target.text})")
            done = [0]

            def advance(n: int) -> None:
                done[0] += n
                bar.progress(min(1.0, done[0] / len(grid)), text=f"{done[0]} of {len(grid)} scenarios on Dask")

            df = frame(
                sweep_rows(
                    grid,
                    rulebase,
                    dask=target,
                    on_progress=advance,
                    on_dashboard=lambda link: st.link_button("Dask dashboard", link),
                )
            )
            bar.empty()
        else:
            df = frame(sweep_rows(grid, rulebase, jobs=1))
    except AdvisorError as err:
        st.error(str(err))
        return

    where = f"; computed on Dask ({target.text})" if on_dask else ""
    st.text(f"Base: {base.name}; {len(df)} scenarios; rule base {rulebase.label}{where}")
    table = view.pivot(df, x, y, shown, xs, ys)
    table = table.map(word)
    table.index = [word(i) for i in table.index]
    table.columns = [word(c) for c in table.columns]
    table = table.rename_axis(f"{path_label(y)} \\ {path_label(x)}").reset_index()
    st.subheader(f"{conclusion_label(shown)} by {path_label(y).lower()} and {path_label(x).lower()}")
    body = list(table.columns[1:])
    shown_words = [
        str(w) for text in [*table.columns[1:], *table.astype(str).to_numpy().ravel()] for w in str(text).split()
    ]
    st.html(pivot_css(len(table.columns), max(map(len, shown_words), default=1)))
    with st.container(key="sweep_pivot"):
        st.table(
            table.style.map(lambda val: f"background-color: {view.colour(val)}; color: #000", subset=body).hide(
                axis="index"
            )
        )

    cells = view.long_form(df, x, y, shown).copy()
    for col in (x, y, shown):
        cells[col] = cells[col].map(word)
    X, Y, SHOWN = path_label(x), path_label(y), conclusion_label(shown)
    cells = cells.rename(columns={x: X, y: Y, shown: SHOWN})
    heat = view.heat_map(cells, X, Y, SHOWN, ([word(v_) for v_ in xs], [word(v_) for v_ in ys]))
    st.altair_chart(heat, width="stretch")

    with st.expander("Full table (one row per scenario)"):
        st.dataframe(df, key="sweep_table")
    a, b = st.columns(2)
    a.download_button("Download CSV", to_bytes(df, "csv"), file_name="sweep.csv", mime="text/csv", key="sweep_csv")
    b.download_button(
        "Download Parquet",
        to_bytes(df, "parquet"),
        file_name="sweep.parquet",
        mime="application/vnd.apache.parquet",
        key="sweep_parquet",
    )


page()
