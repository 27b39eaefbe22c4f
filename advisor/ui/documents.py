"""Briefing documents built once per (scenario, rule base, marking) and only when asked for.

Rendering DOCX and PDF takes seconds on a busy machine, so the Briefing page must not
redo it on every rerun. The cache lives in the process (documents are the same for every
session that asks for the same key), bounded, and guarded by a lock because a deferred
download_button callable runs on its own thread.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable

from ..report import Briefing, render
from ..ruleset import RuleBase
from ..scenario import Scenario
from . import links

LIMIT = 64  # documents kept; each is tens of kilobytes

_lock = threading.Lock()
_cache: OrderedDict[tuple, bytes] = OrderedDict()


def key(scenario: Scenario, rulebase: RuleBase, marking: str) -> tuple:
    """What a document depends on: the scenario's facts, the rule-base version and hash, the marking."""
    facts = tuple(sorted(links.encode(scenario).items()))
    return facts, rulebase.name, rulebase.version, rulebase.sha256, marking


def document(doc_key: tuple, fmt: str, briefing: Callable[[], Briefing]) -> bytes:
    """The document in `fmt`, rendered the first time it is asked for under `doc_key`."""
    full = (*doc_key, fmt)
    with _lock:
        if full in _cache:
            _cache.move_to_end(full)
            return _cache[full]
    data = render(briefing(), fmt)
    with _lock:
        _cache[full] = data
        while len(_cache) > LIMIT:
            _cache.popitem(last=False)
    return data


def clear() -> None:
    with _lock:
        _cache.clear()
