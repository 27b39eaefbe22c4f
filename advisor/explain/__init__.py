"""Explanations as data: why, why not, what if, what is missing, what differs.

Every explanation is a frozen dataclass with `to_json()`; `render` turns them into text
and Graphviz DOT. The CLI, the app and the briefing exports all call these functions.
"""

from importlib import import_module

# Where each public name lives. Imported on first use (PEP 562): `advisor recommend` needs only
# explain.words, and importing every explanation module cost it ~30 ms of start-up.
_HOME = {
    "Comparison": "diff",
    "compare": "diff",
    "MissingReport": "missing",
    "missing_facts": "missing",
    "Target": "targets",
    "parse_target": "targets",
    "FlipReport": "whatif",
    "TargetSearch": "whatif",
    "flips": "whatif",
    "search_target": "whatif",
    "WhyNode": "why",
    "WhyReport": "why",
    "explain_why": "why",
    "WhyNot": "whynot",
    "why_not": "whynot",
}


def __getattr__(name: str):
    if name in _HOME:
        value = getattr(import_module(f".{_HOME[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = list(_HOME)  # noqa: PLE0605 - names resolved by __getattr__
