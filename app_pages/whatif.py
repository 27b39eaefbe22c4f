"""Why not / what if: failed conditions of an alternative, single changes that flip the
advice, a search for the changes that reach a target, and the unknowns that matter."""
import streamlit as st

from advisor.report.briefing import path_label, show
from advisor.report.markdown import esc
from advisor.slots import SLOTS
from advisor.ui import context, state, views, whatif

rulebase = context.rulebase()
scenario = state.current()
advice = context.advice()

st.title("Why not / what if")
st.caption(f"Scenario: {esc(scenario.name)}. Every answer below is computed by the real rule engine on "
           "changed copies of your scenario; your scenario itself is not changed until you apply a change.")
views.headline(advice)

SLOT_CHOICES = ["mandate", "structure", "hq", "partner", "function"]


def values_for(slot: str) -> list[str]:
    spec = SLOTS[slot]
    return list(spec.values or rulebase.knowledge.ids(spec.catalogue or ""))


def apply(changes) -> None:
    sc = state.current()
    for path, value in changes:
        sc = sc.with_value(path, value)
    state.replace(sc)


def change_text(path, value) -> str:
    return f"{path_label(path)} → {show(value)}"


tab_whynot, tab_flips, tab_target, tab_unknown = st.tabs(
    ["Why not…?", "What single change flips it?", "Make it…", "Unknowns that matter"])

with tab_whynot:
    c1, c2 = st.columns(2)
    slot = c1.selectbox("Conclusion", SLOT_CHOICES, key="whynot_slot", format_func=lambda s: SLOTS[s].label)
    value = c2.selectbox("Alternative", values_for(slot), key="whynot_value",
                         format_func=lambda x: rulebase.knowledge.title(x) if SLOTS[slot].catalogue else show(x))
    if advice.item(slot, value):
        st.success(f"{SLOTS[slot].label} {show(value)} is already the advice.")
        views.rationale(advice, slot, value, "whynot")
    checks = whatif.why_not(advice, slot, value)
    if not checks:
        st.info("No rule in the rule base concludes this; the concept gives no grounds for it here.")
    for rc in checks:
        status = "fired but was beaten on priority by " + rc.beaten_by if rc.beaten_by else (
            "fired" if rc.fired else "did not fire")
        st.markdown(f"**{esc(rc.title)}** `{rc.rule_id}` (priority {rc.priority}): {esc(status)}")
        rows = [{"test": c.text, "result": {True: "✓ holds", False: "✗ fails", None: "? unknown"}[c.truth],
                 "your value": show(c.value) if c.path else ""} for c in rc.checks]
        st.dataframe(rows, hide_index=True, width="stretch", key=f"whynot_table:{rc.rule_id}")

with tab_flips:
    st.markdown("Each row is one fact changed on its own, and what that does to the headline.")
    changes = whatif.single_changes(rulebase, scenario)
    if not changes:
        st.info("No single change of a fact alters the mandate, functions, structure or HQ.")
    rows = [{"fact": path_label(c.path), "now": show(c.before), "changed to": show(c.after),
             "effect": "; ".join(f"{k}: {show(a)} → {show(b)}" for k, (a, b) in c.changed.items())}
            for c in changes]
    if rows:
        st.dataframe(rows, hide_index=True, width="stretch", key="flips_table")

with tab_target:
    c1, c2 = st.columns(2)
    tslot = c1.selectbox("I want the", SLOT_CHOICES, key="target_slot", format_func=lambda s: SLOTS[s].label)
    tvalue = c2.selectbox("to be", values_for(tslot), key="target_value",
                          format_func=lambda x: rulebase.knowledge.title(x) if SLOTS[tslot].catalogue else show(x))
    found = whatif.search(rulebase, scenario, tslot, tvalue)
    if advice.item(tslot, tvalue):
        st.success("That is already the advice.")
    elif not found:
        st.warning("No change of one or two facts reaches this. Look at 'Why not…?' for what blocks it.")
    for i, combo in enumerate(found[:10]):
        cols = st.columns([4, 1])
        cols[0].markdown(" and ".join(esc(change_text(p, val)) for p, val in combo))
        cols[1].button("Apply", key=f"apply_target:{i}", on_click=apply, args=(combo,))

with tab_unknown:
    views.unknowns(advice, "whatif")
