"""Why not / what if: failed conditions of an alternative, single changes that flip the
advice, a search for the changes that reach a target, and the unknowns that matter.
All of it comes from the explanation layer (advisor.explain) over the real engine."""

import pandas as pd
import streamlit as st

from advisor.explain import (
    Target,
    explain_why,
    flips,
    missing_facts,
    search_target,
    why_not,
)
from advisor.explain.render_dot import why_dot, why_not_dot
from advisor.explain.sentences import why_not_sentences
from advisor.explain.targets import allowed_values
from advisor.explain.words import condition_sentence
from advisor.report.briefing import path_label, show
from advisor.report.markdown import esc
from advisor.slots import SLOTS
from advisor.ui import context, state, views

rulebase = context.rulebase()
scenario = state.current()
advice = context.advice()

st.title("Why not / what if")
st.caption(
    f"Scenario: {esc(scenario.name)}. Every answer is computed by the real rule engine on changed "
    "copies of your scenario; your scenario changes only when you press Apply or answer a question."
)
views.headline(advice)

SLOT_CHOICES = ["mandate", "structure", "hq", "partner", "function", "warning", "objective", "task"]


def once(what: tuple, compute):
    """compute() once per advice shown and `what` (a tab and its question), kept in the session.

    The flips, the target search and the unknowns each evaluate the scenario tens of times;
    opening a tab again, or a rerun from the sidebar, asks the same question. The app's advice
    cache returns the same Advice for the same scenario and rule-base version, so it stands for
    both; holding it here keeps it alive, so `is` cannot match a newer one by a reused id.
    """
    memo = st.session_state.get(MEMO, {})
    if what in memo and memo[what][0] is advice:
        return memo[what][1]
    result = compute()
    # Only this advice's answers are kept: a changed scenario drops the others.
    memo = {k: v for k, v in memo.items() if v[0] is advice} | {what: (advice, result)}
    st.session_state[MEMO] = memo
    return result


MEMO = "_whatif_answers"


def label(slot: str, value: str) -> str:
    return rulebase.knowledge.title(value) if SLOTS[slot].catalogue else show(value)


def apply(changes) -> None:
    sc = state.current()
    for c in changes:
        sc = sc.with_value(c.path, c.after)
    state.replace(sc)


def atom_words(atom) -> str:
    """A checked condition in the planner's words, with what the scenario has now."""
    return f"{views.MARK.get(atom.status, '?')} needs {esc(condition_sentence(atom))}"


def tree_lines(node, depth=0) -> list[str]:
    pad = "  " * depth
    if node.atom is not None:
        return [f"{pad}- {atom_words(node.atom)}"]
    out = [
        f"{pad}- {views.MARK.get(node.status, '?')} {'all of' if node.op == 'all' else 'any of' if node.op == 'any' else esc(node.op)}:"
    ]
    for child in node.children:
        out += tree_lines(child, depth + 1)
    return out


def why_not_panel() -> None:
    """Why one alternative conclusion was not reached: its rules, checked condition by condition."""
    c1, c2 = st.columns(2)
    slot = c1.selectbox("Conclusion", SLOT_CHOICES, key="whynot_slot", format_func=lambda s: SLOTS[s].label)
    value = c2.selectbox(
        "Alternative", allowed_values(rulebase, slot), key="whynot_value", format_func=lambda x: label(slot, x)
    )
    report = why_not(advice, Target(slot, value))
    st.markdown(f"**Status:** {esc(report.status)}" + (f"; now: {esc(show(report.current))}" if report.current else ""))
    sentences = why_not_sentences(report)
    if sentences:
        st.markdown("\n".join(f"- {esc(line)}" for line in sentences))
    if report.status == "concluded":
        views.rationale(advice, slot, value, "whynot")
    if not report.rules:
        st.info("No rule in the rule base concludes this: the concept gives no grounds for it here.")
    for b in report.beaten:
        st.markdown(
            f"- **{esc(b.title)}** (priority {b.priority}) concluded it but lost to "
            f"**{esc(b.winner_title)}** (priority {b.winner_priority})"
        )
    if report.unknown_that_could_change:
        st.warning(
            "Knowing these could change the answer: "
            + esc(", ".join(path_label(p) for p in report.unknown_that_could_change))
        )
    with st.expander(f"Each of the {len(report.rules)} rules that conclude it, checked"):
        for rc in report.rules:
            st.markdown(
                f"**{esc(rc.title)}** ({esc(', '.join(rc.section_labels))}; priority {rc.priority}): "
                f"{'fired' if rc.fired else 'did not fire'}  \n`{rc.rule_id}`"
            )
            st.markdown("\n".join(tree_lines(rc.tree)))
    if report.rules and st.checkbox("Show as a graph (full width)", key="whynot_graph"):
        st.graphviz_chart(why_not_dot(report), width="stretch")


