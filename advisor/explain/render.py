"""One entry point for every explanation: text, JSON or DOT."""

from __future__ import annotations

import json
from typing import Any

from ..errors import AdvisorError
from . import render_dot, render_text
from .diff import Comparison
from .missing import MissingReport
from .whatif import FlipReport, TargetSearch
from .why import WhyReport
from .whynot import WhyNot

TEXT = {
    WhyReport: render_text.why_text,
    WhyNot: render_text.why_not_text,
    FlipReport: render_text.flips_text,
    MissingReport: render_text.missing_text,
    TargetSearch: render_text.target_text,
    Comparison: render_text.compare_text,
}
DOT = {WhyReport: render_dot.why_dot, WhyNot: render_dot.why_not_dot}


def to_json_text(report) -> str:
    return json.dumps(report.to_json(), indent=2, ensure_ascii=False) + "\n"


def render(report, fmt: str = "text") -> str:
    """Render an explanation; a format it has no renderer for is an AdvisorError."""
    if fmt == "json":
        return to_json_text(report)
    table: dict[type, Any] = {"text": TEXT, "dot": DOT}.get(fmt, {})
    fn = table.get(type(report))
    if fn is None:
        raise AdvisorError(f"no '{fmt}' rendering for {type(report).__name__}")
    return fn(report)
