"""Briefing export: one Briefing object, rendered as Markdown, DOCX or PDF."""

from __future__ import annotations

from ..errors import AdvisorError
from .briefing import Briefing, build_briefing
from .docx import render_docx
from .markdown import render_markdown
from .pdf import render_pdf

FORMATS = {
    "md": ("text/markdown", ".md"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"),
    "pdf": ("application/pdf", ".pdf"),
}


def render(briefing: Briefing, fmt: str) -> bytes:
    """The briefing in one of FORMATS, as bytes ready to write or download."""
    if fmt == "md":
        return render_markdown(briefing).encode("utf-8")
    if fmt == "docx":
        return render_docx(briefing)
    if fmt == "pdf":
        return render_pdf(briefing)
    raise AdvisorError(f"unknown briefing format '{fmt}'; allowed: {', '.join(FORMATS)}")


__all__ = ["Briefing", "FORMATS", "build_briefing", "render", "render_docx", "render_markdown", "render_pdf"]
