"""Briefing as a Word document (python-docx: no system libraries needed)."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from .briefing import Briefing


def _table(doc, header, rows) -> None:
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row):
            cell.text = str(text)


AUTHOR = "IBM Mission Design Advisor"


def _field(paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word fills in when it lays out the pages."""
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, instruction), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        elif text == instruction:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = f" {instruction} "
        else:
            el = OxmlElement("w:t")
            el.text = text
        run._r.append(el)


def _page_setup(doc, b: Briefing, author: str) -> None:
    # python-docx's template is US Letter and carries its own 2013 metadata; a European
    # document is A4 and must say who made it and when.
    props = doc.core_properties
    now = datetime.now(UTC).replace(microsecond=0)
    props.title = f"{b.title}: {b.scenario_name}"
    props.author = author or AUTHOR
    props.last_modified_by = author or AUTHOR
    props.created = now
    props.modified = now
    props.revision = 1
    props.subject = "Mission design advice"
    props.keywords = b.marking
    props.comments = f"Rule base {b.ruleset.label} {b.ruleset.value}"
    for section in doc.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Mm(20)
        section.top_margin = section.bottom_margin = Mm(20)
        head = section.header.paragraphs[0]
        head.text = b.marking
        head.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if head.runs:
            head.runs[0].bold = True
        foot = section.footer.paragraphs[0]
        foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
        foot.add_run(f"{b.marking}   page " if b.marking else "page ")
        _field(foot, "PAGE")
        foot.add_run(" of ")
        _field(foot, "NUMPAGES")


def render_docx(b: Briefing, author: str = AUTHOR) -> bytes:
    doc = Document()
    doc.styles["Normal"].font.size = Pt(10)
    _page_setup(doc, b, author)
    if b.marking:
        p = doc.add_paragraph()
        p.add_run(b.marking).bold = True
    doc.add_heading(f"{b.title}: {b.scenario_name}", level=0)
    doc.add_paragraph(f"Date: {b.date}\nRule base: {b.ruleset.label} {b.ruleset.value}, sha256 {b.ruleset.note}")
    doc.add_paragraph(
        "Advice from the IBM Mission Design Advisor, which applies the EU concept for CSDP "
        "support to Integrated Border Management (Council doc 16044/13). Every conclusion lists "
        "the rules behind it and the concept sections (§) they rest on; the appendix explains "
        "each rule."
    )
    doc.add_heading("Headline", level=1)
    _table(doc, ("", "Advice", "Why"), [(h.label, h.value, h.note) for h in b.headline])
    for c in b.conflicts:
        doc.add_paragraph(f"Conflict (left undecided): {c}", style="List Bullet")
    doc.add_heading("Scenario", level=1)
    _table(doc, ("Fact", "Value", "Concept"), [(s.label, s.value, s.note) for s in b.scenario])
    doc.add_heading("Unknown facts that mattered", level=2)
    for u in b.unknown_mattered or ():
        doc.add_paragraph(f"{u.label} ({u.value}, {u.note})", style="List Bullet")
    if not b.unknown_mattered:
        doc.add_paragraph("none")
    if b.unknown_other:
        doc.add_paragraph("Other facts not given: " + ", ".join(b.unknown_other) + ".")
    for g in b.groups:
        doc.add_heading(g.title, level=1)
        for e in g.entries:
            p = doc.add_paragraph(style="List Bullet")
            p.add_run(e.title).bold = True
            p.add_run(f" ({', '.join(e.sections)}; rules {', '.join(e.because)})")
            for extra in (e.detail, e.summary):
                if extra:
                    p.add_run("\n" + extra)
    doc.add_heading("Appendix: the rules behind the advice", level=1)
    for r in b.rules:
        doc.add_heading(r.id, level=2)
        doc.add_paragraph(f"{r.title} ({', '.join(r.sections)})")
        doc.add_paragraph(r.rationale)
        for f in r.facts:
            doc.add_paragraph(f"matched {f.label} = {f.value} ({f.note})", style="List Bullet")
        if r.needs_absent:
            doc.add_paragraph("Needs absent: " + ", ".join(r.needs_absent))
        if r.depends_on:
            doc.add_paragraph("Builds on: " + ", ".join(r.depends_on))
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
