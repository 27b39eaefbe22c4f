"""Explanations as data: why, why not, what if, what is missing, what differs.

Every explanation is a frozen dataclass with `to_json()`; `render` turns them into text
and Graphviz DOT. The CLI, the app and the briefing exports all call these functions.
"""

from .diff import Comparison, compare
from .missing import MissingReport, missing_facts
from .targets import Target, parse_target
from .whatif import FlipReport, TargetSearch, flips, search_target
from .why import WhyNode, WhyReport, explain_why
from .whynot import WhyNot, why_not

__all__ = [
    "Comparison",
    "compare",
    "MissingReport",
    "missing_facts",
    "Target",
    "parse_target",
    "FlipReport",
    "TargetSearch",
    "flips",
    "search_target",
    "WhyNode",
    "WhyReport",
    "explain_why",
    "WhyNot",
    "why_not",
]
