"""The workspace page through AppTest: the real app, the real engine, widgets driven by key."""

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
from support import figures

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


def drawn(at: AppTest) -> set:
    """The keys of the widgets the last run drew."""
    kinds = ("selectbox", "multiselect", "checkbox", "pills", "bidi_component")  # the last: headline, design
    return {w.key for kind in kinds for w in at.get(kind) if w.key}


def edit(at: AppTest, path: str) -> AppTest:
    """Open the editor's group holding `path` (only the chosen group's widgets are drawn).

    After a fact change only the headline and the advice rerun; the browser keeps showing the
    editor, while AppTest's tree holds only what that run drew, so the page is drawn again first.
    """
    if "fact_group" not in drawn(at):
        at.run()
    at.pills(key="fact_group").set_value(group_of(path)).run()
    assert not at.exception, at.exception
    return at


def test_every_contract_fact_has_an_editor_widget_with_unknown_as_a_choice(fixture_env):
    at = start()
    drawn = set()
    for path, p in v.PATHS.items():
        edit(at, path)
        drawn.add(group_of(path))
        # Only the chosen group is drawn: no widget of another group is in the page.
        others = {q for q in v.PATHS if group_of(q) != group_of(path)}
        assert not [w.key for w in list(at.selectbox) + list(at.multiselect) if w.key[len("fact:") :] in others]
        widget = at.multiselect(key=f"fact:{path}") if p.field.kind == v.LIST else at.selectbox(key=f"fact:{path}")
        assert widget is not None
        if p.field.kind == v.LIST:
            assert at.checkbox(key=f"fact:unknown:{path}").label == "unknown"
        else:
            assert "unknown" in widget.options
    assert drawn == {title for title, _ in GROUPS}


def test_a_fact_set_in_one_group_survives_editing_another(fixture_env):
    at = start()
    at.selectbox(key="preset").select("Interim administration").run()
    edit(at, "country_size").selectbox(key="fact:country_size").select("large").run()
    edit(at, "host_consent").selectbox(key="fact:host_consent").select("unknown").run()
    edit(at, "country_size")
    assert current(at).get("country_size") == "large" and not current(at).known("host_consent")
    assert at.selectbox(key="fact:country_size").value == "large"


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
    at.selectbox(key="fact:interim_administration").select(new_value).run()
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
    at.selectbox(key="fact:interim_administration").select("no").run()
    assert shown(at)["Mandate"] != "substitution"
    assert shown(at)["Mandate"] == shown_mandate(advise(fixture_env, current(at)))


def test_a_fact_change_redraws_the_headline_and_advice_and_leaves_the_editor(fixture_env):
    # Why: each element drawn costs the browser a render on every change (bench_app.py); the
    # widget the planner used already shows its value, so the editor is not sent again.
    at = start()
    at.selectbox(key="preset").select("Interim administration").run()
    assert {"fact_group", "fact:interim_administration", "advice_tab:main", "headline", "design:main"} <= drawn(at)
    # The first change gives Undo a target, which the sidebar shows: that one redraws the app.
    at.selectbox(key="fact:interim_administration").select("no").run()
    at.selectbox(key="fact:interim_administration").select("yes").run()
    assert not at.exception, at.exception
    # The details (closed, their labels unchanged) are not sent again either.
    assert drawn(at) == {"headline", "design:main"}, "only the headline and the design were drawn"
    assert shown(at)["Mandate"] == shown_mandate(advise(fixture_env, current(at)))
    # A list fact moves its "unknown" box (another editor widget): the editor is drawn again.
    edit(at, "agreements").checkbox(key="fact:unknown:agreements").uncheck().run()
    assert {"fact:agreements", "fact:unknown:agreements", "headline", "design:main"} <= drawn(at)
    at.multiselect(key="fact:agreements").select("bcp_agreement").run()
    assert at.checkbox(key="fact:unknown:agreements").value is False
    assert current(at).get("agreements") == ("bcp_agreement",)


