"""Briefing export: Markdown, DOCX and PDF of the current scenario and its advice."""
import re

import streamlit as st

from advisor.report import FORMATS, build_briefing, render
from advisor.ui import context, state

scenario = state.current()
advice = context.advice()

st.title("Briefing export")
st.caption("A document a reader without the tool can follow: the scenario, the advice with the rules and "
           "concept sections behind each conclusion, the unknown facts that mattered, the rule-base version "
           "and hash, and the date.")
marking = st.text_input("Marking or caveat (printed on every page)", key="marking",
                        placeholder="e.g. EXERCISE ONLY – not an EU position")
briefing = build_briefing(advice, marking)
stem = re.sub(r"[^A-Za-z0-9_-]+", "_", scenario.name).strip("_") or "briefing"
cols = st.columns(3)
labels = {"md": "Markdown", "docx": "Word (DOCX)", "pdf": "PDF"}
for col, fmt in zip(cols, FORMATS):
    mime, ext = FORMATS[fmt]
    col.download_button(f"Download {labels[fmt]}", data=render(briefing, fmt),
                        file_name=f"briefing_{stem}{ext}", mime=mime, key=f"download_{fmt}")
st.subheader("Preview")
with st.container(border=True):
    st.markdown(render(briefing, "md").decode("utf-8"))
