"""Workspace: edit the scenario on the left, read the advice on the right, live."""

import streamlit as st

from advisor import vocabulary as v
from advisor.errors import AdvisorError
from advisor.report.briefing import show
from advisor.report.markdown import esc
from advisor.scenario import from_mapping, from_text
from advisor.store.app import SAVE_BOX, save_to_library  # issue 13: store hook
from advisor.ui import context, resources, state, views
from advisor.ui.groups import GROUPS

presets = resources.presets()
GROUP_KEY = "fact_group"  # the editor's group picker
DEFAULT_GROUP = "Host authority and consent"


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
# The Workspace is five keyed fragments (Streamlit's @st.fragment(key=...)). A fact changed in
# the editor redraws the headline and the design; the editor itself only when the change touched
# another of its widgets or an error, since the widget the planner used already shows its value in
# the browser; the details (the rationale expander and the row of panel pills) only when one is
# open or the pills' labels change. Every element drawn costs the browser a render on each change
# and was most of what a fact change cost (benchmarks/bench_app.py).
HEADLINE, EDITOR, SHARE, ADVICE, DETAILS = "ws_headline", "ws_editor", "ws_share", "ws_advice", "ws_details"
SHARE_BOX = "share"  # the "Load, save and share" expander
PLAN = "_redraw"  # the fragments a fact change reruns, in order (see fresh_rulebase)
DETAILS_SHOWN = "_details_shown"  # the pill labels the details fragment last drew


def redraw(editor: bool) -> None:
    """From a fact widget's callback: rerun only the fragments that show what changed."""
    keys = [HEADLINE] + ([EDITOR] if editor else [])
    if st.session_state.get(SHARE_BOX) or st.session_state.get(SAVE_BOX):
        keys.append(SHARE)  # an open share panel shows the scenario's link and file
    keys.append(ADVICE)
    # The advice of the new scenario is computed here rather than in the headline (the same
    # cached object serves both): it says whether the closed details' labels change.
    if views.details_open() or views.detail_labels(context.advice()) != st.session_state.get(DETAILS_SHOWN):
        keys.append(DETAILS)
    st.session_state[PLAN] = tuple(keys)
    st.rerun(keys)  # in this order: the headline reloads a changed rule base first


def set_fact(path: str) -> bool:
    """The scenario takes the value of a fact widget; False when the editor's error line changed."""
    had_error = "editor_error" in st.session_state
    value = state.from_widget(path, st.session_state[state.widget_key(path)])
    if path in v.PATHS and v.PATHS[path].field.kind == v.LIST and not value:
        value = None if st.session_state.get(f"{state.WIDGET_PREFIX}unknown:{path}") else ()
    try:
        st.session_state[state.KEY] = state.current().with_value(path, value)
        st.session_state.pop("editor_error", None)
    except AdvisorError as err:  # cannot happen from these widgets; shown rather than crashing
        st.session_state["editor_error"] = [str(p) for p in err.problems]
    return had_error == ("editor_error" in st.session_state)


def apply_fact(path: str) -> None:
    """A fact widget changed (a callback): the scenario takes its value, the other widgets stay."""
    redraw(editor=not set_fact(path))


def set_name() -> None:
    """The name is drawn outside the fragments and shown in the sidebar: the whole app reruns."""
    set_fact("name")


def list_unknown_changed(name: str) -> None:
    if st.session_state.get(f"{state.WIDGET_PREFIX}unknown:{name}"):
        st.session_state[state.widget_key(name)] = []
    set_fact(name)
    redraw(editor=True)  # the list and its "unknown" box follow each other


def list_members_changed(name: str) -> None:
    if st.session_state.get(state.widget_key(name)):
        st.session_state[f"{state.WIDGET_PREFIX}unknown:{name}"] = False
    set_fact(name)
    redraw(editor=True)


