"""Briefing as PDF (fpdf2) with the bundled DejaVu Sans, so € and accented names print."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from .briefing import Briefing

FONTS = Path(__file__).resolve().parent.parent / "fonts"
FAMILY = "DejaVu"


class _Doc(FPDF):
    marking = ""

    def header(self):
        if self.marking:
            self.set_font(FAMILY, "B", 9)
            self.cell(0, 5, self.marking, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self.ln(2)

    def footer(self):
        self.set_y(-12)
        self.set_font(FAMILY, "", 8)
        self.cell(0, 5, f"{self.marking}   page {self.page_no()}/{{nb}}".strip(), align="C")


def render_pdf(b: Briefing, author: str = "IBM Mission Design Advisor") -> bytes:
    pdf = _Doc(format="A4")
    pdf.marking = b.marking
    pdf.set_title(f"{b.title}: {b.scenario_name}")
    pdf.set_author(author or "IBM Mission Design Advisor")
    pdf.set_creator("IBM Mission Design Advisor")
    pdf.set_creation_date(datetime.now(UTC))
    pdf.add_font(FAMILY, "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font(FAMILY, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    width = pdf.epw

    def para(text: str, size: int = 10, style: str = "", gap: float = 1) -> None:
        pdf.set_font(FAMILY, style, size)
        # Left-aligned: fpdf2 justifies by default, which opens wide gaps in short headings.
        pdf.multi_cell(width, size * 0.5, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(gap)

    def heading(text: str, size: int = 13) -> None:
        pdf.ln(2)
        para(text, size, "B", 1)

    def rows(lines, widths) -> None:
        pdf.set_font(FAMILY, "", 9)
        with pdf.table(col_widths=widths, text_align="LEFT", first_row_as_headings=False) as table:
            for line in lines:
                row = table.row()
                for text in line:
                    row.cell(str(text))
        pdf.ln(2)

    para(f"{b.title}: {b.scenario_name}", 16, "B", 2)
    para(f"Date: {b.date}\nRule base: {b.ruleset.label} {b.ruleset.value}, sha256 {b.ruleset.note}", 9)
    para(
        "Advice from the IBM Mission Design Advisor, which applies the EU concept for CSDP support to "
        "Integrated Border Management (Council doc 16044/13). Every conclusion lists the rules behind it "
        "and the concept sections (§) they rest on; the appendix explains each rule.",
        9,
    )
    heading("Headline")
    rows([(h.label, h.value, h.note) for h in b.headline], (18, 35, 47))
    for c in b.conflicts:
        para(f"Conflict (left undecided): {c}", 9, "B")
    heading("Scenario")
    if b.scenario:
        rows([(s.label, s.value, s.note) for s in b.scenario], (40, 35, 25))
    heading("Unknown facts that mattered", 11)
    para("\n".join(f"• {u.label} ({u.value}, {u.note})" for u in b.unknown_mattered) or "none", 9)
    if b.unknown_other:
        para("Other facts not given: " + ", ".join(b.unknown_other) + ".", 8)
    for g in b.groups:
        heading(g.title)
        for e in g.entries:
            para(f"• {e.title}", 10, "B", 0)
            text = f"{', '.join(e.sections)}; rules {', '.join(e.because)}"
            for extra in (e.detail, e.summary):
                if extra:
                    text += "\n" + extra
            para(text, 8, "", 1.5)
    heading("Appendix: the rules behind the advice")
    for r in b.rules:
        para(f"{r.id}: {r.title} ({', '.join(r.sections)})", 9, "B", 0)
        text = r.rationale
        text += "".join(f"\nmatched {f.label} = {f.value}" for f in r.facts)
        if r.needs_absent:
            text += "\nNeeds absent: " + ", ".join(r.needs_absent)
        if r.depends_on:
            text += "\nBuilds on: " + ", ".join(r.depends_on)
        para(text, 8, "", 1.5)
    return bytes(pdf.output())
