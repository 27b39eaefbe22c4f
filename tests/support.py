"""Paths and checks shared by test modules (importable: conftest.py names are not unique)."""

from __future__ import annotations

import re
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
    """The headline and design views an AppTest page sent to the browser (advisor/ui/viewer.py),
    read back from the element's JSON, in page order."""
    import json

    from advisor.ui.glance import View
    from advisor.ui.viewer import NAME

    return [
        View.from_data(json.loads(e.proto.json)) for e in at.get("bidi_component") if e.proto.component_name == NAME
    ]


def figures(at) -> dict[str, str]:
    """The headline as shown: {label: value}, e.g. {"Mandate": "substitution", ...}."""
    return {f.label: f.value for view in views(at) for f in view.figures}


def view_text(at) -> str:
    """Everything the page's views show, as plain text."""
    return "\n".join(view.text() for view in views(at))
