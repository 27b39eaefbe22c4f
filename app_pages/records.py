"""Records: record a briefing of the current scenario, list past briefings, re-check one."""

import json

import pandas as pd
import streamlit as st

from advisor.errors import AdvisorError
from advisor.report.markdown import esc
from advisor.store.app import library
from advisor.ui import context, state

lib = library()
rulebase = context.rulebase()

st.title("Briefing records")
st.caption(
    "A record is immutable: the scenario, the full advice, the rule-base version and sha256, the "
    "marking, author and time. Re-check shows what today's rule base would advise differently."
)
marking = st.text_input("Marking", value=st.session_state.get("records_marking", ""), key="records_marking_in")
st.session_state["records_marking"] = marking  # why: a widget's own key is dropped on page change
if st.button("Record a briefing of the current scenario", key="records_add"):
    try:
        rec = lib.record(state.current(), rulebase, marking=marking)
        st.success(f"Recorded briefing {rec.id}.")
    except AdvisorError as exc:  # NotAllowed: the Library's own words
        st.error(esc(str(exc)))

recs = lib.records()
st.dataframe(
    pd.DataFrame(
        [
            {
                "id": r.id,
                "time": r.created_at.strftime("%Y-%m-%d %H:%M"),
                "author": r.author,
                "marking": r.marking,
                "rule base": f"{r.ruleset_version} ({r.ruleset_sha256[:12]})",
                "scenario": r.scenario_name,
            }
            for r in recs
        ]
    ),
    hide_index=True,
)
if recs:
    rid = st.selectbox("Record", [r.id for r in recs], index=len(recs) - 1, key="records_chosen")
    report = lib.recheck(rid, rulebase)
    if not report.changes:
        st.text(f"Record {rid}: today's rule base {report.ruleset_now} gives the same advice.")
    for c in report.changes:
        st.text(
            f"{c.part} changed\n  then: {json.dumps(c.then, ensure_ascii=False)}\n"
            f"  now:  {json.dumps(c.now, ensure_ascii=False)}\n"
            f"  rules then: {', '.join(c.rules_then) or '-'}\n  rules now: {', '.join(c.rules_now) or '-'}"
        )
if lib.actor.may("grant"):
    with st.expander("Audit log (admins): every save, record, delete, grant and sign-in"):
        st.dataframe(pd.DataFrame([e.to_json() for e in lib.audit_log(500)]), hide_index=True)
