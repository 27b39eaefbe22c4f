"""Help for the Rule lab editor: where an unclosed quote really starts, paths without the server's root.

PyYAML reports an unterminated quoted scalar where its scan finally fails, often many lines
later (a quote opened on line 5 is reported at line 15). The quote itself is the useful place
to send the author, so the lab looks back from the reported line for a line with an odd
number of quotes.
"""

from __future__ import annotations

import re
from pathlib import Path

_ESCAPED = re.compile(r"\\\\.")


def _open_quote(line: str) -> bool:
    """True when a line leaves a quote open (comments and the other quote kind ignored)."""
    quote = None
    text = _ESCAPED.sub("", line)
    for i, ch in enumerate(text):
        if quote is None:
            if ch == "#" and (i == 0 or text[i - 1].isspace()):
                return False
            if ch in "\"'" and (i == 0 or text[i - 1] in " \t:[{,-"):
                quote = ch
        elif ch == quote:
            if quote == "'" and text[i + 1 : i + 2] == "'":
                continue  # '' inside single quotes is an escaped quote
            quote = None
    return quote is not None


def unclosed_quote_line(text: str, reported_line: int | None) -> int | None:
    """The first line (1-based) at or before `reported_line` that leaves a quote open, else None."""
    lines = text.splitlines()
    last = min(reported_line or len(lines), len(lines))
    pending = None
    for number, line in enumerate(lines[:last], 1):
        if _open_quote(line):
            pending = number if pending is None else None  # a second odd line closes the first
    return pending


def relative(text: str, *roots: Path) -> str:
    """Text with absolute server paths shown relative to the rule or knowledge directory."""
    for root in roots:
        root = Path(root).resolve()
        for prefix in {str(root), str(Path(root))}:
            text = text.replace(prefix + "/", root.name + "/").replace(prefix, root.name)
    return text
