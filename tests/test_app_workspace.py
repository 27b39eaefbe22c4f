"""The workspace page through AppTest: the real app, the real engine, widgets driven by key.

The fact editor is part of the Workspace's board, one custom element (advisor/ui/board.py):
it is driven with the event the browser sends (support.edit_fact, send_event) and read back
from the data the board was sent (support.editor, shown_fact). A change is a full run unless
run in the board's fragment alone, as the browser runs it (edit_in_board below).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from advisor import scenario as scenarios
from advisor import vocabulary as v
from advisor.ruleset import load_rulebase
from advisor.service import advise
from advisor.ui import config
from advisor.ui.groups import GROUPS
from advisor.ui.presets import load_presets
from support import BOARD, board, edit_fact, edit_in_board, editor, figures, runs_in_fragment, send_event, shown_fact

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
FIX = Path(__file__).resolve().parent / "fixtures" / "app"
TIMEOUT = 60


@pytest.fixture(autouse=True)
def fresh_caches():
    # cache_resource outlives AppTest instances within one process.
    st.cache_resource.clear()
    yield
    st.cache_resource.clear()


@pytest.fixture
def fixture_env(monkeypatch):
    monkeypatch.setenv(config.ENV_RULES, str(FIX / "rules"))
    monkeypatch.setenv(config.ENV_KNOWLEDGE, str(FIX / "knowledge"))
    monkeypatch.setenv(config.ENV_EXAMPLES, str(FIX / "examples"))
    return load_rulebase(FIX / "rules", FIX / "knowledge")


@pytest.fixture
def real_env(monkeypatch):
    for name in (config.ENV_RULES, config.ENV_KNOWLEDGE, config.ENV_EXAMPLES):
        monkeypatch.delenv(name, raising=False)
    return load_rulebase()


def start(query: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for k, val in (query or {}).items():
        at.query_params[k] = val
    at.run()
    assert not at.exception, at.exception
    return at


def shown(at: AppTest) -> dict:
    return figures(at)


def shown_mandate(advice) -> str:
    item = advice.one("mandate")
    return item.value.replace("_", " ") if item else "no conclusion"


def current(at: AppTest):
    return at.session_state["scenario"]


def group_of(path: str) -> str:
    return next(title for title, fields in GROUPS if path.split(".", 1)[0] in fields)


DETAILS = "ws_details"  # the Workspace's details fragment (app_pages/workspace.py)


def drawn(at: AppTest) -> set:
    """The keys of the widgets and elements the last run drew (the board's is BOARD)."""
    kinds = ("selectbox", "text_input", "multiselect", "checkbox", "pills", "expander", "bidi_component")
    return {w.key for kind in kinds for w in at.get(kind) if getattr(w, "key", None)}


def test_every_contract_fact_has_an_editor_widget_with_unknown_as_a_choice(fixture_env):
    # The board is sent every group's facts (the browser shows one group at a time; picking one
    # runs nothing on the server), so the whole contract is read from one page. What the old
    # per-group widgets showed is now the row the browser draws each fact from.
    at = start()
    rows = editor(at)
    contract = set(v.PATHS) - {"name"}  # the name has its own text box, outside the board
    assert set(rows) == contract
    groups = {title: {row[1] for row in group if row[0] != "caption"} for title, group in board(at)["editor"]["groups"]}
    assert list(groups) == [title for title, _ in GROUPS], "every group, in the planner's order"
    for path in contract:
        field = v.PATHS[path].field
        kind, _, label, help_text, options = rows[path][:5]
        assert path in groups[group_of(path)]
        assert label and f"Concept {field.section}." in help_text, "the help cites the concept section"
        values = [value for value, _ in options]
        if field.kind == v.LIST:
            # A tick box per member and an "unknown" flag of its own: unknown is not "none of these".
            assert kind == "many" and values == list(field.values)
            assert isinstance(rows[path][6], bool)
        else:
            assert kind == "one" and "unknown" in values


def test_a_fact_set_in_one_group_survives_editing_another(fixture_env):
    at = start()
    at.selectbox(key="preset").select("Interim administration").run()
    assert group_of("country_size") != group_of("host_consent")
    edit_fact(at, "country_size", "large")
    edit_fact(at, "host_consent", "unknown")
    assert current(at).get("country_size") == "large" and not current(at).known("host_consent")
    assert shown_fact(at, "country_size") == "large" and shown_fact(at, "host_consent") == "unknown"


def _flip(sc) -> str:
    return "no" if sc.get("interim_administration") else "yes"


def test_real_presets_show_the_engines_mandate_and_a_fact_change_updates_it(real_env):
    rulebase = real_env
    at = start()
    names = at.selectbox(key="preset").options
    presets = load_presets(ROOT / "examples").scenarios
    # A preset whose mandate the engine changes when interim administration flips, so the page
    # must follow the flip rather than repeat the old answer.
    preset = next(
        (
            n
            for n in names
            if advise(rulebase, presets[n]).mandate
            != advise(rulebase, presets[n].with_value("interim_administration", _flip(presets[n]) == "yes")).mandate
        ),
        None,
    )
    assert preset is not None, "no real preset changes its mandate with interim administration"
    at.selectbox(key="preset").select(preset).run()
    sc = current(at)
    before = advise(rulebase, sc)
    assert shown(at)["Mandate"] == shown_mandate(before)
    new_value = _flip(sc)
    edit_fact(at, "interim_administration", new_value)
    changed = current(at)
    assert changed.get("interim_administration") is (new_value == "yes")
    after = advise(rulebase, changed)
    assert after.mandate != before.mandate
    assert shown(at)["Mandate"] == shown_mandate(after) != shown_mandate(before)
    assert shown(at)["Structure"] == (
        after.one("structure").value.replace("_", " ") if after.one("structure") else "no conclusion"
    )


def test_a_fact_that_should_flip_the_mandate_flips_it(fixture_env):
    at = start()
    at.selectbox(key="preset").select("Interim administration").run()
    assert shown(at)["Mandate"] == "substitution"
    edit_fact(at, "interim_administration", "no")
    assert shown(at)["Mandate"] != "substitution"
    assert shown(at)["Mandate"] == shown_mandate(advise(fixture_env, current(at)))


def test_a_fact_change_reruns_the_board_alone_and_the_editor_shows_the_new_value(fixture_env):
    # Why: each element drawn costs the browser a render on every change (bench_app.py). The
    # headline, the editor and the design are one element in the fragment ws_board, so a change
    # is one run of that fragment drawing that one element. (With widgets, the editor was left
    # out of the change's runs; now it is sent with every change, and it must show the value.)
    at = start()
    at.selectbox(key="preset").select("Interim administration").run()
    assert {"preset", "fact:name", BOARD, "advice_tab:main", "why:main"} <= drawn(at)
    # The first change gives Undo a target, which the sidebar shows: that one redraws the app.
    edit_in_board(at, "interim_administration", "no")
    assert "preset" in drawn(at) and at.button(key="undo").disabled is False
    edit_in_board(at, "interim_administration", "yes")
    # The details (closed, their labels unchanged) and the share panel are not sent again.
    assert drawn(at) == {BOARD}, "only the board was drawn"
    assert shown_fact(at, "interim_administration") == "yes" and current(at).get("interim_administration") is True
    assert shown(at)["Mandate"] == shown_mandate(advise(fixture_env, current(at)))
    # A list fact: its members and its "unknown" box follow in the same one run. (The border
    # types move no count of unknowns that matter, so the details stay out: see the next test.)
    edit_in_board(at, "border_types", [], unknown=False)
    assert drawn(at) == {BOARD} and shown_fact(at, "border_types") == ([], False)
    edit_in_board(at, "border_types", ["land"])
    assert drawn(at) == {BOARD} and shown_fact(at, "border_types") == (["land"], False)
    assert current(at).get("border_types") == ("land",)


def test_unknown_removes_the_fact_from_the_scenario(fixture_env):
    at = start()
    at.selectbox(key="preset").select("Interim administration").run()
    assert current(at).known("host_consent")
    edit_fact(at, "host_consent", "unknown")
    assert not current(at).known("host_consent") and shown_fact(at, "host_consent") == "unknown"


def test_list_fields_distinguish_unknown_from_none(fixture_env):
    at = start()
    assert current(at).get("agreements") is None and shown_fact(at, "agreements") == ([], True)
    edit_fact(at, "agreements", [], unknown=False)  # "unknown" unticked, no member: none of these
    assert current(at).get("agreements") == () and shown_fact(at, "agreements") == ([], False)
    edit_fact(at, "agreements", ["bcp_agreement"])
    assert current(at).get("agreements") == ("bcp_agreement",)
    assert shown(at)["Mandate"] == shown_mandate(advise(fixture_env, current(at)))
    edit_fact(at, "agreements", [], unknown=True)  # "unknown" ticked again
    assert current(at).get("agreements") is None and shown_fact(at, "agreements") == ([], True)


# What a browser could send that the editor never offers, with words its error line must hold:
# the fact and an allowed value where there is a fact (not the wording, the editor's to choose).
HOSTILE_EVENTS = {
    "unknown_path": ({"path": "host_consnt", "value": "yes"}, ()),
    "huge_markup_path": ({"path": "<b>" + "x" * 100_000, "value": "yes"}, ()),
    "value_not_allowed": ({"path": "host_authority", "value": "partial"}, ("host_authority", "functioning")),
    "list_for_one_value": ({"path": "host_authority", "value": ["limited"]}, ("host_authority", "limited")),
    "list_non_member": (
        {"path": "agreements", "value": ["bcp_agreement", "treaty_of_nowhere"], "unknown": False},
        ("agreements", "bcp_agreement"),
    ),
    "text_for_a_list": ({"path": "agreements", "value": "bcp_agreement"}, ("agreements", "bcp_agreement")),
    "not_a_dict": (["host_authority", "limited"], ()),
    "null": (None, ()),
}


@pytest.mark.parametrize("name", sorted(HOSTILE_EVENTS))
def test_a_hostile_editor_event_is_refused_in_the_editor_and_the_next_change_clears_it(fixture_env, name):
    event, words = HOSTILE_EVENTS[name]
    at = start()
    at.selectbox(key="preset").select("Interim administration").run()
    edit_in_board(at, "country_size", "large")  # the first change redraws the app (Undo), not tested here
    before, headline, facts = current(at), shown(at), editor(at)
    with runs_in_fragment(at, BOARD):  # as the browser sends it: a rerun of the board
        send_event(at, event)
    assert not at.exception, at.exception
    # Refused with one line in the editor, of bounded length (a hostile path is not echoed whole).
    errors = board(at)["editor"]["errors"]
    assert len(errors) == 1 and 0 < len(errors[0]) < 2000 and all(w in errors[0] for w in words), errors
    assert current(at) == before and shown(at) == headline and editor(at) == facts
    assert drawn(at) == {BOARD}, "a refused change is one run of the board, like any change"
    # The next change the editor does offer is taken, and the error line goes.
    edit_in_board(at, "country_size", "medium")
    assert board(at)["editor"]["errors"] == [] and current(at).get("country_size") == "medium"
    assert shown_fact(at, "country_size") == "medium"


def test_changes_sent_together_are_all_taken_and_none_twice(fixture_env):
    # The browser sends every change not yet acknowledged (facteditor.unapplied): two changes that
    # reach a busy server together are both taken, and one sent again is not taken twice.
    at = start()
    at.selectbox(key="preset").select("Interim administration").run()
    first = {"seq": 1, "path": "country_size", "value": "large"}
    second = {"seq": 2, "path": "host_consent", "value": "unknown"}
    send_event(at, {"batch": "page-1", "events": [first, second]})
    assert current(at).get("country_size") == "large" and not current(at).known("host_consent")
    assert board(at)["editor"]["applied"] == ["page-1", 2]
    edit_fact(at, "country_size", "medium")  # changed again since
    third = {"seq": 3, "path": "scope", "value": "national"}
    send_event(at, {"batch": "page-1", "events": [first, second, third]})  # the first two resent
    assert current(at).get("country_size") == "medium", "a change already taken is not taken again"
    assert current(at).get("scope") == "national" and board(at)["editor"]["applied"] == ["page-1", 3]
    # A refused change in a batch: none of it is taken, and the error names the fact.
    bad = {"seq": 4, "path": "host_authority", "value": "partial"}
    fine = {"seq": 5, "path": "country_size", "value": "small"}
    send_event(at, {"batch": "page-1", "events": [bad, fine]})
    assert current(at).get("country_size") == "medium"
    assert any("host_authority" in line for line in board(at)["editor"]["errors"])


def upload(at: AppTest, name: str, data: bytes) -> None:
    at.session_state["share"] = True  # open "Load, save and share" (drawn on demand)
    at.run()
    at.get("file_uploader")[0].set_value((name, data, "application/x-yaml")).run()
    assert not at.exception, at.exception


def test_upload_loads_a_scenario_file(fixture_env):
    at = start()
    upload(at, "mine.yaml", (FIX / "examples" / "substitution.yaml").read_bytes())
    assert current(at).name == "Interim administration"
    assert shown_fact(at, "host_authority") == "limited"
    assert shown(at)["Mandate"] == "substitution"


def test_a_broken_upload_names_the_line_field_and_allowed_values(fixture_env):
    at = start()
    before = current(at)
    upload(at, "bad.yaml", b"name: x\nhost_authority: partial\nhost_consnt: true\n")
    text = " ".join(e.value for e in at.error)
    assert "bad.yaml:2" in text and "host_authority" in text and "functioning" in text
    assert "host_consnt" in text and "host_consent" in text  # did-you-mean
    assert current(at) == before  # nothing half-loaded


def test_a_binary_upload_is_refused_clearly(fixture_env):
    at = start()
    upload(at, "bad.yaml", b"\xff\xfe\x00garbage")
    assert any("not a text file" in e.value for e in at.error)


def test_a_broken_link_shows_a_precise_error_instead_of_crashing(fixture_env):
    at = start({"host_authority": "partial", "host_consent": "true"})
    text = " ".join(e.value for e in at.error)
    assert "host_authority" in text and "partial" in text and "functioning" in text


def test_a_link_reproduces_the_scenario_and_the_address_bar_follows_changes(fixture_env):
    sc = scenarios.load(FIX / "examples" / "substitution.yaml")
    from advisor.ui import links

    at = start(links.encode(sc))
    assert current(at).to_dict() == sc.to_dict()
    assert shown(at)["Mandate"] == shown_mandate(advise(fixture_env, sc))
    edit_fact(at, "country_size", "large")
    assert links.decode(dict(at.query_params)).get("country_size") == "large"


def test_one_click_answer_sets_an_unknown_fact(fixture_env):
    at = start()
    at.selectbox(key="preset").select("Vălenii strengthening (€ budget)").run()
    sc = current(at)
    assert not sc.known("disputed_border")
    assert "disputed_border" in advise(fixture_env, sc).unknown_that_mattered
    panels = at.pills(key="advice_tab:main").options
    assert [p.key for p in at.pills] == ["advice_tab:main"], "the Unknowns panel is drawn only when open"
    edit_fact(at, "country_size", "medium")  # Undo has a target now: the answer's run is its own
    at.session_state["advice_tab:main"] = next(label for label in panels if label.startswith("Unknowns ("))
    at.run()
    # Clicked in the browser, the answer reruns the details' fragment, where the pills are; the
    # board (another fragment) must show the answer too: the answer reruns the app.
    with runs_in_fragment(at, DETAILS):
        at.pills(key="answer:main:disputed_border").set_value("yes").run()
    assert not at.exception, at.exception
    assert current(at).get("disputed_border") is True
    assert BOARD in drawn(at) and shown_fact(at, "disputed_border") == "yes"
    assert shown(at)["Mandate"] == shown_mandate(advise(fixture_env, current(at)))


def test_every_item_opens_to_its_rules_and_sections(fixture_env):
    at = start()
    at.selectbox(key="preset").select("Interim administration").run()
    assert "mandate.substitution" not in " ".join(m.value for m in at.markdown)  # closed: not drawn
    at.session_state["why:main"] = True  # open "Why this mandate, structure and HQ?"
    at.run()
    text = " ".join(m.value for m in at.markdown)
    assert "mandate.substitution" in text and "§6.2" in text
    # The why-tree goes down through the derived fact to the input facts, with their values.
    assert "`mandate.executive-powers-needed`" in text and "Interim administration = **yes**" in text
    at.checkbox(key="graph:main:mandate:substitution").check().run()
    dot = at.get("graphviz_chart")[0].proto.spec
    assert "mandate.substitution" in dot and "mandate.executive-powers-needed" in dot


def test_an_item_is_drawn_closed_and_opens_to_its_why_tree(fixture_env):
    at = start()
    at.selectbox(key="preset").select("Interim administration").run()
    advice = advise(fixture_env, current(at))
    item = advice.items["objective"][0]
    key = f"item:main:objective:{item.value}"
    title = advice.rulebase.knowledge.title(item.value)
    assert not any(e.label.startswith(title) for e in at.expander), "the details are drawn only when picked"
    at.pills(key="advice_tab:main").set_value("Objectives and tasks").run()
    labels = [e.label for e in at.expander]
    assert any(label.startswith(advice.rulebase.knowledge.title(item.value)) for label in labels)
    rule = item.because[0]
    assert f"`{rule}`" not in " ".join(m.value for m in at.markdown)  # closed: its body is not drawn
    at.session_state[key] = True
    at.run()
    assert f"`{rule}`" in " ".join(m.value for m in at.markdown)


def test_the_details_follow_a_fact_change_when_open_or_when_their_labels_change(fixture_env):
    # A fact change leaves the closed details out (test above); they follow, in the same
    # interaction, when a panel is open (it shows this scenario's items) or when the Unknowns
    # pill's count changes. Only a fragment run decides this: a full run draws every fragment.
    at = start()
    at.selectbox(key="preset").select("Interim administration").run()
    edit_in_board(at, "interim_administration", "no")  # the first change: a full run
    at.pills(key="advice_tab:main").set_value("Warnings").run()
    edit_in_board(at, "interim_administration", "yes")
    assert "advice_tab:main" in drawn(at), "an open panel follows the change"
    assert "preset" not in drawn(at), "the fragments follow, not the whole app"
    advice = advise(fixture_env, current(at))
    titles = {advice.rulebase.knowledge.title(i.value) for i in advice.items.get("warning", ())}
    assert titles and titles <= {e.label.split("  ·  ")[0] for e in at.expander}
    at.pills(key="advice_tab:main").set_value(None).run()
    # Closed again: a change that moves the unknowns' count redraws the pills with the new count.
    before = len(advise(fixture_env, current(at)).unknowns.mattered)
    for path, value in (("host_authority", "unknown"), ("interim_administration", "unknown")):
        edit_in_board(at, path, value)
        after = len(advise(fixture_env, current(at)).unknowns.mattered)
        if after != before:
            break
    assert after != before, "the fixture has a change that moves the unknowns' count"
    assert "advice_tab:main" in drawn(at) and "preset" not in drawn(at)
    assert f"Unknowns ({after})" in at.pills(key="advice_tab:main").options
