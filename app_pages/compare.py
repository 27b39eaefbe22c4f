"""Compare two to four scenarios side by side; differences highlighted and traced to rules.

The facts and conclusions that differ, and the rules behind each side, come from the
explanation layer's scenario diff (advisor.explain.compare)."""

import pandas as pd
import streamlit as st

from advisor.explain import compare
from advisor.explain.words import condition_sentence
from advisor.report.briefing import path_label, show
from advisor.report.markdown import esc
from advisor.slots import SLOTS
from advisor.ui import context, resources, state, views

rulebase = context.rulebase()
presets = resources.presets()

st.title("Compare scenarios")
current = state.current()
CURRENT = f"Current: {current.name}"
pool = {CURRENT: current}
pool.update({f"Snapshot: {k}": sc for k, sc in st.session_state.get(state.SAVED, {}).items()})
pool.update({f"Preset: {k}": sc for k, sc in presets.scenarios.items()})
# By default the current scenario against the first one with other facts, never against itself.
other = next((k for k, sc in pool.items() if k != CURRENT and sc.to_dict() != current.to_dict()), None)
default = [CURRENT] + ([other] if other else [])
picked = st.multiselect(
    "Scenarios to compare (two to four)", list(pool), default=default, key="compare_pick", max_selections=4
)


