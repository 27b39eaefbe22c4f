"""Streamlit renderers shared by the pages: headline, items with rationale, unknowns.

Everything shown comes from Advice and its rule base; free text (scenario names, rule
titles) goes through `esc` so it is shown literally, never as HTML or Markdown.
"""

from __future__ import annotations

import streamlit as st

from .. import vocabulary as v
from ..advice import Advice, Item
from ..explain import Target, explain_why
from ..explain.render_dot import why_dot
from ..explain.words import absent_words
from ..report.briefing import path_label, show, walk
from ..report.markdown import esc
from ..slots import SLOTS
from . import glance, state, viewer


def sections(advice: Advice, ids) -> str:
    return ", ".join(advice.rulebase.knowledge.section_labels(ids))


def why_markdown(advice: Advice, slot: str, value: str) -> str:
    """The explanation layer's why-tree of one conclusion as nested Markdown, text escaped."""
    lines = []
    for depth, node in walk(explain_why(advice, (Target(slot, value),)).entries[0].because):
        pad = "  " * depth
        sections = ", ".join(node.section_labels)
        lines.append(f"{pad}- **{esc(node.title)}** `{node.rule_id}` ({esc(sections)})")
        lines.append(f"{pad}  {esc(node.rationale)}")
        for f in node.facts:
            lines.append(f"{pad}  - fact: {esc(path_label(f.path))} = **{esc(show(f.value))}** ({esc(f.words)})")
        for name in node.absent:
            lines.append(f"{pad}  - needs: {esc(absent_words(name, advice.rulebase.knowledge))}")
    return "\n".join(lines) or "_No rule concluded this._"


MARK = {"held": "✓", "failed": "✗", "unknown": "?"}


def atom_line(atom) -> str:
    """One checked test of a rule (advisor.explain.checks.AtomCheck): mark, test, the scenario's value."""
    have = f"; you have {show(atom.actual)}" if atom.kind == "fact" else ""
    return f"{MARK.get(atom.status, '?')} {esc(atom.text)}{esc(have)}"


def rationale(advice: Advice, slot: str, value: str, key: str) -> None:
    """The why-tree of one item, and its rule-chain graph on request."""
    st.markdown(why_markdown(advice, slot, value))
    if st.checkbox("Show the rule-chain graph", key=f"graph:{key}:{slot}:{value}"):
        st.graphviz_chart(why_dot(explain_why(advice, (Target(slot, value),))))


def headline(advice: Advice, key: str = "headline") -> None:
    """Mandate, structure and HQ with the main reason for each, as one element (viewer.py)."""
    viewer.draw(glance.headline_view(advice), key)


def lazy_expander(label: str, key: str):
    """An expander whose body is drawn only while it is open (`.open`); opening it reruns.

    A closed expander's body is still sent to the browser and drawn there; with dozens of
    items, each a why-tree, that was most of what a fact change cost.
    """
    return st.expander(label, key=key, on_change="rerun")


def item_list(advice: Advice, items, key: str) -> None:
    kn = advice.rulebase.knowledge
    for item in items:
        entry = kn.get(item.value)
        title = kn.title(item.value)
        box = lazy_expander(f"{title}  ·  {sections(advice, item.sections)}", f"item:{key}:{item.slot}:{item.value}")
        with box:
            if not box.open:
                continue
            if entry is not None and entry.summary:
                st.markdown(esc(entry.summary))
            if entry is not None and "role" in entry.extra:
                st.markdown("**Role:** " + esc(str(entry.extra["role"])))
            st.markdown("**Why**")
            rationale(advice, item.slot, item.value, key)


def by_area(advice: Advice, key: str) -> None:
    kn = advice.rulebase.knowledge
    groups: dict[str, list[Item]] = {}
    for slot in ("objective", "task"):
        for item in advice.items.get(slot, ()):
            e = kn.get(item.value)
            groups.setdefault(str(e.extra.get("area", "")) if e else "", []).append(item)
    if not groups:
        st.info("No objectives or tasks concluded.")
    for area in ("",) + v.AREAS + tuple(a for a in groups if a not in v.AREAS and a):
        if area not in groups:
            continue
        st.markdown("#### " + ("Overall" if not area else esc(kn.title(area))))
        objectives = [i for i in groups[area] if i.slot == "objective"]
        tasks = [i for i in groups[area] if i.slot == "task"]
        if objectives:
            st.markdown("*Objectives*")
            item_list(advice, objectives, key)
        if tasks:
            st.markdown("*Tasks*")
            item_list(advice, tasks, key)


def partners_table(advice: Advice) -> None:
    kn = advice.rulebase.knowledge
    rows = []
    for item in advice.items.get("partner", ()):
        e = kn.get(item.value)
        rows.append(
            {
                "partner": kn.title(item.value),
                "role": str(e.extra.get("role", "")) if e else "",
                "grounds": "; ".join(glance.rule_of(advice, r).title for r in item.because),
                "section": sections(advice, item.sections),
                "rules": ", ".join(item.because),
            }
        )
    if rows:
        st.dataframe(rows, hide_index=True, width="stretch", key="partners_table")
    else:
        st.info("No partners concluded.")


