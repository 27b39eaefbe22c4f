"""One root error type; every problem names its place and what is allowed."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located as precisely as we know."""

    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    rule_id: str | None = None
    field: str | None = None
    value: object = None
    allowed: tuple[str, ...] = ()
    suggestion: str | None = None
    severity: str = "error"  # "error" stops loading; "warning" is reported only

    def location(self) -> str:
        parts = []
        if self.file:
            place = self.file
            if self.line is not None:
                place += f":{self.line}"
                if self.column is not None:
                    place += f":{self.column}"
            parts.append(place)
        if self.rule_id:
            parts.append(f"rule {self.rule_id}")
        if self.field:
            parts.append(f"field '{self.field}'")
        return ": ".join(parts)

    def __str__(self) -> str:
        text = self.message
        loc = self.location()
        if loc:
            text = f"{loc}: {text}"
        if self.suggestion:
            text += f" (did you mean '{self.suggestion}'?)"
        if self.allowed:
            shown = ", ".join(self.allowed[:40])
            if len(self.allowed) > 40:
                shown += f", … ({len(self.allowed)} in all)"
            text += f"; allowed: {shown}"
        return text

    def to_dict(self) -> dict:
        return {
            "message": self.message,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "rule_id": self.rule_id,
            "field": self.field,
            "value": self.value if isinstance(self.value, (str, int, float, bool, type(None))) else repr(self.value),
            "allowed": list(self.allowed),
            "suggestion": self.suggestion,
            "severity": self.severity,
        }


class AdvisorError(Exception):
    """Root of every error the advisor raises on purpose."""

    def __init__(self, problems: Problem | str | Sequence[Problem]):
        if isinstance(problems, str):
            problems = (Problem(problems),)
        elif isinstance(problems, Problem):
            problems = (problems,)
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class ScenarioError(AdvisorError):
    """A scenario file or value does not fit the fact vocabulary."""


class RuleFileError(AdvisorError):
    """A rule or knowledge file is malformed or inconsistent."""


class EngineError(AdvisorError):
    """The rules engine failed while evaluating; the rule base in service is unchanged."""


def did_you_mean(word: object, choices: Iterable[str]) -> str | None:
    """The closest known name to a misspelt one, if any is close enough."""
    if not isinstance(word, str):
        return None
    choices = list(choices)
    matches = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    if matches:
        return matches[0]
    # A truncated name ("bcp" for "bcp_agreement") is too short for difflib's ratio.
    prefixed = [c for c in choices if len(word) >= 3 and c.startswith(word)]
    return prefixed[0] if len(prefixed) == 1 else None