def page() -> None:
    """The comparison of the picked scenarios (a function so that too few picked can return
    early: st.stop() would also end app.py's frame after the page, the sidebar's Undo included)."""

    def column_names(keys) -> list[str]:
        """Each column named by its scenario's name; the source is added only where names clash."""
        names = [pool[k].name for k in keys]
        return [n if names.count(n) == 1 else f"{n} ({k.split(':', 1)[0].lower()})" for n, k in zip(names, keys)]

    columns = column_names(picked)

    # Cached per (scenario, rule-base version), shared with the other pages: a rerun of this
    # page (a pick, a widget) recomputed every column's advice and its unknowns analysis.
    advices = {col: context.advice_for(pool[key], rulebase) for col, key in zip(columns, picked)}
    ROWS = [
        ("Mandate", "mandate"),
        ("Functions", "function"),
        ("Structure", "structure"),
        ("HQ location", "hq"),
        ("Partners", "partner"),
        ("Warnings", "warning"),
    ]

    def cell(adv, slot) -> str:
        if SLOTS[slot].single:
            item = adv.one(slot)
            return show(item.value) if item else "—"
        return (
            ", ".join(adv.rulebase.knowledge.title(x) if SLOTS[slot].catalogue else show(x) for x in adv.values(slot))
            or "—"
        )

    advice_rows = {label: {n: cell(a, slot) for n, a in advices.items()} for label, slot in ROWS}
    advice_rows["Objectives (count)"] = {n: str(len(a.items.get("objective", ()))) for n, a in advices.items()}
    advice_rows["Tasks (count)"] = {n: str(len(a.items.get("task", ()))) for n, a in advices.items()}
    advice_rows["Unknown facts that mattered"] = {
        n: ", ".join(map(path_label, a.unknown_that_mattered)) or "—" for n, a in advices.items()
    }
    table = pd.DataFrame(advice_rows).T

    def highlight(row):
        """Only the cells that differ from the first scenario's, so the eye lands on the difference."""
        return [
            "" if i == 0 or value == row.iloc[0] else "background-color: #fff3cd; font-weight: 600"
            for i, value in enumerate(row)
        ]

    def show_table(frame: pd.DataFrame, first: str) -> None:
        # st.table wraps long labels and values instead of cutting them; the row labels become a
        # named first column so no header cell is empty.
        # st.table draws every cell and header as Markdown: scenario names and values are user
        # text, so each is escaped to show literally (`$x^2$` stays `$x^2$`, not maths).
        frame = frame.rename_axis(first).reset_index().map(lambda x: esc(str(x)))
        frame.columns = [esc(str(c)) for c in frame.columns]
        body = frame.columns[1:]
        styled = frame.style.apply(lambda r: [""] + highlight(r[body]), axis=1).hide(axis="index")
        st.table(styled)

    st.subheader("Advice")
    st.caption(f"Cells that differ from the first scenario ({esc(columns[0])}) are highlighted.")
    show_table(table, "Advice")

    comparison = compare(rulebase, tuple(pool[key] for key in picked))

    st.subheader("Facts that differ")
    if comparison.facts:
        fact_rows = {path_label(f.path): dict(zip(columns, map(show, f.values))) for f in comparison.facts}
        show_table(pd.DataFrame(fact_rows).T, "Fact")
    else:
        st.info("The scenarios have the same facts.")

    def conclusion_label(diff) -> str:
        """The conclusion in the planner's words, as the comparison names it (knowledge titles)."""
        return diff.title[:1].upper() + diff.title[1:]

    def rule_names(ids) -> str:
        """Rules as a planner names them (title and §); the id follows in code for rule authors."""
        return "; ".join(f"**{esc(comparison.rule_name(r))}** `{r}`" for r in ids)

    def side_lines(side, name: str) -> list[str]:
        """One scenario's side of a differing conclusion, from the evaluation only: the rules that
        concluded it; or those that fired, proposed it and lost on priority (side.proposed), and
        every other rule that could have concluded it with the conditions that kept it from firing."""
        decisive = (
            f" (differing facts: {esc(', '.join(path_label(p) for p in side.decisive))})" if side.decisive else ""
        )
        if side.present:
            return [f"- {esc(name)}: **yes**, concluded by {rule_names(side.rules)}{decisive}"]
        if not side.checks and not side.proposed:
            return [f"- {esc(name)}: **no**, no rule concludes it"]
        if side.proposed:
            head = (
                f"- {esc(name)}: **no**, proposed by {rule_names(side.proposed)} (fired) but beaten on priority "
                f"by {rule_names(side.beaten_by)}{decisive}"
            )
        else:
            head = f"- {esc(name)}: **no** ({esc(side.status)}){decisive}"
        out = [head]
        for check in side.checks:
            if check.rule_id in side.proposed or check.fired:
                continue
            out.append(f"  - {rule_names((check.rule_id,))}: did not fire")
            out += [
                f"    - {views.MARK.get(a.status, '?')} needs {esc(condition_sentence(a))}"
                for a in check.failed + check.unknown
            ]
        return out

    st.subheader("Why the advice differs")
    st.caption(
        "Each conclusion present for some scenarios and not for others, with the rules that concluded it "
        "and, where it is missing, the conditions that kept it out."
    )
    if not comparison.conclusions:
        st.info("The scenarios get the same advice.")
    HEADLINE_SLOTS = ("mandate", "function", "mandate_option", "structure", "hq", "partner")

    def summary(diff) -> str:
        """One line per differing conclusion: which scenarios have it; the trace is folded below."""
        have = [esc(n) for side, n in zip(diff.sides, columns) if side.present]
        lack = [esc(n) for side, n in zip(diff.sides, columns) if not side.present]
        return f"**{esc(conclusion_label(diff))}**: yes for {', '.join(have) or 'none'}; no for {', '.join(lack) or 'none'}"

    ordered = sorted(comparison.conclusions, key=lambda d: d.slot not in HEADLINE_SLOTS)
    st.markdown("\n".join(f"- {summary(d)}" for d in ordered))
    with st.expander(f"How each of the {len(ordered)} differences is traced to rules and facts"):
        for diff in ordered:
            lines = [line for side, name in zip(diff.sides, columns) for line in side_lines(side, name)]
            st.markdown(f"**{esc(conclusion_label(diff))}**\n\n" + "\n".join(lines))


if len(picked) < 2:
    st.info("Pick at least two scenarios. Save snapshots of your own on the Workspace page.")
else:
    page()
