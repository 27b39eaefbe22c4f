"""The store inside the app: one Library per database and server, bound to each session's user,
and the save / record / keep-draft controls other pages call with a one-line hook.

Every write goes through the Library, which checks the acting user's role itself; these
controls never hide a button to enforce anything, they show the Library's refusal.
"""

from __future__ import annotations

import re
from typing import Any

import streamlit as st

from ..errors import AdvisorError
from ..report.markdown import esc
from ..ruleset import RuleBase
from ..scenario import Scenario
from . import db
from .library import ConflictError, Library

SAVE_BOX = "store_ws_box"  # the Workspace's "Save to library" expander (open state)
OPENED = "library_opened"  # session: {scenario name: the version this session opened or saved last}


@st.cache_resource(show_spinner=False)
def _library(url: str) -> Library:
    return Library(db.make_engine(url))


def base_library() -> Library:
    """The server's Library (migrated once per process), acting for nobody in particular."""
    return _library(db.database_url())


def library() -> Library:
    """The Library acting for this session's signed-in user (app.py's gate has run first)."""
    from .. import auth

    person = auth.current()
    if person is None:  # why: a page reached without the gate (AppTest of one page) still cannot write
        from .roles import Actor

        person = Actor("signed-out", "reader")
    return base_library().as_actor(person)


def opened(name: str, number: int) -> None:
    st.session_state.setdefault(OPENED, {})[name] = number


def _expected(lib: Library, name: str) -> int:
    """The version this edit started from: the one this session opened or saved, else the latest."""
    known = st.session_state.get(OPENED, {})
    if name in known:
        return known[name]
    try:
        return lib.version(name).number
    except AdvisorError:
        return 0


def save_control(scenario: Scenario, rulebase: RuleBase, key: str = "store_ws") -> None:
    """A form that saves `scenario` as a new library version, telling of a concurrent save."""
    lib = library()
    with st.form(f"{key}_save"):
        name = st.text_input("Name", value=scenario.name, key=f"{key}_name")
        tags = st.text_input("Tags (comma separated)", key=f"{key}_tags")
        note = st.text_input("Note", key=f"{key}_note")
        saved = st.form_submit_button("Save current scenario as a new version")
    if saved:
        _save(lib, scenario, rulebase, name, tags, note, expected=_expected(lib, name.strip()), key=key)
    clash = st.session_state.get(f"{key}_conflict")
    if clash and clash[0] == name.strip():
        _show_conflict(lib, scenario, rulebase, clash, tags, note, key)


def _save(lib, scenario, rulebase, name, tags, note, *, expected, key) -> None:
    try:
        ver = lib.save(
            scenario, name=name, tags=tags.split(","), note=note, ruleset_version=rulebase.version, expected=expected
        )
    except ConflictError as exc:
        st.session_state[f"{key}_conflict"] = (name.strip(), str(exc))
        return
    except AdvisorError as exc:  # NotAllowed included: the Library's own words
        st.error(esc(str(exc)))
        return
    st.session_state.pop(f"{key}_conflict", None)
    opened(ver.name, ver.number)
    st.success(f"Saved version {ver.number} of {esc(ver.name)}.")


def _show_conflict(lib, scenario, rulebase, clash, tags, note, key) -> None:
    """Both sides: the version someone else saved and this session's scenario, with what differs."""
    from ..explain.diff import compare
    from ..explain.render import render

    name, message = clash
    theirs = lib.version(name)
    st.error(esc(message))
    st.text(
        f"Version {theirs.number} by {theirs.author} at {theirs.created_at:%Y-%m-%d %H:%M} "
        f"compared with yours:\n" + render(compare(rulebase, (theirs.scenario(), scenario)), "text")
    )
    if st.button(
        f"Save mine as version {theirs.number + 1} (theirs stays as version {theirs.number})", key=f"{key}_save_anyway"
    ):
        _save(lib, scenario, rulebase, name, tags, note, expected=theirs.number, key=key)


def save_to_library(scenario: Scenario, rulebase: RuleBase) -> None:
    """The Workspace's hook: the save form, folded away and drawn only while open.

    The Workspace reruns on every fact change; a closed expander's form (three inputs and a
    button) was still drawn each time, for a form used once in a while.
    """
    box = st.expander("Save to library", key=SAVE_BOX, on_change="rerun")
    with box:
        if not box.open:
            return
        try:
            save_control(scenario, rulebase, key="store_ws")
        except AdvisorError as exc:  # why: an unreachable team database must not take the Workspace down
            st.error(esc(str(exc)))


# -- the Briefing page ---------------------------------------------------------
_MARKING_KEPT = "_store_marking"
_MARKING_STORED = "_store_marking_stored"  # the value last written to the store


def keep_marking(widget_key: str = "marking") -> None:
    """Call before the marking widget is drawn: keeps this user's marking in the store and puts it
    back when Streamlit dropped it (a visit to another page) or the session is new (a reload,
    a server restart). One marking per user, solo user included; private like a draft."""
    if widget_key in st.session_state:
        value = st.session_state[widget_key]
        st.session_state[_MARKING_KEPT] = value
        if st.session_state.get(_MARKING_STORED) != value:
            try:
                library().keep_draft("marking", {"marking": value})
                st.session_state[_MARKING_STORED] = value
            except AdvisorError as exc:  # why: an unreachable database must not lose the page
                st.caption(f"The marking is kept in this session only: {esc(str(exc))}")
    elif _MARKING_KEPT in st.session_state:
        st.session_state[widget_key] = st.session_state[_MARKING_KEPT]
    else:
        try:
            saved = library().draft("marking")
        except AdvisorError as exc:
            st.caption(f"The marking is kept in this session only: {esc(str(exc))}")
            return
        value = saved[0].get("marking") if saved and isinstance(saved[0], dict) else None
        if isinstance(value, str):
            st.session_state[widget_key] = st.session_state[_MARKING_KEPT] = value
            st.session_state[_MARKING_STORED] = value


