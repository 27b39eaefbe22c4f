"""Per-run context for the pages: the rule base in service and the current advice."""
from __future__ import annotations

import streamlit as st

from ..advice import Advice
from ..ruleset import RuleBase
from ..service import advise
from . import links, resources, state
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


ADVICE = "_advice"  # (scenario facts, rule-base hash) -> Advice, the last one only


def advice_for(scenario, rb: RuleBase) -> Advice:
    """The advice for a scenario under a rule base, computed once per (scenario, rule-base version).

    Pages ask for the advice several times per run and every rerun asks again; the engine run
    is the expensive part, so it is kept in the session until the scenario or rule base changes.
    """
    key = (tuple(sorted(links.encode(scenario).items())), scenario.source, rb.sha256, id(rb))
    held = st.session_state.get(ADVICE)
    if held is not None and held[0] == key:
        return held[1]
    result = advise(rb, scenario)
    st.session_state[ADVICE] = (key, result)
    return result


def advice() -> Advice:
    return advice_for(state.current(), rulebase())