def unknowns(advice: Advice, key: str) -> None:
    """Unknown facts that mattered, each with one-click answers."""
    if not advice.unknowns.mattered:
        st.success("No unknown fact would change this advice.")
        return
    st.markdown("These facts are unknown and could change the advice. Answer with one click:")
    for path in advice.unknowns.mattered:
        field = v.PATHS[path].field
        st.markdown(
            f"**{esc(path_label(path))}** ({esc(field.section)})" + (f": {esc(field.help)}" if field.help else "")
        )
        choices: list[tuple[object, str]]
        if field.kind == v.LIST:
            choices = [((), "none of these")] + [((m,), show(m)) for m in field.values]
        elif field.kind == v.BOOL:
            choices = [(True, "yes"), (False, "no")]
        else:
            choices = [(x, show(x)) for x in v.PATHS[path].domain]
        labels = {label: value for value, label in choices}
        st.pills(
            f"Answer for {path_label(path)}",
            list(labels),
            key=f"answer:{key}:{path}",
            on_change=_answered,
            args=(key, path, labels),
            label_visibility="collapsed",
        )


def _answered(key: str, path: str, labels: dict) -> None:
    """A one-click answer (pills callback): the fact takes the chosen value."""
    label = st.session_state.get(f"answer:{key}:{path}")
    if label in labels:
        state.set_fact(path, labels[label])
        # On the Workspace this widget sits in the advice's fragment; the editor and headline
        # (other fragments) must show the answer too, so the whole app reruns.
        st.rerun()


def design_panel(advice: Advice, key: str = "main") -> None:
    """The mission design at a glance, as one element (viewer.py): the Workspace redraws it on
    every fact change, and each element costs the browser a render (bench_app.py)."""
    viewer.draw(glance.design_view(advice), f"design:{key}")


def advice_panel(advice: Advice, key: str = "main", with_headline: bool = True) -> None:
    if with_headline:
        headline(advice, f"headline:{key}")
    advice_design(advice, key)
    advice_details(advice, key)


def advice_design(advice: Advice, key: str = "main") -> None:
    """The design and any conflict: what changes with every fact change."""
    design_panel(advice, key)
    conflicts(advice)


def conflicts(advice: Advice) -> None:
    """Each conflict the rule base left undecided, as an error (none: nothing is drawn)."""
    for c in advice.conflicts:
        st.error(
            f"Conflict on {SLOTS[c.slot].label}: "
            + esc(" vs ".join(c.values))
            + " (rules "
            + esc(", ".join(c.rules))
            + "). The rule base must decide; nothing is guessed."
        )


def detail_labels(advice: Advice) -> tuple[str, ...]:
    """The labels of the row of advice-detail pills; only the unknowns' count depends on the advice."""
    return (
        "Objectives and tasks",
        "Partners",
        "Expertise and planning",
        "Warnings",
        f"Unknowns ({len(advice.unknowns.mattered)})",
        "Structure",
    )


def details_open(key: str = "main") -> bool:
    """Whether the details show anything beyond their closed expander and pills row."""
    return bool(st.session_state.get(f"why:{key}")) or st.session_state.get(f"advice_tab:{key}") is not None


def advice_details(advice: Advice, key: str = "main") -> None:
    """The rationale and the catalogue behind the design, on demand (an expander and a row of pills)."""
    why = lazy_expander("Why this mandate, structure and HQ?", f"why:{key}")
    with why:
        if why.open:
            for slot in ("mandate", "structure", "hq"):
                item = advice.one(slot)
                if item:
                    st.markdown(f"##### {SLOTS[slot].label}: {show(item.value)}")
                    rationale(advice, slot, item.value, key)
    shows = (
        lambda: by_area(advice, key),
        lambda: _partners(advice, key),
        lambda: _expertise(advice, key),
        lambda: _warnings(advice, key),
        lambda: unknowns(advice, key),
        lambda: _structure(advice, key),
    )
    panels = dict(zip(detail_labels(advice), shows))
    panel_key = f"advice_tab:{key}"
    was = st.session_state.get(panel_key)
    if isinstance(was, str) and was not in panels and was.startswith("Unknowns ("):
        st.session_state[panel_key] = next(t for t in panels if t.startswith("Unknowns ("))  # the count changed
    # The details are picked from a row of pills, none open at first (click again to close): the
    # headline and the mission design above are the advice; the catalogue behind them is on
    # demand. Every element drawn costs the browser a render on each fact change, and the
    # Objectives panel alone is dozens of items (76 expanders on the Kosovo preset); lazy
    # st.tabs also cost six tab blocks a run, pills one element (benchmarks/bench_app.py).
    chosen = st.pills(
        "Advice details",
        list(panels),
        key=panel_key,
        default=None,
        wrap=True,
        help="Pick one to open it below; pick it again to close it.",
    )
    if chosen in panels:
        panels[chosen]()


def _partners(advice: Advice, key: str) -> None:
    partners_table(advice)
    item_list(advice, advice.items.get("partner", ()), key)


def _expertise(advice: Advice, key: str) -> None:
    st.markdown("#### Expertise")
    item_list(advice, advice.items.get("expertise", ()), key)
    st.markdown("#### Planning steps")
    item_list(advice, advice.items.get("planning_step", ()), key)


def _structure(advice: Advice, key: str) -> None:
    elements = advice.items.get("structure_element", ())
    if not elements:
        st.info("No structure elements concluded.")
    item_list(advice, elements, key)


def _warnings(advice: Advice, key: str) -> None:
    warnings = advice.items.get("warning", ())
    if not warnings:
        st.success("No warnings.")
    item_list(advice, warnings, key)
