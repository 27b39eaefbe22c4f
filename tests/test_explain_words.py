"""What a planner reads is in words, for every archetype: the text output, the app pages and
the briefing name no internal forms (`derived:`, `concluded:`, raw tests such as
`host_authority in [...]`, snake_case fact paths or values, rule or catalogue ids where a
title exists). Ids may follow a title as a reference for rule authors: in [brackets] in
text output, as `code` in the app; those references are taken out before checking.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from advisor import scenario as scenarios
from advisor.explain import Target, compare, explain_why, flips, missing_facts, why_not
from advisor.explain.render import render
from advisor.explain.sentences import why_not_sentences
from advisor.report.briefing import build_briefing
from advisor.report.markdown import render_markdown
from advisor.service import advise
from advisor.slots import SLOTS
from advisor.ui import config
from support import view_text

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
KOSOVO = ROOT / "examples" / "kosovo_interim_partial_substitution.yaml"
RAW = re.compile(r"derived:|concluded:|\bin \[|\bis (true|false)\b|\b[a-z]+_[a-z0-9_]+\b")


def internal_names(text: str, ids: frozenset) -> list[str]:
    """The internal forms left in `text` once [id] and `id` references are taken out."""
    plain = re.sub(r"\[[^\]\n]*\]|`[^`\n]*`", " ", text)
    found = [m.group(0) for m in RAW.finditer(plain)]
    found += [tok for tok in re.findall(r"[\w§][\w.\-§]*\.[\w\-]+", plain) if tok in ids]
    return found


@pytest.fixture(scope="module")
def ids(real_rulebase) -> frozenset:
    """Rule ids and catalogue ids with a title: a planner reads the title instead."""
    kn = real_rulebase.knowledge
    return frozenset(
        {r.id for r in real_rulebase.rules}
        | {e for e in kn.entries if "." in e and not e.startswith("§") and kn.title(e) != e}
    )


def test_the_checker_catches_each_internal_form(ids):
    rule_id = min(i for i in ids if i.startswith("mandate."))
    for bad in (
        "needs derived:monitoring_needed",
        "host_authority in [limited, absent]",
        "interim administration is true",
        f"concluded by {rule_id}",
        "concluded: x",
    ):
        assert internal_names(bad, ids), bad
    for fine in (f"Title (§6.2) [{rule_id}]", f"**Title** `{rule_id}`", "host border authority is limited"):
        assert not internal_names(fine, ids), fine


def _alternatives(advice):
    return [m for m in SLOTS["mandate"].values if m != advice.mandate]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_text_output_of_every_archetype_is_in_words(real_rulebase, ids, path):
    rb = real_rulebase
    s = scenarios.load(path)
    advice = advise(rb, s)
    other = scenarios.load(KOSOVO if path != KOSOVO else EXAMPLES[0])
    texts = {"explain": render(explain_why(advice)), "compare": render(compare(rb, (s, other)))}
    for m in _alternatives(advice):
        texts[f"why-not {m}"] = render(why_not(advice, Target("mandate", m)))
    for slot in ("structure", "hq"):
        for value in SLOTS[slot].values:
            texts[f"why-not {slot}:{value}"] = render(why_not(advice, Target(slot, value)))
    texts["whatif"] = render(flips(rb, s)) + render(missing_facts(rb, s))
    texts["dot"] = " ".join(re.findall(r'label="((?:[^"\\]|\\.)*)"', render(explain_why(advice), "dot")))
    for name, text in texts.items():
        assert not internal_names(text, ids), (path.name, name, internal_names(text, ids)[:5])


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_briefing_markdown_of_every_archetype_states_conditions_in_words(real_rulebase, ids, path):
    text = render_markdown(build_briefing(advise(real_rulebase, scenarios.load(path)), date="2026-12-02"))
    # The briefing's appendix cites each rule by id under its title, for traceability: ids are
    # references there; what must not appear is a raw test or an internal key.
    # A fact's key in `code` beside its label tells the scenario author which field to fill.
    found = [m.group(0) for m in RAW.finditer(re.sub(r"`[^`\n]*`", " ", text.replace("\\", "")))]
    assert not found, (path.name, found[:5])


# ---- the app, through AppTest, with the real rule base and archetypes ----


@pytest.fixture
def real_app(monkeypatch):
    monkeypatch.setenv(config.ENV_RULES, str(ROOT / "rules"))
    monkeypatch.setenv(config.ENV_KNOWLEDGE, str(ROOT / "knowledge"))
    monkeypatch.setenv(config.ENV_EXAMPLES, str(ROOT / "examples"))
    st.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    assert not at.exception, at.exception
    yield at
    st.cache_resource.clear()


def shown_text(at: AppTest) -> str:
    """Everything a page shows as text: markdown, captions, alerts, metrics, tables, expanders."""
    parts = [
        e.value
        for kind in ("markdown", "caption", "info", "warning", "success", "error")
        for e in getattr(at, kind)
        if not e.value.startswith("<style>")  # the app's fixed CSS (advisor/ui/style.py), never shown
    ]
    parts.append(view_text(at))  # the headline and the design (advisor/ui/viewer.py)
    parts += [e.label for e in at.expander] + [t.label for t in at.tabs]
    parts += [str(o) for p in at.pills for o in p.options]
    for table in list(at.table) + list(at.dataframe):
        frame = table.value
        frame = getattr(frame, "data", frame)  # a Styler keeps its frame in .data
        # a column headed "rules" is the id reference next to the rules' titles ("grounds")
        frame = frame.drop(columns=[c for c in frame.columns if c == "rules"])
        parts += [str(c) for c in frame.columns] + [str(x) for x in frame.astype(str).values.ravel()]
    return "\n".join(parts)


ADVICE_TAB = "advice_tab:main"  # the Workspace's advice panel pills (advisor/ui/views.py)
WHATIF_TAB = "whatif_tab"  # the What-if page's tabs (app_pages/whatif.py)


def each_tab(at: AppTest, key: str, page: str) -> dict[str, str]:
    """What every panel of a lazy tab bar or pill row shows, one open at a time (only it is drawn).

    The labels are read from the page as drawn (the What-if page's st.tabs, the Workspace's row
    of advice pills); each is then opened as a click would, through the widget's session-state
    value, and checked to be the one whose content is shown.
    """
    pills = [p for p in at.pills if p.key == key]
    labels = list(pills[0].options) if pills else [t.label for t in at.tabs]
    assert labels, f"{page}: no tabs drawn"
    shown = {}
    for label in labels:
        at.session_state[key] = label
        at.run()
        assert not at.exception, at.exception
        if pills:
            assert at.pills(key=key).value == label, (page, label)  # the pill row draws only the chosen panel
        else:
            drawn = [t.label for t in at.tabs if t.children]
            assert set(drawn) <= {label}, (page, label, drawn)  # what is read is the open tab's
        shown[f"{page} / {label}"] = shown_text(at)
    return shown


@pytest.mark.slow  # 22 archetypes, a rerun per tab: about 20 s each on a busy machine
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_app_pages_of_every_archetype_are_in_words(real_app, real_rulebase, ids, path):
    at = real_app
    s = scenarios.load(path)
    at.selectbox(key="preset").select(s.name).run()
    assert not at.exception, at.exception
    pages = each_tab(at, ADVICE_TAB, "workspace")
    advice = advise(real_rulebase, s)
    # set before the page draws its widgets: the Why not tab, open first, asks about it
    at.session_state["whynot_value"] = _alternatives(advice)[0]
    at.switch_page("app_pages/whatif.py").run()
    assert not at.exception, at.exception
    pages |= each_tab(at, WHATIF_TAB, "whatif")
    graphs = [g.proto.spec for g in at.get("graphviz_chart")]  # the last tab opened: the rule-chain graph
    pages["graph"] = " ".join(re.findall(r'label="((?:[^"\\]|\\.)*)"', " ".join(graphs)))
    at.switch_page("app_pages/compare.py").run()
    assert not at.exception, at.exception
    pages["compare"] = shown_text(at)
    for name, text in pages.items():
        assert not internal_names(text, ids), (path.name, name, internal_names(text, ids)[:5])
    assert graphs, "the rule-chain graph tab draws the headline's graph"


def test_why_not_sentence_unfolds_monitoring_to_what_a_planner_can_change(real_rulebase):
    advice = advise(real_rulebase, scenarios.load(KOSOVO))
    sentences = why_not_sentences(why_not(advice, Target("mandate", "monitoring")))
    first, *rest = sentences
    assert first.startswith("Border monitoring mandate needs") or "monitoring" in first.split(" needs ")[0].lower()
    grounds = next(x for x in rest if x.lower().startswith("monitoring needed needs"))
    # alternatives with what the scenario has now, the input facts a planner can change
    assert "either disputed or fragile border to be yes (now: no)" in grounds
    assert "agreements in force to include one of: ceasefire, cessation of hostilities, bcp agreement" in grounds
    assert "(now: status of mission agreement)" in grounds
    # each derived fact once per answer
    subjects = [x.split(" needs ")[0].split(" holds ")[0] for x in sentences]
    assert len(subjects) == len(set(subjects)), sentences


def test_compare_page_on_kosovo_names_only_rules_that_fired(real_app, real_rulebase):
    """The issue's case: Kosovo against the same with host_authority functioning. The page's
    'proposed by' names rules from the evaluation's overridden list only; the mirror-host rule,
    which never fired (host_structure: none), appears only as 'did not fire'."""
    from advisor.oracle import evaluate_reference
    from advisor.ui import state

    at = real_app
    base = scenarios.load(KOSOVO)
    at.selectbox(key="preset").select(base.name).run()
    at.session_state[state.SAVED] = {"functioning": base.with_value("host_authority", "functioning")}
    at.switch_page("app_pages/compare.py").run()
    current = next(o for o in at.multiselect(key="compare_pick").options if o.startswith("Current: "))
    at.multiselect(key="compare_pick").set_value([current, "Snapshot: functioning"]).run()
    assert not at.exception, at.exception
    fired = evaluate_reference(real_rulebase, base).fired_ids()
    trace = next(m.value for m in at.markdown if m.value.startswith("**Structure: functional**"))
    proposed = [line for line in trace.splitlines() if "proposed by" in line]
    assert proposed, trace
    for line in proposed:
        named = re.findall(r"`([^`]+)`", line)
        assert named and all(r in fired for r in named), (line, [r for r in named if r not in fired])
        assert "structure.mirror-host.functional" not in line
    idle = [line for line in trace.splitlines() if "structure.mirror-host.functional" in line]
    assert idle and all("did not fire" in line for line in idle), idle
    assert "structure.mirror-host.functional" not in fired


def test_why_not_page_answers_in_sentences_down_to_input_facts(real_app):
    at = real_app
    at.selectbox(key="preset").select(scenarios.load(KOSOVO).name).run()
    at.session_state["whynot_value"] = "monitoring"
    at.switch_page("app_pages/whatif.py").run()
    assert not at.exception, at.exception
    text = "\n".join(m.value for m in at.markdown)
    assert "Border monitoring mandate needs" in text
    assert (
        "Monitoring needed needs either disputed or fragile border to be yes (now: no), or agreements in "
        "force to include one of: ceasefire, cessation of hostilities, bcp agreement"
    ) in text
    assert "Executive powers needed holds because host border authority is limited" in text
