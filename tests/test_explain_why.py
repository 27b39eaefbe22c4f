"""Why: derivation trees agree with the evaluation, reach input facts, render safely."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from advisor.explain.render import render
from advisor.explain.targets import Target
from advisor.explain.why import explain_why
from advisor.explain.whynot import why_not
from advisor.ruleset import load_rulebase
from advisor.scenario import load
from advisor.service import advise

HERE = Path(__file__).resolve().parent / "fixtures" / "explain"
SCENARIOS = sorted((HERE / "scenarios").glob("*.yaml"))


@pytest.fixture(scope="module")
def rb():
    return load_rulebase(HERE / "rulebase" / "rules", HERE / "rulebase" / "knowledge")


def walk(node, scenario, rb, depth=0):
    assert depth < 50
    rule = rb.rule(node.rule_id)
    assert node.title == rule.title and [s.id for s in node.sections] == list(rule.sections)
    for fact in node.facts:
        assert fact.value == scenario.get(fact.path) and fact.value is not None
    for key, children in node.supports:
        assert children, f"{node.rule_id} read {key} but nothing produced it"
        for child in children:
            assert key in child.concluded
            walk(child, scenario, rb, depth + 1)


@pytest.mark.parametrize("engine", ["durable", "reference"])
@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_every_conclusion_has_a_tree_down_to_input_facts(rb, path, engine):
    scenario = load(path)
    advice = advise(rb, scenario, engine=engine)
    targets = tuple(Target(slot, i.value) for slot, items in advice.items.items() for i in items)
    report = explain_why(advice, targets)
    for entry in report.entries:
        item = advice.item(entry.target.slot, entry.target.value)
        assert entry.status == "concluded"
        assert {n.rule_id for n in entry.because} == set(item.because)
        for node in entry.because:
            walk(node, scenario, rb)
    json.dumps(report.to_json())


def test_substitution_tree_goes_through_the_derived_fact(rb):
    scenario = load(HERE / "scenarios" / "interim.yaml")
    entry = explain_why(advise(rb, scenario), (Target("mandate", "substitution"),)).entries[0]
    (root,) = entry.because
    assert root.rule_id == "m.substitution"
    ((key, (child,)),) = root.supports
    assert key == "derived:executive_powers_needed" and child.rule_id == "m.executive-powers"
    assert {f.path: f.value for f in child.facts} == {"host_authority": "absent", "interim_administration": True}
    assert root.input_facts() == ("host_authority", "interim_administration")
    assert "Fixture" in child.rationale and child.sections[0].label == "§6.2"


def test_default_explains_the_headline_and_partners_and_absence(rb):
    advice = advise(rb, load(HERE / "scenarios" / "interim.yaml"))
    report = explain_why(advice)
    assert [e.target.key for e in report.entries] == [
        "mandate:substitution",
        "structure:regional",
        "hq:capital",
        "partner:frontex",
    ]
    frontex = report.entries[-1].because[0]
    assert frontex.absent == ("mandate:none",)


def test_status_of_a_value_not_concluded_or_beaten(rb):
    advice = advise(rb, load(HERE / "scenarios" / "interim.yaml"))
    entries = explain_why(advice, (Target("mandate", "monitoring"), Target("mandate", "none"))).entries
    assert entries[0].status == "overridden" and entries[0].because[0].rule_id == "m.monitoring"
    assert entries[1].status == "not concluded" and entries[1].because == ()


def assert_well_formed(dot: str) -> None:
    assert dot.startswith("digraph ") and dot.rstrip().endswith("}")
    body = dot.strip().splitlines()[1:-1]
    quoted = r'"(?:[^"\\]|\\.)*"'
    name = rf"(?:n\d+|{quoted})"
    node = re.compile(rf"^  {name} \[label={quoted}(, \w+={quoted})*\];$")
    edge = re.compile(rf"^  ({name}) -> ({name})( \[label={quoted}\])?;$")
    for line in body[2:]:
        assert node.match(line) or edge.match(line), line
    ids = set(re.findall(rf"^  ({name}) \[label=", dot, re.M))
    used = {n for line in body if (m := edge.match(line)) for n in m.groups()[:2]}
    assert used <= ids


def test_dot_is_well_formed(rb):
    dot = render(explain_why(advise(rb, load(HERE / "scenarios" / "interim.yaml"))), "dot")
    assert_well_formed(dot)
    # nodes in words (rule title, fact label: value); the rule id only names the node (hover tooltip)
    labels = " ".join(re.findall(r'label="((?:[^"\\]|\\.)*)"', dot)).replace("\\n", " ")
    assert '"m.executive-powers" [label=' in dot and "host border authority: absent" in labels
    assert "host_authority" not in labels and "derived:" not in labels and "m.executive-powers" not in labels


def test_text_names_rule_fact_value_and_section(rb):
    text = render(explain_why(advise(rb, load(HERE / "scenarios" / "interim.yaml"))))
    assert "[m.substitution]" in text and "host border authority: absent" in text and "§6.2" in text
    line = next(ln for ln in text.splitlines() if "[m.substitution]" in ln)
    assert line.strip().index("[m.substitution]") > 0, "the rule is named by its title; the id follows"


def test_dot_escapes_quotes_in_titles(rb):
    advice = advise(rb, load(HERE / "scenarios" / "conflicted.yaml"))
    for report in (
        explain_why(advice, (Target("structure", "functional"),)),
        why_not(advice, Target("structure", "functional")),
    ):
        dot = render(report, "dot")
        assert_well_formed(dot)
        assert '\\"functional\\"' in dot


def test_a_tied_slot_is_explained_with_both_sides(rb):
    report = explain_why(advise(rb, load(HERE / "scenarios" / "conflicted.yaml")))
    tied = [e for e in report.entries if e.target.slot == "structure"]
    assert [(e.target.value, e.status) for e in tied] == [("regional", "conflict"), ("functional", "conflict")]
    assert [n.rule_id for e in tied for n in e.because] == ["s.regional", "s.functional-customs"]


def test_a_rule_whose_alternatives_all_held_appears_once_with_every_fact(rb):
    scenario = load(HERE / "scenarios" / "interim.yaml").with_value("agreements", ("ceasefire", "bcp_agreement"))
    advice = advise(rb, scenario)
    (node,) = explain_why(advice, (Target("mandate", "monitoring"),)).entries[0].because
    assert node.rule_id == "m.monitoring" and node.alternatives == 2
    assert {f.path for f in node.facts} == {"disputed_border", "mediation_process", "agreements"}
