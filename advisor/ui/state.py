"""The session's scenario: one canonical copy in st.session_state, widgets seeded from it.

Widget state is dropped when a page does not draw the widget, so the scenario is kept
under our own key and the editor's widgets are (re)seeded from it. Anything that replaces
the scenario (preset, upload, link, one-click answer) runs in a callback and clears the
widget keys so they pick up the new values on the next run.
"""
from __future__ import annotations

from typing import Any

import streamlit as st

from .. import vocabulary as v
from ..errors import AdvisorError
from ..scenario import Scenario, from_mapping
from . import links

KEY = "scenario"               # the canonical scenario, as Scenario
SAVED = "saved_scenarios"      # name -> Scenario, snapshots for comparison
LINK_ERROR = "link_error"
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
            st.session_state[LINK_ERROR] = err
    st.session_state[KEY] = scenario
    st.session_state.setdefault(SAVED, {})


def current() -> Scenario:
    return st.session_state[KEY]


def replace(scenario: Scenario) -> None:
    """Put a new scenario in place (call from a callback) and reseed the editor."""
    st.session_state[KEY] = scenario
    for key in [k for k in st.session_state if isinstance(k, str) and k.startswith(WIDGET_PREFIX)]:
        del st.session_state[key]


def set_fact(path: str, value: Any) -> None:
    replace(current().with_value(path, value))


def sync_link() -> None:
    """Keep the address bar a shareable link to the current scenario."""
    wanted = links.encode(current())
    have = {k: st.query_params[k] for k in st.query_params}
    if have != wanted:
        st.query_params.from_dict(wanted)


# ---- widget values <-> scenario values -------------------------------------------

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
    """The widget key for a path, seeded from the scenario when the widget is new."""
    key = widget_key(path)
    if key not in st.session_state:
        st.session_state[key] = to_widget(path, current().get(path) if path != "name" else
                                          current().values.get("name"))
    return key
