"""The session's scenario: one canonical copy in st.session_state, widgets seeded from it.

Widget state is dropped when a page does not draw the widget, so the scenario is kept
under our own key and widgets showing it (the scenario name) are (re)seeded from it; the
Workspace's fact editor is fed the scenario on every run (advisor/ui/facteditor.py). Anything
that replaces the scenario (preset, upload, link, one-click answer) runs in a callback and
clears the widget keys so they pick up the new values on the next run.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from .. import vocabulary as v
from ..errors import AdvisorError
from ..scenario import Scenario, from_mapping
from . import links

KEY = "scenario"  # the canonical scenario, as Scenario
SAVED = "saved_scenarios"  # name -> Scenario, snapshots for comparison
LINK_ERROR = "link_error"
LINKED = "_linked"  # the query parameters this app last wrote to the address bar
LAST = "_last_scenario"  # the scenario as of the end of the previous run
HISTORY = "_history"  # earlier scenarios, newest last, for Undo
HISTORY_LIMIT = 50
PRESET = "preset"  # the Workspace's preset selector (app_pages/workspace.py)
WIDGET_PREFIX = "fact:"
UNKNOWN = "unknown"
YES, NO = "yes", "no"


def init(default: Scenario | None) -> None:
    """First run of a session: the scenario from the link, else the default preset."""
    if KEY in st.session_state:
        return
    params = {k: st.query_params[k] for k in st.query_params}
    scenario = default or from_mapping({})
    if params:
        try:
            scenario = links.decode(params)
        except AdvisorError as err:
            # Something must be shown, but the link stays in the address bar to be corrected.
            st.session_state[LINK_ERROR] = err
            st.session_state[LINKED] = params
    st.session_state[KEY] = scenario
    st.session_state[LAST] = scenario
    st.session_state.setdefault(SAVED, {})
    st.session_state.setdefault(HISTORY, [])


def show_preset(presets: dict[str, Scenario]) -> None:
    """Let the preset selector name the preset the scenario is (first load, a link to a preset).

    Without it the first load shows "Choose a preset..." over a loaded preset. Called before
    the page draws the selector; a choice already made (the widget's own state) is kept.
    """
    if st.session_state.get(PRESET) is not None:
        return
    now = links.encode(current())
    name = next((n for n, sc in presets.items() if links.encode(sc) == now), None)
    if name is not None:
        st.session_state[PRESET] = name


def follow_link() -> None:
    """Browser Back/Forward or an edited address: the address bar's scenario becomes the current one.

    Every scenario change writes a new address (a browser history entry); when the address
    on a run differs from the one this app last wrote, the user moved through history or
    typed a link, so the scenario follows the address. A bad address keeps the current
    scenario and is left in place with its error.
    """
    if LINKED not in st.session_state:
        return
    params = {k: st.query_params[k] for k in st.query_params}
    if not params or params == st.session_state[LINKED] or params == links.encode(current()):
        return
    try:
        scenario = links.decode(params)
    except AdvisorError as err:
        st.session_state[LINK_ERROR] = err
        st.session_state[LINKED] = params
        return
    st.session_state.pop(LINK_ERROR, None)
    replace(scenario)
    st.session_state[LINKED] = params


def undo() -> None:
    """Back to the scenario before the last change (a callback for the Undo button)."""
    history = st.session_state.get(HISTORY) or []
    if not history:
        return
    previous = history.pop()
    replace(previous)
    st.session_state[LAST] = previous  # an undo is not itself a change to undo


def previous() -> Scenario | None:
    history = st.session_state.get(HISTORY) or []
    return history[-1] if history else None


def current() -> Scenario:
    return st.session_state[KEY]


def replace(scenario: Scenario) -> None:
    """Put a new scenario in place (call from a callback) and reseed the editor."""
    st.session_state[KEY] = scenario
    for key in [k for k in st.session_state if isinstance(k, str) and k.startswith(WIDGET_PREFIX)]:
        del st.session_state[key]


def set_fact(path: str, value: Any) -> None:
    replace(current().with_value(path, value))


def record() -> Scenario:
    """Note a scenario change since the last call on the Undo history; returns the current scenario."""
    now, last = current(), st.session_state.get(LAST)
    if last is not None and now != last:
        history = st.session_state.setdefault(HISTORY, [])
        history.append(last)
        del history[:-HISTORY_LIMIT]
        st.session_state.pop(LINK_ERROR, None)  # the planner moved on from the bad link
    st.session_state[LAST] = now
    return now


def sync_link() -> None:
    """Record a changed scenario for Undo and keep the address bar a shareable link to it.

    While a bad link's error is shown and the planner has not changed the scenario, the
    bad link stays in the address bar so it can be corrected there.
    """
    now = record()
    if LINK_ERROR in st.session_state:
        return
    wanted = links.encode(now)
    have = {k: st.query_params[k] for k in st.query_params}
    if have != wanted:
        st.query_params.from_dict(wanted)
    st.session_state[LINKED] = wanted


# ---- fragment reruns ----------------------------------------------------------
# The Workspace body is an st.fragment: a fact change reruns only it, not the app's frame
# (sidebar, navigation, link banner). The frame shows some of this state, so a fragment run
# that changes what the frame would show asks for one full rerun.

FULL_RUN = "_full_run"  # set while app.py runs from the top (not during a fragment rerun)
FRAME = "_frame"  # what the frame showed at the end of the last full run


def frame_view() -> tuple:
    """What the app's frame shows of the session: scenario name, Undo target, link error, rule base."""
    from .context import RULEBASE  # context imports this module

    before = previous()
    rulebase = st.session_state.get(RULEBASE)
    return (
        current().name,
        before.name if before else None,
        LINK_ERROR in st.session_state,
        getattr(rulebase, "label", None),
    )


def fragment_rerun() -> bool:
    """True while only a fragment reruns (app.py did not run from the top)."""
    return not st.session_state.get(FULL_RUN, True)


def begin_run() -> None:
    st.session_state[FULL_RUN] = True


def end_run() -> None:
    st.session_state[FRAME] = frame_view()
    st.session_state[FULL_RUN] = False


def fragment_done() -> None:
    """End of a fragment rerun: keep Undo and the address bar up to date; rerun the app if the frame is stale."""
    if not fragment_rerun():
        return  # a full run: app.py does this after the page
    sync_link()
    if frame_view() != st.session_state.get(FRAME):
        st.rerun(scope="app")


# ---- widget values <-> scenario values (the name box, the fact editor's options) -------------


def widget_key(path: str) -> str:
    return WIDGET_PREFIX + path


def to_widget(path: str, value: Any) -> Any:
    field = v.PATHS[path].field if path in v.PATHS else v.FIELDS_BY_NAME[path]
    if field.kind == v.TEXT:
        return value or ""
    if field.kind == v.LIST:
        return list(value or ())
    if value is None:
        return UNKNOWN
    if field.kind == v.BOOL:
        return YES if value else NO
    return value


def from_widget(path: str, shown: Any) -> Any:
    field = v.PATHS[path].field if path in v.PATHS else v.FIELDS_BY_NAME[path]
    if field.kind == v.TEXT:
        return shown.strip() or None
    if field.kind == v.LIST:
        return tuple(shown)
    if shown == UNKNOWN or shown is None:
        return None
    if field.kind == v.BOOL:
        return shown == YES
    return shown


def options(path: str) -> list[str]:
    field = v.PATHS[path].field
    if field.kind == v.BOOL:
        return [UNKNOWN, YES, NO]
    return [UNKNOWN, *field.values]


def seed(path: str) -> str:
    """The widget key for a path, seeded from the scenario when the widget is new.

    Draw the widget with `shown(key)` as its own default too (index=, value=, default=).
    """
    key = widget_key(path)
    if key not in st.session_state:
        st.session_state[key] = to_widget(path, current().get(path) if path != "name" else current().values.get("name"))
    return key


def shown(key: str, fallback: Any = None) -> Any:
    """The value a widget kept in session state must also be given as its default.

    Why: a browser that loads a widget's code late (a slow link, a busy machine) mounts it
    after a later rerun has replaced its element, and then takes the element's default as its
    value; with the next click it sends that default back as if the planner had chosen it.
    A Save set the two facts on screen to unknown that way (tests/browser/test_app_late_load.py
    delays the widgets' code to show it). With the session value as the default, nothing is sent
    that the planner did not choose.
    """
    return st.session_state.get(key, fallback)


def shown_index(key: str, options: list) -> int | None:
    """`shown` for a selectbox: the index of the kept value among its options (None: no choice)."""
    value = shown(key)
    return options.index(value) if value in options else None