def flips_panel() -> None:
    """Every single fact change that alters the headline, tried on copies of the scenario."""
    report = once(("flips",), lambda: flips(rulebase, scenario))
    st.caption(f"{report.tried} single changes tried ({report.evaluations} evaluations).")
    rows = [
        {
            "conclusion": {"partners": "Partners"}.get(f.slot, SLOTS[f.slot].label if f.slot in SLOTS else f.slot),
            "now": show(f.before),
            # The change in one cell ("Host consent: yes → no"): six columns did not fit 800 px.
            "change": f"{path_label(f.change.path)}: {show(f.change.before)} → {show(f.change.after)}"
            + (f" (or {show(f.change.alternatives)})" if f.change.alternatives else ""),
            "becomes": show(f.after),
        }
        for f in report.flips
    ]
    if rows:
        # An HTML table, not the canvas grid: cells wrap, so every column ("becomes" last)
        # stays on screen at 800 px and can be read and checked like any page text.
        # st.table draws cells as Markdown: every cell is escaped so user text shows literally.
        frame = pd.DataFrame(rows).map(lambda x: esc(str(x)))
        frame.columns = [c.capitalize() for c in frame.columns]
        st.table(frame.style.hide(axis="index"))
    else:
        st.info("No single change of a fact alters the mandate, structure, HQ or partners.")


def target_panel() -> None:
    """The smallest sets of fact changes that reach a chosen conclusion, each with Apply."""
    c1, c2 = st.columns(2)
    tslot = c1.selectbox("I want the", SLOT_CHOICES, key="target_slot", format_func=lambda s: SLOTS[s].label)
    tvalue = c2.selectbox(
        "to be", allowed_values(rulebase, tslot), key="target_value", format_func=lambda x: label(tslot, x)
    )
    search = once(("target", tslot, tvalue), lambda: search_target(rulebase, scenario, Target(tslot, tvalue)))
    if search.status == "already":
        st.success("That is already the advice.")
    elif not search.solutions:
        st.warning(
            f"No set of changes found ({esc(search.status)}; sets up to {search.searched_up_to} fact(s) "
            "tried). Look at 'Why not…?' for what blocks it."
        )
    else:
        st.markdown(
            f"Smallest change set: {search.size} fact(s)" + (", and no smaller set exists." if search.minimal else ".")
        )
    for i, combo in enumerate(search.solutions[:10]):
        cols = st.columns([4, 1])
        cols[0].markdown(" and ".join(esc(f"{path_label(c.path)}: {show(c.before)} → {show(c.after)}") for c in combo))
        cols[1].button("Apply", key=f"apply_target:{i}", on_click=apply, args=(combo,))


def unknowns_panel() -> None:
    """Unknown facts ranked by how much of the advice they could change, answerable in one click."""
    report = once(("unknowns",), lambda: missing_facts(rulebase, scenario))
    if not report.facts:
        st.success("No unknown fact would change this advice.")
    for rank, fact in enumerate(report.facts, 1):
        slots = ", ".join(fact.headline_slots) or "details only"
        st.markdown(
            f"**{rank}. {esc(path_label(fact.path))}** ({esc(fact.section)}): can change {esc(slots)}; "
            f"up to {fact.max_changes} conclusions"
        )
        cols = st.columns(min(len(fact.impacts), 5) or 1)
        for i, impact in enumerate(fact.impacts):
            effect = (
                "; ".join(f"{s}: {show(a)} → {show(b)}" for s, a, b in impact.headline)
                or f"+{len(impact.added)} −{len(impact.removed)}"
            )
            cols[i % len(cols)].button(
                show(impact.change.after),
                key=f"missing:{fact.path}:{i}",
                help=effect,
                on_click=apply,
                args=((impact.change,),),
            )


def graph_panel() -> None:
    """The rule chain of one conclusion, or of the whole headline, as a full-width graph."""
    # Full page width: the rule chain of one conclusion, or of the whole headline at once.
    HEADLINE_CHOICE = ("", "")
    concluded = [
        (i.slot, i.value)
        for s_ in (
            "mandate",
            "structure",
            "hq",
            "partner",
            "function",
            "warning",
            "objective",
            "task",
            "expertise",
            "planning_step",
        )
        for i in advice.items.get(s_, ())
    ]
    pick = st.selectbox(
        "Rule chain of",
        [HEADLINE_CHOICE] + concluded,
        key="graph_target",
        format_func=lambda k: (
            "Mandate, structure, HQ and partners" if k == HEADLINE_CHOICE else f"{SLOTS[k[0]].label}: {label(*k)}"
        ),
    )
    report = explain_why(advice, None if pick == HEADLINE_CHOICE else (Target(*pick),))
    st.caption(
        "Read left to right: the scenario's facts (yellow), the rules that used them (white, with "
        "their concept sections), what those rules concluded (green) and the advice (blue). "
        "Dashed boxes are conclusions a rule required to be absent."
    )
    if any(e.because for e in report.entries):
        st.graphviz_chart(why_dot(report), width="stretch")
    else:
        st.info("No rule concluded anything to draw.")


# Only the open tab is drawn (as the Workspace's advice tabs): each tab runs the engine on
# changed copies of the scenario (flips, target search, unknowns), and st.tabs would otherwise
# compute and send all five on every rerun. Opening a tab reruns the page.
PANELS = {
    "Why not…?": why_not_panel,
    "What single change flips it?": flips_panel,
    "Make it…": target_panel,
    "Unknowns that matter": unknowns_panel,
    "Rule-chain graph": graph_panel,
}
TAB_KEY = "whatif_tab"
for tab, draw in zip(st.tabs(list(PANELS), key=TAB_KEY, on_change="rerun"), PANELS.values()):
    with tab:
        if tab.open:
            draw()