def test_unknown_removes_the_fact_from_the_scenario(fixture_env):
    at = start()
    at.selectbox(key="preset").select("Interim administration").run()
    assert current(at).known("host_consent")
    edit(at, "host_consent").selectbox(key="fact:host_consent").select("unknown").run()
    assert not current(at).known("host_consent")


def test_list_fields_distinguish_unknown_from_none(fixture_env):
    at = start()
    assert current(at).get("agreements") is None
    edit(at, "agreements").checkbox(key="fact:unknown:agreements").uncheck().run()
    assert current(at).get("agreements") == ()
    at.multiselect(key="fact:agreements").select("bcp_agreement").run()
    assert current(at).get("agreements") == ("bcp_agreement",)
    assert shown(at)["Mandate"] == shown_mandate(advise(fixture_env, current(at)))


def upload(at: AppTest, name: str, data: bytes) -> None:
    at.session_state["share"] = True  # open "Load, save and share" (drawn on demand)
    at.run()
    at.get("file_uploader")[0].set_value((name, data, "application/x-yaml")).run()
    assert not at.exception, at.exception


def test_upload_loads_a_scenario_file(fixture_env):
    at = start()
    upload(at, "mine.yaml", (FIX / "examples" / "substitution.yaml").read_bytes())
    assert current(at).name == "Interim administration"
    assert at.selectbox(key="fact:host_authority").value == "limited"
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
    edit(at, "country_size").selectbox(key="fact:country_size").select("large").run()
    assert links.decode(dict(at.query_params)).get("country_size") == "large"


def test_one_click_answer_sets_an_unknown_fact(fixture_env):
    at = start()
    at.selectbox(key="preset").select("Vălenii strengthening (€ budget)").run()
    sc = current(at)
    assert not sc.known("disputed_border")
    assert "disputed_border" in advise(fixture_env, sc).unknown_that_mattered
    panels = at.pills(key="advice_tab:main").options
    assert [p.key for p in at.pills] == ["fact_group", "advice_tab:main"], "the Unknowns panel is drawn only when open"
    at.session_state["advice_tab:main"] = next(label for label in panels if label.startswith("Unknowns ("))
    at.run()
    at.pills(key="answer:main:disputed_border").set_value("yes").run()
    assert current(at).get("disputed_border") is True
    # The answer is given in the advice; the editor (another fragment) shows it too.
    assert "fact_group" in drawn(at)
    edit(at, "disputed_border")
    assert at.selectbox(key="fact:disputed_border").value == "yes"
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
    # A fact change leaves the closed details out (test above); they are redrawn when a panel is
    # open, which shows this scenario's items, or when the Unknowns pill's count changes.
    at = start()
    at.selectbox(key="preset").select("Interim administration").run()
    at.selectbox(key="fact:interim_administration").select("no").run()  # the first change: a full run
    at.pills(key="advice_tab:main").set_value("Warnings").run()
    at.selectbox(key="fact:interim_administration").select("yes").run()
    assert not at.exception, at.exception
    assert "advice_tab:main" in drawn(at), "an open panel follows the change"
    advice = advise(fixture_env, current(at))
    titles = {advice.rulebase.knowledge.title(i.value) for i in advice.items.get("warning", ())}
    assert titles and titles <= {e.label.split("  ·  ")[0] for e in at.expander}
    at.pills(key="advice_tab:main").set_value(None).run()
    # Closed again: a change that moves the unknowns' count redraws the pills with the new count.
    before = len(advise(fixture_env, current(at)).unknowns.mattered)
    for path, value in (("host_authority", "unknown"), ("interim_administration", "unknown")):
        edit(at, path).selectbox(key=f"fact:{path}").select(value).run()
        after = len(advise(fixture_env, current(at)).unknowns.mattered)
        if after != before:
            break
    assert after != before, "the fixture has a change that moves the unknowns' count"
    assert "advice_tab:main" in drawn(at)
    assert f"Unknowns ({after})" in at.pills(key="advice_tab:main").options