def record_control(scenario: Scenario, rulebase: RuleBase, marking: str) -> None:
    """The Briefing page's hook: record an immutable briefing with the exported documents' hashes."""
    if not st.button(
        "Record this briefing",
        key="store_record",
        help="Stores the scenario, the full advice, the rule-base version and hash, the marking, "
        "you and the time, and the sha256 of each exported document. Records cannot be changed.",
    ):
        last = st.session_state.get("_store_recorded")
        if last:
            st.caption(f"Last recorded in this session: record {last}.")
        return
    try:
        lib = library()
        lib.actor.require("record")  # NotAllowed; why: refuse before spending seconds rendering documents
        with st.spinner("Rendering the documents to hash them…"):
            files = _documents(scenario, rulebase, marking)
        rec = lib.record(scenario, rulebase, marking=marking, files=files)
    except AdvisorError as exc:  # NotAllowed included
        st.error(esc(str(exc)))
        return
    st.session_state["_store_recorded"] = rec.id
    st.success(f"Recorded briefing {rec.id}; the Records page lists it and can re-check it.")


def _documents(scenario: Scenario, rulebase: RuleBase, marking: str) -> dict[str, bytes]:
    """The same bytes the download buttons give (the shared document cache), by file name."""
    from ..report import FORMATS, build_briefing
    from ..ui import context, documents

    doc_key = documents.key(scenario, rulebase, marking)
    stem = re.sub(r"[^A-Za-z0-9_-]+", "_", scenario.name).strip("_") or "briefing"

    def briefing():
        return build_briefing(context.advice_for(scenario, rulebase), marking)

    return {
        f"briefing_{stem}{ext}": documents.document(doc_key, fmt, briefing) for fmt, (_mime, ext) in FORMATS.items()
    }


# -- the Rule lab ----------------------------------------------------------------
def keep_draft(kind: str, keys: tuple[str, ...]) -> None:
    """Keep the session values under `keys` as this user's saved draft of `kind`, and offer to
    reopen the saved one in a new session (after a reload or a server restart).

    Never restored by itself: a fresh session starts clean unless the user asks.
    """
    try:
        lib = library()
    except AdvisorError as exc:
        st.caption(f"Drafts are kept in this session only: {esc(str(exc))}")
        return
    present = {k: st.session_state[k] for k in keys if k in st.session_state}
    if present:
        content = {k: _jsonable(v) for k, v in present.items()}
        if st.session_state.get(f"_store_draft_{kind}") != content:
            try:
                lib.keep_draft(kind, content)
                st.session_state[f"_store_draft_{kind}"] = content
            except AdvisorError as exc:
                st.caption(f"The draft is kept in this session only: {esc(str(exc))}")
        return
    saved = lib.draft(kind)
    if saved and st.button(f"Reopen your draft saved {saved[1]:%Y-%m-%d %H:%M} UTC", key=f"store_reopen_{kind}"):
        for k, v in saved[0].items():
            if k in keys:
                st.session_state[k] = _tuples(v)
        st.session_state[f"_store_draft_{kind}"] = saved[0]
        st.rerun()


def _jsonable(value: Any) -> Any:
    return list(_jsonable(v) for v in value) if isinstance(value, (tuple, list)) else value


def _tuples(value: Any) -> Any:  # why: JSON gives lists back; the pages compare with tuples
    return tuple(_tuples(v) for v in value) if isinstance(value, list) else value


# -- publishing a Rule lab draft -------------------------------------------------
def rule_store():
    from .rulestore import RuleStore

    return RuleStore()


def publish_control(file_name: str, text: str, rulebase: RuleBase, started_from: int) -> None:
    """The Rule lab's Publish button: the Library checks the role, validates strictly, runs the
    rule tests and refuses a publish made from a version no longer in service."""
    from .rulestore import PublishRefused

    store = rule_store()
    st.caption(
        f"Publishing writes a new version of the shared rule base ({esc(str(store.served))}); "
        f"your draft started from version {started_from or 'none'}. Authors and admins only."
    )
    if not st.button("Publish to the shared rule base", key="store_publish", type="primary"):
        done = st.session_state.get("_store_published")
        if done:
            st.caption(f"Published in this session: version {done[0]} ({esc(done[1])}).")
        return
    try:
        done = library().publish(
            store,
            {file_name: text},
            expected=started_from,
            knowledge_dir=rulebase.knowledge_dir,
            seed=rulebase.rules_dir,
        )
    except PublishRefused as err:
        st.error(f"Not published: {len(err.problems)} problem(s); the shared rule base is unchanged.")
        st.dataframe(
            [
                {"file": p.file or "", "line": p.line, "rule": p.rule_id or "", "problem": p.message}
                for p in err.problems
            ],
            hide_index=True,
            width="stretch",
            key="store_publish_problems",
        )
        return
    except AdvisorError as exc:  # NotAllowed and ConflictError: the Library's own words
        st.error(esc(str(exc)))
        return
    st.session_state["_store_published"] = (done.number, done.version)
    st.success(
        f"Published version {done.number}: rule base {esc(done.previous_version)} → {esc(done.version)} "
        f"(sha256 {done.sha256[:12]}), {done.tests} rule tests passed."
    )
    if store.serves(rulebase.rules_dir):
        st.info("This server serves the shared rule base and picks the new version up on the next interaction.")
    else:
        st.warning(
            f"This server serves {esc(rulebase.rules_dir)}, not the shared rule base: start it with "
            f"ADVISOR_RULES={esc(str(store.served))} to serve what was published."
        )
