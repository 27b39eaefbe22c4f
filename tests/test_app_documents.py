"""Documents a reader trusts, read back: DOCX properties, A4 sections, page numbers, marking on every page."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from docx import Document
from docx.shared import Mm

from advisor import scenario as scenarios
from advisor.report import build_briefing, render
from advisor.ruleset import load_rulebase
from advisor.service import advise

FIX = Path(__file__).resolve().parent / "fixtures" / "app"
MARKING = "EXERCISE ONLY – Café €"


@pytest.fixture(scope="module")
def briefing():
    rulebase = load_rulebase(FIX / "rules", FIX / "knowledge")
    advice = advise(rulebase, scenarios.load(FIX / "examples" / "strengthening.yaml"))
    return build_briefing(advice, MARKING, "2026-01-02")


def test_docx_is_a4_with_title_author_and_real_dates(briefing):
    before = datetime.now(UTC).replace(microsecond=0) - timedelta(seconds=1)
    doc = Document(io.BytesIO(render(briefing, "docx")))
    props = doc.core_properties
    assert props.title == f"{briefing.title}: {briefing.scenario_name}"
    assert props.author == "IBM Mission Design Advisor"
    created = props.created.replace(tzinfo=UTC) if props.created.tzinfo is None else props.created
    assert before <= created <= datetime.now(UTC) + timedelta(seconds=1)
    for section in doc.sections:
        assert abs(section.page_width - Mm(210)) < Mm(1) and abs(section.page_height - Mm(297)) < Mm(1)


def test_docx_marks_header_and_footer_and_numbers_pages(briefing):
    doc = Document(io.BytesIO(render(briefing, "docx")))
    for section in doc.sections:
        assert MARKING in section.header.paragraphs[0].text
        foot = section.footer.paragraphs[0]
        assert MARKING in foot.text
        instructions = [t.text.strip() for t in foot._p.iter() if t.tag.endswith("}instrText")]
        assert instructions == ["PAGE", "NUMPAGES"]


def test_docx_heading_levels_do_not_jump(briefing):
    doc = Document(io.BytesIO(render(briefing, "docx")))
    levels = [int(p.style.name.split()[-1]) for p in doc.paragraphs if p.style.name.startswith("Heading ")]
    assert levels and levels[0] == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:]))


def test_pdf_has_metadata_and_the_marking_twice_on_every_page(briefing):
    from test_report_briefing import pdf_text  # one PDF reader for the test suite

    data = render(briefing, "pdf")
    assert b"IBM Mission Design Advisor" in data  # author / creator in the info dictionary
    pages = len(re.findall(rb"/Type /Page\b", data))
    assert pages >= 1
    text = pdf_text(data)
    assert text.count(MARKING) >= 2 * pages  # header and footer of each page
    assert re.search(rf"page {pages}/\s*{pages}", text)


def test_briefing_page_renders_docx_and_pdf_only_when_asked_and_once_per_key(monkeypatch):
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from advisor.ui import config, documents

    monkeypatch.setenv(config.ENV_RULES, str(FIX / "rules"))
    monkeypatch.setenv(config.ENV_KNOWLEDGE, str(FIX / "knowledge"))
    monkeypatch.setenv(config.ENV_EXAMPLES, str(FIX / "examples"))
    st.cache_resource.clear()
    documents.clear()
    rendered: list[str] = []
    real = documents.render
    monkeypatch.setattr(documents, "render", lambda b, fmt: rendered.append(fmt) or real(b, fmt))
    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "app.py"), default_timeout=60).run()
    at.switch_page("app_pages/briefing.py").run()
    assert not at.exception, at.exception
    at.text_input(key="marking").input(MARKING).run()
    at.run()  # a rerun with nothing changed
    assert rendered.count("md") == 2  # first open, then the new marking; not the plain rerun
    assert "docx" not in rendered and "pdf" not in rendered  # only on a download click
    assert any(MARKING in m.value for m in at.markdown)
    st.cache_resource.clear()
    documents.clear()
