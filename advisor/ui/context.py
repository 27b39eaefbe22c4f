"""Per-run context for the pages: the rule base in service and the current advice."""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable

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
    if status.error is not None or status.rulebase is None:
        problems = "\n".join(f"- {esc(str(p))}" for p in (status.error.problems[:20] if status.error else ()))
        if status.rulebase is None:
            st.error(
                "The rule base does not load, so there is no advice yet. Fix these problems in the "
                "rule files; the app picks the fix up on the next interaction:\n\n" + problems
            )
            st.stop()
        st.warning(
            f"The rule files on disk were changed and no longer validate; still serving the last good "
            f"version {status.rulebase.label}.\n\n" + problems
        )
    if status.reloaded:
        st.toast(f"Rule base reloaded: {status.rulebase.label}")
    st.session_state[RULEBASE] = status.rulebase
    return status.rulebase


def rulebase() -> RuleBase:
    return st.session_state[RULEBASE]


CACHE_ENV = "ADVISOR_ADVICE_CACHE"  # advice kept for the whole server; 0 turns the cache off
CACHE_DEFAULT = 128  # entries; an Advice with its unknowns analysis is tens of kB


class AdviceCache:
    """Advice by (scenario facts, rule-base version), shared by every session, bounded LRU.

    A fact change spends most of its script time on the engine run and the unknowns
    analysis (about 150 extra evaluations); planners flip facts back and forth, undo,
    and open the same scenario on other pages and in other tabs, so each (scenario,
    rule-base version) is computed once. Advice is read-only once built; the lock guards
    the dictionary because every browser session runs its script in its own thread.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._lock = threading.Lock()
        self._items: OrderedDict[tuple, Advice] = OrderedDict()

    def get(self, key: tuple, build: Callable[[], Advice]) -> Advice:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        result = build()
        if self.limit > 0:
            with self._lock:
                self._items[key] = result
                while len(self._items) > self.limit:
                    self._items.popitem(last=False)
        return result


@st.cache_resource(show_spinner=False)
def advice_cache() -> AdviceCache:
    return AdviceCache(int(os.environ.get(CACHE_ENV, CACHE_DEFAULT)))


def advice_for(scenario, rb: RuleBase) -> Advice:
    """The advice for a scenario under a rule base, computed once per (scenario, rule-base version).

    The key holds the rule base's identity besides its hash: a cached Advice keeps its
    rule base alive, so the id cannot be reused while the entry exists.
    """
    key = (tuple(sorted(links.encode(scenario).items())), scenario.source, rb.sha256, id(rb))

    def build() -> Advice:
        result = advise(rb, scenario)
        _ = result.unknowns  # every page shows it; computed here so the cached entry is complete
        return result

    return advice_cache().get(key, build)


LAST = "_advice_last"  # (scenario, rule base, advice) of this session's last call


def advice() -> Advice:
    """The current scenario's advice; the Workspace's fragments of one change share one computation.

    The headline and the advice panel are separate fragments, both drawn after a fact change;
    with the server cache off (ADVISOR_ADVICE_CACHE=0) each would compute it. Both objects are
    immutable, so identity tells the same scenario under the same rule base.
    """
    scenario, rb = state.current(), rulebase()
    last = st.session_state.get(LAST)
    if last is not None and last[0] is scenario and last[1] is rb:
        return last[2]
    result = advice_for(scenario, rb)
    st.session_state[LAST] = (scenario, rb, result)
    return result
