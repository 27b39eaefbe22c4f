"""Shared fixtures: paths found relative to this file, never via chdir."""
from __future__ import annotations

import os
import tempfile

import pytest

# The app re-reads edited rule files at most every ADVISOR_RELOAD_SECONDS; tests edit and rerun at once.
os.environ.setdefault("ADVISOR_RELOAD_SECONDS", "0")
# The app keeps its library, records and drafts in a database (issue 13): never the user's own.
os.environ.setdefault("ADVISOR_DATA_DIR", tempfile.mkdtemp(prefix="advisor-test-data-"))

from support import CHAIN_KNOWLEDGE, CHAIN_RULES


@pytest.fixture(scope="session")
def chain_rulebase():
    from advisor.ruleset import load_rulebase
    return load_rulebase(CHAIN_RULES, CHAIN_KNOWLEDGE)


@pytest.fixture(scope="session")
def real_rulebase():
    from advisor.ruleset import load_rulebase
    return load_rulebase()
