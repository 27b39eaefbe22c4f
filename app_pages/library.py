"""Library: save the current scenario, browse and search saved ones, open any version, diff two."""

import pandas as pd
import streamlit as st

from advisor.errors import AdvisorError
from advisor.explain.render import render
from advisor.report.markdown import esc
from advisor.store.app import library, opened, save_control
from advisor.ui import context, state

lib = library()
scenario = state.current()
rulebase = context.rulebase()

st.title("Scenario library")
st.caption(
    "Every save is a new version (who, when, rule-base version). Nothing is overwritten: a save "
    "made from an older version is refused and both stay visible."
)
st.caption(f"You: {esc(lib.actor.name)} ({lib.actor.role}). Readers read; planners save, delete and record.")
save_control(scenario, rulebase, key="library")

st.subheader("Saved scenarios")
query = st.text_input("Search by name", key="library_query")
tag = st.text_input("Tag", key="library_tag")
found = lib.search(query, tag=tag.strip() or None)
st.dataframe(
    pd.DataFrame(
        [
            {
                "name": v.name,
                "version": v.number,
                "author": v.author,
                "saved": v.created_at.strftime("%Y-%m-%d %H:%M"),
                "tags": ", ".join(v.tags),
            }
            for v in found
        ]
    ),
    hide_index=True,
)
if found:
    chosen = st.selectbox("Scenario", [v.name for v in found], key="library_chosen")
    history = lib.versions(chosen)
    numbers = [v.number for v in history]
    number = st.selectbox("Version", numbers, index=len(numbers) - 1, key="library_version")
    cols = st.columns(2)
    if cols[0].button("Open this version", key="library_open"):
        state.replace(lib.version(chosen, number).scenario())
        opened(chosen, numbers[-1])
        st.rerun()
    if cols[1].button("Delete (can be undone)", key="library_delete"):
        try:
            lib.delete(chosen)
            st.session_state["library_undo"] = chosen
            st.rerun()
        except AdvisorError as exc:  # NotAllowed: the Library's own words
            st.error(esc(str(exc)))
    if len(numbers) > 1:
        a = st.selectbox("Compare version", numbers, index=len(numbers) - 2, key="library_diff_a")
        b = st.selectbox("with version", numbers, index=len(numbers) - 1, key="library_diff_b")
        st.text(render(lib.diff(chosen, a, b, rulebase), "text"))
if st.session_state.get("library_undo"):
    if st.button(f"Undo delete of {st.session_state['library_undo']}", key="library_undelete"):
        lib.undelete(st.session_state.pop("library_undo"))
        st.rerun()
