"""The workspace glance in the real app (AppTest): consent note, settledness and the changes
that would alter the design are the ones the advice computes."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from advisor.alterations import alterations
from advisor.design import consent_note
from advisor.service import advise
from advisor.ui import config
from support import view_text

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
PRESET = "Interim administration opposed by the former host state"


@pytest.fixture(autouse=True)
def real_env(monkeypatch):
    st.cache_resource.clear()
    for name in (config.ENV_RULES, config.ENV_KNOWLEDGE, config.ENV_EXAMPLES):
        monkeypatch.delenv(name, raising=False)
    yield
    st.cache_resource.clear()


def _text(elements) -> str:
    return "\n".join(str(e.value) for e in elements).replace("\\", "")


def test_the_glance_shows_the_consent_assumption_and_the_changes_that_alter_the_design(real_rulebase):
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    assert not at.exception, at.exception
    at.selectbox(key="preset").select(PRESET).run()
    assert not at.exception, at.exception
    advice = advise(real_rulebase, at.session_state["scenario"])
    note = consent_note(advice)
    assert note is not None
    warnings = _text(at.warning) + view_text(at)  # the design view's warnings (advisor/ui/viewer.py)
    assert "WITHOUT host consent" in warnings and "interim administration yes" in warnings
    shown = view_text(at)
    changes = alterations(advice)
    assert changes and "What would change the design" in shown
    for a in changes:
        assert a.change_words().replace(">", "") in shown.replace(">", "")
    # sampled settledness never reads as settled
    sampled = [s for s in advice.unknowns.settledness if s.verdict == "settled" and not s.exhaustive]
    if sampled:
        assert "sampled completions" in warnings
