"""Workspace: edit the scenario on the left, read the advice on the right, live."""

import streamlit as st

from advisor.errors import AdvisorError
from advisor.report.markdown import esc
from advisor.scenario import from_mapping, from_text
from advisor.store.app import SAVE_BOX, save_to_library  # issue 13: store hook
from advisor.ui import board, context, facteditor, glance, resources, state, views

presets = resources.presets()


def load_preset() -> None:
    name = st.session_state.get(state.PRESET)
    if name in presets.scenarios:
        state.replace(presets.scenarios[name])


def load_upload() -> None:
    upload = st.session_state.get("upload")
    st.session_state.pop("upload_error", None)
    if upload is None:
        return
    try:
        text = upload.getvalue().decode("utf-8")
        state.replace(from_text(text, upload.name))
        st.rerun()  # a new scenario: every fragment and the frame show it
    except UnicodeDecodeError:
        st.session_state["upload_error"] = [f"{upload.name}: not a text file (expected YAML or JSON in UTF-8)"]
    except AdvisorError as err:
        st.session_state["upload_error"] = [str(p) for p in err.problems]


def clear_all() -> None:
    state.replace(from_mapping({"name": state.current().values.get("name", "New scenario")}))
    st.rerun()  # the button is in the share fragment; the editor and advice must follow


# ---- what a change redraws ----------------------------------------------------------
# The headline, the fact editor and the mission design are one element (advisor/ui/board.py) in
# one keyed fragment (Streamlit's @st.fragment(key=...)): a fact changed in the editor reruns that
# fragment alone, one script run that draws one element. The share panel and the details (the
# rationale expander and the row of panel pills) are fragments of their own, rerun after a change
# only when open or when the pills' labels change. Every element drawn costs the browser a render
# on each change, and was most of what a fact change cost (benchmarks/bench_app.py, docs/app.md).
BOARD, SHARE, DETAILS = "ws_board", "ws_share", "ws_details"
SHARE_BOX = "share"  # the "Load, save and share" expander
DETAILS_SHOWN = "_details_shown"  # the pill labels the details fragment last drew
EDITOR_ERROR = "editor_error"  # the editor's error lines, shown in the editor
APPLIED = "_editor_applied"  # the last change taken from the editor (facteditor.unapplied)


def fact_changed() -> None:
    """The board's callback: the planner changed a fact in the editor; the scenario takes it.

    The board's fragment reruns by itself (the element is in it). The share panel and the details
    follow only when they show what changed; asking for them here, in the callback, is the one
    place Streamlit takes fragment keys in st.rerun, and it costs a second run, so only then.
    """
    st.session_state.pop(EDITOR_ERROR, None)
    try:
        events, st.session_state[APPLIED] = facteditor.unapplied(
            facteditor.last_event(BOARD), st.session_state.get(APPLIED)
        )
        scenario = state.current()
        for event in events:  # all or none: a refused change leaves the scenario as it was
            scenario = scenario.with_value(*facteditor.event_value(event))
        st.session_state[state.KEY] = scenario
    except AdvisorError as err:  # a browser sent what the editor never offers: shown, not applied
        st.session_state[EDITOR_ERROR] = [str(p) for p in err.problems]
        return
    follow = [SHARE] if st.session_state.get(SHARE_BOX) or st.session_state.get(SAVE_BOX) else []
    # The new scenario's advice is computed here (the board's run finds it cached): it says
    # whether the closed details' labels change.
    if views.details_open() or views.detail_labels(context.advice()) != st.session_state.get(DETAILS_SHOWN):
        follow.append(DETAILS)
    if follow:
        st.rerun([BOARD, *follow])


def set_name() -> None:
    """The name is drawn outside the fragments and shown in the sidebar: the whole app reruns."""
    value = state.from_widget("name", st.session_state[state.widget_key("name")])
    st.session_state[state.KEY] = state.current().with_value("name", value)


def share_panel(scenario) -> None:
    """Load a file, download the scenario, the shareable link, snapshots, clear all."""
    st.file_uploader(
        "Load a scenario file (YAML or JSON)", type=["yaml", "yml", "json"], key="upload", on_change=load_upload
    )
    for line in st.session_state.get("upload_error", []):
        st.error(esc(line))
    st.download_button(
        "Download this scenario (YAML)",
        scenario.to_yaml().encode("utf-8"),
        file_name=f"{scenario.name.replace(' ', '_') or 'scenario'}.yaml",
        mime="application/x-yaml",
        key="download_yaml",
    )
    st.markdown("**Shareable link:** the address bar always holds this scenario; copy it to share.")
    st.code("?" + "&".join(f"{k}={val}" for k, val in state.links.encode(scenario).items()), language=None)
    snap = st.text_input("Save a snapshot for comparison as", key="snapshot_name", placeholder=scenario.name)
    if st.button("Save snapshot", key="save_snapshot"):
        st.session_state[state.SAVED][snap.strip() or scenario.name] = scenario
        st.success(f"Saved '{esc(snap.strip() or scenario.name)}': pick it on the Compare page.")
    st.button("Set every fact to unknown", key="clear_all", on_click=clear_all)


st.title("Mission design workspace")
st.caption(
    "Describe the host country on the left; the advice on the right follows every change. "
    "Leave a fact 'unknown' when you do not know it: the advisor never guesses, and tells you "
    "which unknown facts would matter."
)


def scenario_row() -> None:
    """Preset and name: outside the fragments, drawn on full runs only (choosing one reruns the app).

    Each element the fragments draw costs the browser a render on every fact change
    (benchmarks/bench_app.py); these two change the scenario wholesale and rarely.
    """
    st.subheader("Scenario")
    pick, name = st.columns(2)
    names = list(presets.names())
    if names:
        pick.selectbox(
            "Start from a preset (an archetype scenario)",
            names,
            index=state.shown_index(state.PRESET, names),
            key=state.PRESET,
            placeholder="Choose a preset…",
            on_change=load_preset,
        )
    for p in presets.problems:
        st.warning("A preset file does not load: " + esc(str(p)))
    key = state.seed("name")
    name.text_input("Scenario name", value=state.shown(key), key=key, on_change=set_name)


def fresh_rulebase() -> None:
    """Rule files edited on disk are picked up on the next change, not only on a full run."""
    if state.fragment_rerun():  # on a full run app.py checked at the top
        context.load_rulebase()


@st.fragment(key=SHARE)
def share() -> None:
    fresh_rulebase()
    scenario = state.current()
    box = st.expander("Load, save and share", key=SHARE_BOX, on_change="rerun")
    with box:
        if box.open:  # drawn on demand: the uploader alone is a large part of the page
            share_panel(scenario)
    save_to_library(scenario, context.rulebase())  # issue 13: store hook
    state.fragment_done()


@st.fragment(key=BOARD)
def design_board() -> None:
    fresh_rulebase()
    now = context.advice()
    editor = facteditor.view(
        state.current(), tuple(st.session_state.get(EDITOR_ERROR, ())), st.session_state.get(APPLIED)
    )
    board.draw(glance.headline_view(now), editor, glance.design_view(now), BOARD, fact_changed)
    views.conflicts(now)
    # A rule base reloaded above changes the sidebar's version, so the app reruns from here and
    # the details show it too.
    state.fragment_done()


@st.fragment(key=DETAILS)
def details() -> None:
    fresh_rulebase()
    now = context.advice()
    views.advice_details(now)
    st.session_state[DETAILS_SHOWN] = views.detail_labels(now)
    state.fragment_done()


scenario_row()
share()
design_board()  # full width: the board lays out the headline above the editor beside the design
details()