def fact_widget(path: str) -> None:
    """One fact, with 'unknown' as a real choice; help cites the concept section."""
    p = v.PATHS[path]
    field = p.field
    help_text = " ".join(x for x in (field.help, f"Concept {field.section}." if field.section else "") if x)
    label = field.label if "." not in path else show(path.split(".", 1)[1]).capitalize()
    key = state.seed(path)
    if field.kind == v.LIST:
        unknown_key = f"{state.WIDGET_PREFIX}unknown:{path}"
        if unknown_key not in st.session_state:
            st.session_state[unknown_key] = state.current().get(path) is None
        st.multiselect(
            label,
            field.values,
            default=state.shown(key),
            key=key,
            format_func=show,
            help=help_text,
            on_change=list_members_changed,
            args=(path,),
        )
        st.checkbox(
            "unknown", value=state.shown(unknown_key), key=unknown_key, on_change=list_unknown_changed, args=(path,)
        )
    else:
        options = state.options(path)
        st.selectbox(
            label,
            options,
            index=state.shown_index(key, options),
            key=key,
            format_func=show,
            help=help_text,
            on_change=apply_fact,
            args=(path,),
        )


def fact_group(fields: tuple[str, ...]) -> None:
    for name in fields:
        field = v.FIELDS_BY_NAME[name]
        if field.kind == v.MAPPING:
            st.caption(f"{field.label} ({field.section}): absent < weak < partial < adequate")
            for area in v.AREAS:
                fact_widget(f"{name}.{area}")
        else:
            fact_widget(name)


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


def fresh_rulebase(key: str) -> None:
    """Rule files edited on disk are still picked up on the next change, not only on a full run.

    A fact change reruns the fragments of redraw's plan in order: the first one's check serves
    them all (each check reads the size and time of every rule and knowledge file). A fragment
    rerun alone (an expander or panel opened) checks for itself.
    """
    if not state.fragment_rerun():
        return  # app.py checked at the top of this run
    plan = st.session_state.get(PLAN) or ()
    if key not in plan or key == plan[0]:
        context.load_rulebase()
    if plan and key == plan[-1]:
        del st.session_state[PLAN]


@st.fragment(key=HEADLINE)
def headline() -> None:
    fresh_rulebase(HEADLINE)
    views.headline(context.advice())


@st.fragment(key=EDITOR)
def editor() -> None:
    # Only the chosen group's widgets are drawn: drawing all 40-odd fact widgets on every rerun
    # was most of what a fact change cost in the browser. The scenario lives in session state
    # (advisor/ui/state.py), so a group not drawn loses nothing and is reseeded when picked.
    group = st.pills(
        "Facts to edit",
        [title for title, _ in GROUPS],
        key=GROUP_KEY,
        default=state.shown(GROUP_KEY, DEFAULT_GROUP),
        required=True,
        wrap=True,
    )
    fact_group(dict(GROUPS)[group])
    for line in st.session_state.get("editor_error", []):
        st.error(esc(line))
    state.fragment_done()


@st.fragment(key=SHARE)
def share() -> None:
    scenario = state.current()
    box = st.expander("Load, save and share", key=SHARE_BOX, on_change="rerun")
    with box:
        if box.open:  # drawn on demand: the uploader alone is a large part of the page
            share_panel(scenario)
    save_to_library(scenario, context.rulebase())  # issue 13: store hook
    state.fragment_done()


@st.fragment(key=ADVICE)
def advice() -> None:
    plan = st.session_state.get(PLAN) or ()
    fresh_rulebase(ADVICE)
    now = context.advice()
    views.advice_design(now)
    state.fragment_done()
    stale = views.detail_labels(now) != st.session_state.get(DETAILS_SHOWN)
    if state.fragment_rerun() and DETAILS not in plan and stale:
        # The closed details were left out of this change because their labels looked the same,
        # but a rule base reloaded in this run changed them: one more run, for them alone.
        st.rerun([DETAILS])


@st.fragment(key=DETAILS)
def details() -> None:
    fresh_rulebase(DETAILS)
    now = context.advice()
    views.advice_details(now)
    st.session_state[DETAILS_SHOWN] = views.detail_labels(now)
    state.fragment_done()


scenario_row()
headline()  # full width above the editor and the advice
left, right = st.columns([2, 3], gap="large")
with left:
    editor()
    share()
with right:
    advice()
    details()
