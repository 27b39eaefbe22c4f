"""The Workspace editor's data and the events it takes from the browser (advisor/ui/facteditor.py).

The editor is drawn in the browser (tests/browser/ drive it); what the server sends it and what
it accepts back are plain data, checked here on every example scenario and on the events in
tests/fixtures/editor/events.yaml.
"""

from __future__ import annotations

import pytest
import yaml

from advisor import vocabulary as v
from advisor.errors import AdvisorError
from advisor.scenario import from_text
from advisor.ui import facteditor
from advisor.ui.groups import GROUPS
from support import FIXTURES, ROOT

EVENTS = yaml.safe_load((FIXTURES / "editor" / "events.yaml").read_text(encoding="utf-8"))
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


def _plain(value):
    return list(value) if isinstance(value, tuple) else value


@pytest.mark.parametrize("case", EVENTS["accepted"], ids=lambda c: str(c["event"]))
def test_an_event_the_editor_sends_gives_its_scenario_value(case):
    path, value = facteditor.event_value(case["event"])
    assert (path, _plain(value)) == (case["event"]["path"], case["value"])


@pytest.mark.parametrize("case", EVENTS["refused"], ids=lambda c: str(c["event"]))
def test_an_event_the_editor_never_sends_is_refused_naming_the_field(case):
    with pytest.raises(AdvisorError) as err:
        facteditor.event_value(case["event"])
    (problem,) = err.value.problems
    assert problem.field == case["field"]
    if problem.field != "path":  # a known fact: the refusal says what it takes
        assert problem.allowed


def test_the_editor_offers_every_contract_fact_once_in_the_groups_order():
    offered = facteditor.editable()
    assert len(offered) == len(set(offered)) and set(offered) == set(v.PATHS)
    expected = []
    for _, fields in GROUPS:
        for name in fields:
            mapping = v.FIELDS_BY_NAME[name].kind == v.MAPPING
            expected += [f"{name}.{area}" for area in v.AREAS] if mapping else [name]
    assert list(offered) == expected


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_what_the_editor_shows_sends_back_the_scenario_unchanged(path):
    """Every fact as sent to the browser, sent back as the editor would: the same scenario."""
    scenario = from_text(path.read_text(encoding="utf-8"), path.name)
    sent = facteditor.view(scenario).data()
    assert [title for title, _ in sent["groups"]] == [title for title, _ in GROUPS]
    assert sent["group"] in {title for title, _ in GROUPS}
    again = scenario
    for _, rows in sent["groups"]:
        for row in rows:
            if row[0] == "caption":
                continue
            kind, fact, label, help_text, options = row[:5]
            assert label
            section = v.PATHS[fact].field.section
            assert not section or f"Concept {section}." in help_text, "the help cites the concept section"
            if kind == "one":
                assert "unknown" in [value for value, _ in options] and row[5] in [value for value, _ in options]
                event = {"path": fact, "value": row[5]}
            else:
                event = {"path": fact, "value": row[5], "unknown": row[6]}
            again = again.with_value(*facteditor.event_value(event))
    assert again == scenario


@pytest.mark.parametrize("case", EVENTS["batches"], ids=lambda c: str(c["payload"])[:60])
def test_a_batch_gives_the_changes_not_taken_yet_and_the_new_mark(case):
    applied = tuple(case["applied"]) if case["applied"] else None
    taken, mark = facteditor.unapplied(case["payload"], applied)
    assert [e.get("seq") for e in taken] == case["take"]
    assert (list(mark) if mark else None) == case["mark"]


@pytest.mark.parametrize("case", EVENTS["malformed_batches"], ids=lambda c: str(c["payload"])[:60])
def test_a_malformed_batch_is_refused_naming_what_is_wrong(case):
    with pytest.raises(AdvisorError) as err:
        facteditor.unapplied(case["payload"], None)
    assert err.value.problems[0].field == case["field"]


def test_a_batch_is_bounded():
    events = [{"seq": n, "path": "host_consent", "value": "yes"} for n in range(1, facteditor.MAX_BATCH + 2)]
    with pytest.raises(AdvisorError) as err:
        facteditor.unapplied({"batch": "b", "events": events}, None)
    assert err.value.problems[0].field == "events"
