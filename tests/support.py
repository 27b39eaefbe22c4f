"""Paths and checks shared by test modules (importable: conftest.py names are not unique)."""

from __future__ import annotations

import re
from contextlib import contextmanager
from pathlib import Path

from advisor.slots import PARTNERS

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
FIXTURES = TESTS / "fixtures"
CHAIN_RULES = FIXTURES / "rulebases" / "chain" / "rules"
CHAIN_KNOWLEDGE = FIXTURES / "rulebases" / "chain" / "knowledge"


def check_contract(doc: dict, rulebase_rule_ids: set[str]) -> None:
    """The contract §3 minimum keys, with their types and allowed values."""
    assert isinstance(doc["scenario"], str)
    assert set(doc["ruleset"]) >= {"version", "sha256"} and re.fullmatch(r"[0-9a-f]{64}", doc["ruleset"]["sha256"])
    m = doc["mandate"]
    assert m["type"] in ("strengthening", "substitution", "monitoring", "none")
    assert set(m["functions"]) <= {"strengthening", "substitution", "monitoring"}
    assert isinstance(m["partial_substitution"], bool)
    if m["type"] == "substitution":
        assert "strengthening" in m["functions"]
    assert doc["structure"]["type"] in ("regional", "functional", None)
    assert doc["hq"]["location"] in ("capital", "border_sector", None)
    for part in (m, doc["structure"], doc["hq"]):
        assert set(part["because"]) <= rulebase_rule_ids
    assert m["because"], "a mandate always names its rules"
    for p in doc["partners"]:
        assert p["id"] in PARTNERS and p["because"] and set(p["because"]) <= rulebase_rule_ids
    assert isinstance(doc["unknown_facts_that_mattered"], list)


def views(at) -> list:
    """The headline and design views an AppTest page sent to the browser, in page order: those of
    viewer elements (advisor/ui/viewer.py) and of the Workspace's board (advisor/ui/board.py),
    read back from the elements' JSON."""
    import json

    from advisor.ui import board, viewer
    from advisor.ui.glance import View

    out = []
    for e in at.get("bidi_component"):
        if e.proto.component_name == viewer.NAME:
            out.append(View.from_data(json.loads(e.proto.json)))
        elif e.proto.component_name == board.NAME:
            sent = json.loads(e.proto.json)
            out += [View.from_data(sent["headline"]), View.from_data(sent["design"])]
    return out


def figures(at) -> dict[str, str]:
    """The headline as shown: {label: value}, e.g. {"Mandate": "substitution", ...}."""
    return {f.label: f.value for view in views(at) for f in view.figures}


def view_text(at) -> str:
    """Everything the page's views show, as plain text."""
    return "\n".join(view.text() for view in views(at))


# ---- the Workspace's board (advisor/ui/board.py) in AppTest --------------------------------
# AppTest has no driver for custom elements. The board's editor sends its changes to the server
# as a trigger value (a numbered batch, facteditor.unapplied); `send_event` sends any payload the
# way the browser sends it (a JSON trigger on the component's event widget) and runs the app, and
# `edit_fact` sends one bare change, which the server also takes. What the editor shows is read
# back from the JSON the board was sent. The real clicks are driven in tests/browser/.


def _board(at):
    from advisor.ui.board import NAME

    found = [e for e in at.get("bidi_component") if e.proto.component_name == NAME]
    assert len(found) == 1, f"expected one Workspace board on the page, found {len(found)}"
    return found[0]


def board(at) -> dict:
    """What the board was sent: {"headline": ..., "editor": ..., "design": ...}."""
    import json

    return json.loads(_board(at).proto.json)


def editor(at) -> dict[str, list]:
    """The editor's facts as sent to the browser, by path: ["one", path, label, help, options,
    shown] or ["many", path, label, help, options, members, unknown]."""
    return {row[1]: row for _, rows in board(at)["editor"]["groups"] for row in rows if row[0] != "caption"}


def shown_fact(at, path: str):
    """What the editor shows for a fact: the option chosen ("unknown", "yes", a value), or for a
    list fact its members and whether "unknown" is ticked."""
    row = editor(at)[path]
    return row[5] if row[0] == "one" else (row[5], row[6])


def send_event(at, event) -> object:
    """Send the board's change event `event` (any JSON, as a browser could) and run the app."""
    import json

    from streamlit.components.v2.bidi_component.main import _make_trigger_id
    from streamlit.proto.WidgetStates_pb2 import WidgetState

    states = at._tree.get_widget_states()
    trigger = WidgetState(id=_make_trigger_id(_board(at).proto.id, "events"))
    trigger.json_trigger_value = json.dumps([{"event": "change", "value": event}])
    states.widgets.append(trigger)
    return at._run(states)


def edit_fact(at, path: str, shown, unknown: bool = False):
    """Choose `shown` for a fact in the editor (for a list fact: the members ticked, and the
    "unknown" box), as a planner does in the browser; returns the AppTest after the run."""
    event = {"path": path, "value": shown}
    if isinstance(shown, list):
        event["unknown"] = unknown
    return send_event(at, event)


BOARD = "ws_board"  # the board's fragment (app_pages/workspace.py)


@contextmanager
def runs_in_fragment(at, key: str):
    """Within this block, each run is the rerun of fragment `key` alone, as the browser asks for it.

    AppTest runs the whole app on every interaction, while the browser reruns only the fragment
    holding the widget used (AppSession's RerunData carries that fragment's id). What a fragment
    run alone draws and decides, such as which other fragments follow a fact change, is only
    tested this way; AppTest's tree then holds just what that run drew. AppTest has no option for
    it, so the RerunData its runner builds is given the id (Streamlit's internals, as of 1.67:
    if they move, this fails rather than running unscoped).
    """
    import pytest
    from streamlit.testing.v1 import local_script_runner

    ids = at._fragment_storage.resolve_target(key)
    assert len(ids) == 1, f"one fragment {key!r} expected, found {ids}"
    made = []

    def scoped(*args, **kwargs):
        made.append(kwargs)
        return plain(*args, fragment_id=ids[0], **kwargs)

    plain = local_script_runner.RerunData
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(local_script_runner, "RerunData", scoped)
        yield
    assert made, "AppTest's runner no longer builds its RerunData there: the runs were not scoped"


def edit_in_board(at, path: str, value, unknown: bool = False):
    """`edit_fact` as the browser runs it: a rerun of the board's fragment."""
    with runs_in_fragment(at, BOARD):
        edit_fact(at, path, value, unknown)
    assert not at.exception, at.exception
    return at
