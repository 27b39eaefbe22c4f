"""Compare two to four scenarios side by side; differences highlighted and traced to rules.

The facts and conclusions that differ, and the rules behind each side, come from the
explanation layer's scenario diff (advisor.explain.compare)."""
import pandas as pd
import streamlit as st

from advisor.explain import compare
from advisor.report.briefing import path_label, show
from advisor.report.markdown import esc
from advisor.service import advise
from advisor.slots import SLOTS
from advisor.ui import context, resources, state, views

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

comparison = compare(rulebase, tuple(pool[name] for name in picked))

st.subheader("Facts that differ")
if comparison.facts:
    fact_rows = {path_label(f.path): dict(zip(picked, map(show, f.values))) for f in comparison.facts}
    st.dataframe(pd.DataFrame(fact_rows).T, width="stretch", key="compare_facts")
else:
    st.info("The scenarios have the same facts.")


def conclusion_label(slot: str, value: str) -> str:
    shown = rulebase.knowledge.title(value) if SLOTS[slot].catalogue else show(value)
    return f"{SLOTS[slot].label}: {shown}"


def rule_names(ids) -> str:
    return "; ".join(f"`{r}` {esc(rulebase.rule(r).title)}" for r in ids)


def side_lines(side, name: str) -> list[str]:
    """One scenario's side of a differing conclusion: the rules that gave it, or what kept it out."""
    decisive = f" (differing facts: {esc(', '.join(path_label(p) for p in side.decisive))})" if side.decisive else ""
    if side.present:
        return [f"- {esc(name)}: **yes**, concluded by {rule_names(side.rules)}{decisive}"]
    if side.status == "overridden":
        return [f"- {esc(name)}: **no**, proposed by {rule_names(side.rules)} but beaten on priority by "
                f"{rule_names(side.beaten_by)}{decisive}"]
    if not side.checks:
        return [f"- {esc(name)}: **no**, no rule concludes it"]
    out = [f"- {esc(name)}: **no** ({esc(side.status)}){decisive}"]
    for check in side.checks:
        out.append(f"  - `{check.rule_id}` {esc(check.title)}: {'fired' if check.fired else 'did not fire'}")
        out += [f"    - {views.atom_line(a)}" for a in check.failed + check.unknown]
    return out


st.subheader("Why the advice differs")
st.caption("Each conclusion present for some scenarios and not for others, with the rules that concluded it "
           "and, where it is missing, the conditions that kept it out.")
if not comparison.conclusions:
    st.info("The scenarios get the same advice.")
HEADLINE_SLOTS = ("mandate", "function", "mandate_option", "structure", "hq", "partner")
for diff in comparison.conclusions:
    lines = [line for side, name in zip(diff.sides, picked) for line in side_lines(side, name)]
    if diff.slot in HEADLINE_SLOTS:
        st.markdown(f"**{esc(conclusion_label(diff.slot, diff.value))}**")
        st.markdown("\n".join(lines))
    else:
        with st.expander(esc(conclusion_label(diff.slot, diff.value))):
            st.markdown("\n".join(lines))
