"""Per-run context for the pages: the rule base in service and the current advice."""
from __future__ import annotations

import streamlit as st

from ..advice import Advice
from ..ruleset import RuleBase
from ..service import advise
from . import resources, state
from .views import esc

RULEBASE = "_rulebase"


def load_rulebase() -> RuleBase:
    """Check the rule files for changes; warn on a failed reload; stop when nothing serves."""
    status = resources.live().check()
    if status.reloaded:
        st.toast(f"Rule base reloaded: {status.rulebase.label}")
    if status.error is not None:
        problems = "\n".join(f"- {esc(str(p))}" for p in status.error.problems[:20])
        if status.rulebase is None:
            st.error("The rule base does not load, so there is no advice yet. Fix these problems in the "
                     "rule files; the app picks the fix up on the next interaction:\n\n" + problems)
            st.stop()
        st.warning(f"The rule files on disk were changed and no longer validate; still serving the last good "
                   f"version {status.rulebase.label}.\n\n" + problems)
    st.session_state[RULEBASE] = status.rulebase
    return status.rulebase


def rulebase() -> RuleBase:
    return st.session_state[RULEBASE]


def advice() -> Advice:
    return advise(rulebase(), state.current())
