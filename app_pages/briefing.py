"""Briefing export: Markdown, DOCX and PDF of the current scenario and its advice.

Documents are rendered only when a download is asked for (deferred download_button data)
and cached per scenario, rule base and marking (advisor/ui/documents.py).
"""

import functools
import re

import streamlit as st

from advisor.report import FORMATS, build_briefing
from advisor.store import app as store  # issue 13: store hook
from advisor.ui import context, documents, state

scenario = state.current()
rulebase = context.rulebase()

st.title("Briefing export")
st.caption(
    "A document a reader without the tool can follow: the scenario, the advice with the rules and "
    "concept sections behind each conclusion, the unknown facts that mattered, the rule-base version "
    "and hash, and the date."
)
store.keep_marking("marking")  # issue 13: the marking survives other pages, reloads and restarts
marking = st.text_input(
    "Marking or caveat (printed on the header and footer of every page)",
    value=state.shown("marking", ""),  # why: a late-loading browser must not send "" back (state.shown)
    key="marking",
    placeholder="e.g. EXERCISE ONLY – not an EU position",
)
doc_key = documents.key(scenario, rulebase, marking)


@functools.cache
def briefing():
    # Built at most once per run, and only if some document is not cached yet.
    return build_briefing(context.advice_for(scenario, rulebase), marking)


stem = re.sub(r"[^A-Za-z0-9_-]+", "_", scenario.name).strip("_") or "briefing"
cols = st.columns(3)
labels = {"md": "Markdown", "docx": "Word (DOCX)", "pdf": "PDF"}
for col, fmt in zip(cols, FORMATS):
    mime, ext = FORMATS[fmt]
    col.download_button(
        f"Download {labels[fmt]}",
        data=functools.partial(documents.document, doc_key, fmt, briefing),
        file_name=f"briefing_{stem}{ext}",
        mime=mime,
        key=f"download_{fmt}",
        on_click="ignore",
    )
store.record_control(scenario, rulebase, marking)  # issue 13: store hook
st.subheader("Preview")
with st.container(border=True):
    st.markdown(documents.document(doc_key, "md", briefing).decode("utf-8"))
