"""esc() keeps what a planner copies as typed and escapes only what Markdown would draw.

Whether the escaped text is drawn literally is checked in a real browser
(tests/browser/test_app_literal.py); this checks what must come through untouched, so
escapes do not spread into locations, versions and identifiers people copy.
"""

from __future__ import annotations

import pytest

from advisor.report.markdown import WORD_JOINER, esc

UNTOUCHED = [
    "0.1.0",  # a rule-base version
    "bad.yaml:2:17",  # a location
    "host_authority",  # an id: '_' inside a word cannot emphasise
    "1.5 m",
    "-3",
    "host consent: yes → no",
    "Vălenii strengthening (€ budget)",
]

CHANGED = {
    "$x^2$": "\\$x\\^2\\$",
    "_i_": "\\_i\\_",
    "1. one": "1\\. one",
    "- dash": "\\- dash",
    "AT&amp;T": "AT\\&amp;T",
    ":smile:": ":" + WORD_JOINER + "smile:",
    "http://e.example": "http:" + WORD_JOINER + "//e.example",
}


@pytest.mark.parametrize("text", UNTOUCHED)
def test_what_markdown_would_not_draw_stays_as_typed(text):
    assert esc(text) == text


@pytest.mark.parametrize("text, escaped", CHANGED.items(), ids=list(CHANGED))
def test_what_markdown_would_draw_is_escaped(text, escaped):
    assert esc(text) == escaped


def test_one_line():
    assert esc("a\n\nb\tc") == "a b c"
