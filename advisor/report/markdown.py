"""Briefing as Markdown: readable as plain text, renders as tables on a forge or wiki."""

from __future__ import annotations

import re

from .briefing import Briefing

# Free text is shown literally in two Markdown dialects: GitHub's (the Markdown briefing) and
# Streamlit's (the app, and the briefing preview), which adds maths ($x^2$), colour and icon
# directives (:red[..], :material/home:), emoji codes (:smile:) and autolinks. Read in a real
# browser: a backslash stops CommonMark's specials and the maths, but not the directives,
# emoji codes and autolinks, which are matched on the text after escapes are undone; an
# invisible WORD JOINER (U+2060) after such a ':' and 'www' breaks those patterns and changes
# nothing a reader sees.
# '_' inside a word (host_authority) cannot emphasise in CommonMark and stays as typed.
_SPECIAL = re.compile(r"([\\`*\[\]<>#|~$^&{}]|(?<![0-9A-Za-z])_|_(?![0-9A-Za-z]))")
# An e-mail address is left as typed (a sign-in name is read and searched for as such).
# Only a ':' that starts a name or a URL's '//' (not "file.yaml:2:17", which a planner copies).
_JOIN = re.compile(r"(?<=:)(?=[A-Za-z/+-])|(?i:(?<=www)(?=\.))")
# A list item, thematic break or heading underline if the text starts a block; a version
# such as 0.1.0 or a number such as -3 is none of them and stays as typed.
_LEAD = re.compile(r"^(\d{1,9}(?=[.)](?:\s|$))|(?=[-+](?:\s|$))|(?=[-=]{2,}\s*$))")
WORD_JOINER = "\u2060"


def esc(text: str) -> str:
    """Free text as literal Markdown in both dialects: one line, specials escaped, patterns broken."""
    s = _SPECIAL.sub(r"\\\1", " ".join(str(text).split()))
    s = _JOIN.sub(WORD_JOINER, s)
    return _LEAD.sub(lambda m: m.group(1) + "\\", s, count=1)


def render_markdown(b: Briefing) -> str:
    out: list[str] = []
    if b.marking:
        out += [f"**{esc(b.marking)}**", ""]
    out += [
        f"# {esc(b.title)}: {esc(b.scenario_name)}",
        "",
        f"Date: {b.date}  ",
        f"Rule base: {esc(b.ruleset.label)} {esc(b.ruleset.value)}, sha256 `{b.ruleset.note}`",
        "",
        "Advice from the IBM Mission Design Advisor, which applies the EU concept for CSDP support "
        "to Integrated Border Management (Council doc 16044/13). Every conclusion lists the rules "
        "behind it and the concept sections (§) they rest on; the appendix explains each rule.",
        "",
        "## Headline",
        "",
        "| | Advice | Why |",
        "|---|---|---|",
    ]
    out += [f"| {esc(h.label)} | {esc(h.value)} | {esc(h.note)} |" for h in b.headline]
    if b.conflicts:
        out += ["", "**Conflicts (left undecided):**", ""] + [f"- {esc(c)}" for c in b.conflicts]
    out += ["", "## Scenario", "", "| Fact | Value | Concept |", "|---|---|---|"]
    out += [f"| {esc(s.label)} | {esc(s.value)} | {esc(s.note)} |" for s in b.scenario]
    out += ["", "### Unknown facts that mattered", ""]
    out += [f"- {esc(u.label)} (`{u.value}`, {esc(u.note)})" for u in b.unknown_mattered] or ["- none"]
    if b.unknown_other:
        out += ["", "Other facts not given: " + esc(", ".join(b.unknown_other)) + "."]
    for g in b.groups:
        out += ["", f"## {esc(g.title)}", ""]
        for e in g.entries:
            line = f"- **{esc(e.title)}** ({esc(', '.join(e.sections))}; rules {esc(', '.join(e.because))})"
            out.append(line)
            if e.detail:
                out.append(f"  {esc(e.detail)}")
            if e.summary:
                out.append(f"  {esc(e.summary)}")
    out += ["", "## Appendix: the rules behind the advice", ""]
    for r in b.rules:
        out += [f"### {esc(r.id)}", "", f"{esc(r.title)} ({esc(', '.join(r.sections))})", "", esc(r.rationale)]
        if r.facts:
            out += [""] + [f"- matched {esc(f.label)} = {esc(f.value)} ({esc(f.note)})" for f in r.facts]
        if r.needs_absent:
            out += ["", "Needs absent: " + esc(", ".join(r.needs_absent))]
        if r.depends_on:
            out += ["", "Builds on: " + esc(", ".join(r.depends_on))]
        out.append("")
    return "\n".join(out).rstrip() + "\n"
