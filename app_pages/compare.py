"""Compare two to four scenarios side by side; differences highlighted and traced to rules."""
import pandas as pd
import streamlit as st

from advisor import vocabulary as v
from advisor.report.briefing import path_label, show
from advisor.report.markdown import esc
from advisor.service import advise
from advisor.slots import SLOTS
from advisor.ui import context, resources, state

rulebase = context.rulebase()
presets = resources.presets()

st.title("Compare scenarios")
CURRENT = "Current scenario"
pool = {CURRENT: state.current()}
pool.update({f"Snapshot: {k}": sc for k, sc in st.session_state.get(state.SAVED, {}).items()})
pool.update({f"Preset: {k}": sc for k, sc in presets.scenarios.items()})
default = [CURRENT] + [k for k in pool if k != CURRENT][:1]
picked = st.multiselect("Scenarios to compare (two to four)", list(pool), default=default, key="compare_pick",
                        max_selections=4)
if len(picked) < 2:
    st.info("Pick at least two scenarios. Save snapshots of your own on the Workspace page.")
    st.stop()

advices = {name: advise(rulebase, pool[name]) for name in picked}
ROWS = [("Mandate", "mandate"), ("Functions", "function"), ("Structure", "structure"), ("HQ location", "hq"),
        ("Partners", "partner"), ("Warnings", "warning")]


def cell(adv, slot) -> str:
    if SLOTS[slot].single:
        item = adv.one(slot)
        return show(item.value) if item else "—"
    return ", ".join(adv.rulebase.knowledge.title(x) if SLOTS[slot].catalogue else show(x)
                     for x in adv.values(slot)) or "—"


advice_rows = {label: {n: cell(a, slot) for n, a in advices.items()} for label, slot in ROWS}
advice_rows["Objectives (count)"] = {n: str(len(a.items.get("objective", ()))) for n, a in advices.items()}
advice_rows["Tasks (count)"] = {n: str(len(a.items.get("task", ()))) for n, a in advices.items()}
advice_rows["Unknown facts that mattered"] = {n: ", ".join(a.unknown_that_mattered) or "—"
                                              for n, a in advices.items()}
table = pd.DataFrame(advice_rows).T


def highlight(row):
    differs = row.nunique() > 1
    return ["background-color: #fff3cd" if differs else "" for _ in row]


st.subheader("Advice")
st.caption("Rows where the scenarios disagree are highlighted.")
st.dataframe(table.style.apply(highlight, axis=1), width="stretch", key="compare_advice")

st.subheader("Facts that differ")
fact_rows = {}
for path in v.PATHS:
    values = {n: show(pool[n].get(path)) for n in picked}
    if len(set(values.values())) > 1:
        fact_rows[path_label(path)] = values
if fact_rows:
    st.dataframe(pd.DataFrame(fact_rows).T, width="stretch", key="compare_facts")
else:
    st.info("The scenarios have the same facts.")

st.subheader("Why the advice differs")
for label, slot in ROWS:
    if len(set(advice_rows[label].values())) <= 1:
        continue
    st.markdown(f"**{label}**")
    for name, adv in advices.items():
        items = adv.items.get(slot, ())
        if not items:
            conflict = next((c for c in adv.conflicts if c.slot == slot), None)
            why = ("conflict: " + ", ".join(conflict.rules)) if conflict else "no rule concluded it"
            st.markdown(f"- {esc(name)}: {why}")
            continue
        others = [a for n, a in advices.items() if n != name]
        for item in items:
            if all(o.item(slot, item.value) for o in others):
                continue  # shared by every scenario: not a difference
            rules = "; ".join(f"`{r}` {esc(adv.rulebase.rule(r).title)}" for r in item.because)
            facts = []
            for f in adv.evaluation.firings:
                if f.rule_id in item.because:
                    facts += [f"{path_label(m.name)} = {show(m.value)}" for m in f.matched if m.kind == "fact"]
            shown = adv.rulebase.knowledge.title(item.value) if SLOTS[slot].catalogue else show(item.value)
            st.markdown(f"- {esc(name)}: **{esc(shown)}** because {rules}"
                        + (f" (matched: {esc(', '.join(dict.fromkeys(facts)))})" if facts else ""))
