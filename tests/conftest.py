"""Shared fixtures: paths found relative to this file, never via chdir."""
from __future__ import annotations

import os

import pytest

# The app re-reads edited rule files at most every ADVISOR_RELOAD_SECONDS; tests edit and rerun at once.
os.environ.setdefault("ADVISOR_RELOAD_SECONDS", "0")

from support import CHAIN_KNOWLEDGE, CHAIN_RULES


@pytest.fixture(scope="session")
def chain_rulebase():
    from advisor.ruleset import load_rulebase
    return load_rulebase(CHAIN_RULES, CHAIN_KNOWLEDGE)


@pytest.fixture(scope="session")
def real_rulebase():
    from advisor.ruleset import load_rulebase
    return load_rulebase()
