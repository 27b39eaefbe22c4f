"""Shared fixtures: paths found relative to this file, never via chdir."""
from __future__ import annotations

from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
FIXTURES = TESTS / "fixtures"
CHAIN_RULES = FIXTURES / "rulebases" / "chain" / "rules"
CHAIN_KNOWLEDGE = FIXTURES / "rulebases" / "chain" / "knowledge"


@pytest.fixture(scope="session")
def chain_rulebase():
    from advisor.ruleset import load_rulebase
    return load_rulebase(CHAIN_RULES, CHAIN_KNOWLEDGE)


@pytest.fixture(scope="session")
def real_rulebase():
    from advisor.ruleset import load_rulebase
    return load_rulebase()
