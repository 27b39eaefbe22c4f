"""Library: save the current scenario, browse and search saved ones, open any version, diff two."""
import getpass

import pandas as pd
import streamlit as st

from advisor.errors import AdvisorError
from advisor.explain.render import render
from advisor.store.app import library
from advisor.ui import context, state

lib = library()
scenario = state.current()
rulebase = context.rulebase()

st.title("Scenario library")
st.caption("Every save is a new version (who, when, rule-base version). Nothing is overwritten: a save "
           "made from an older version is refused and both stay visible.")

with st.form("library_save"):
    name = st.text_input("Name", value=scenario.name, key="library_name")
    tags = st.text_input("Tags (comma separated)", key="library_tags")
    note = st.text_input("Note", key="library_note")
    saved = st.form_submit_button("Save current scenario as a new version")
if saved:
    try:
        known = {v.name: v.number for v in lib.list()}
        expected = st.session_state.get("library_opened", {}).get(name, known.get(name, 0))
        ver = lib.save(scenario, name=name, tags=[t for t in tags.split(",")], note=note,
                       author=getpass.getuser(), ruleset_version=rulebase.version, expected=expected)
        st.session_state.setdefault("library_opened", {})[ver.name] = ver.number
        st.success(f"Saved version {ver.number}.")
    except AdvisorError as exc:
        st.error(str(exc))

st.subheader("Saved scenarios")
query = st.text_input("Search by name", key="library_query")
tag = st.text_input("Tag", key="library_tag")
found = lib.search(query, tag=tag.strip() or None)
st.dataframe(pd.DataFrame([{"name": v.name, "version": v.number, "author": v.author,
                            "saved": v.created_at.strftime("%Y-%m-%d %H:%M"), "tags": ", ".join(v.tags)}
                           for v in found]), hide_index=True)
if found:
    chosen = st.selectbox("Scenario", [v.name for v in found], key="library_chosen")
    history = lib.versions(chosen)
    numbers = [v.number for v in history]
    number = st.selectbox("Version", numbers, index=len(numbers) - 1, key="library_version")
    cols = st.columns(2)
    if cols[0].button("Open this version", key="library_open"):
        state.replace(lib.version(chosen, number).scenario())
        st.session_state.setdefault("library_opened", {})[chosen] = numbers[-1]
        st.rerun()
    if cols[1].button("Delete (can be undone)", key="library_delete"):
        lib.delete(chosen)
        st.session_state["library_undo"] = chosen
        st.rerun()
    if len(numbers) > 1:
        a = st.selectbox("Compare version", numbers, index=len(numbers) - 2, key="library_diff_a")
        b = st.selectbox("with version", numbers, index=len(numbers) - 1, key="library_diff_b")
        st.text(render(lib.diff(chosen, a, b, rulebase), "text"))
if st.session_state.get("library_undo"):
    if st.button(f"Undo delete of {st.session_state['library_undo']}", key="library_undelete"):
        lib.undelete(st.session_state.pop("library_undo"))
        st.rerun()
