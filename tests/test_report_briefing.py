"""Briefing export: one Briefing, three formats that say the same thing, and `advisor brief`."""

from __future__ import annotations

import io
import re
import zlib
from pathlib import Path

import pytest
from docx import Document

from advisor import scenario as scenarios
from advisor.cli import main
from advisor.report import build_briefing, render
from advisor.ruleset import load_rulebase
from advisor.service import advise

FIX = Path(__file__).resolve().parent / "fixtures" / "app"
MARKING = "EXERCISE – Café €"


@pytest.fixture(scope="module")
def rulebase():
    return load_rulebase(FIX / "rules", FIX / "knowledge")


@pytest.fixture(scope="module")
def advice(rulebase):
    return advise(rulebase, scenarios.load(FIX / "examples" / "strengthening.yaml"))


@pytest.fixture(scope="module")
def briefing(advice):
    return build_briefing(advice, MARKING, "2026-01-02")


def pdf_text(data: bytes) -> str:
    """The text of an fpdf2 PDF with embedded TrueType subsets (Identity-H + ToUnicode).

    Enough of PDF to check what a reader sees: glyph ids are mapped back through each
    font's ToUnicode CMap, following the font selected by each Tf operator.
    """
    objects = {int(m.group(1)): m.group(2) for m in re.finditer(rb"(\d+) 0 obj(.*?)endobj", data, re.S)}

    def stream(body: bytes) -> bytes:
        # Slice by /Length: compressed data may itself end in a byte that looks like a line end.
        start = re.search(rb"stream\r?\n", body).end()
        length = int(re.search(rb"/Length (\d+)", body).group(1))
        raw = body[start : start + length]
        return zlib.decompress(raw) if b"FlateDecode" in body else raw

    cmaps = {}
    for num, body in objects.items():
        ref = re.search(rb"/ToUnicode (\d+) 0 R", body)
        if ref:
            cmap = stream(objects[int(ref.group(1))])
            cmaps[num] = {
                int(a, 16): chr(int(b, 16)) for a, b in re.findall(rb"<([0-9A-Fa-f]{4})> <([0-9A-Fa-f]{4,})>", cmap)
            }
    fonts = {}
    for body in objects.values():
        for name, num in re.findall(rb"/(F\d+) (\d+) 0 R", body):
            if int(num) in cmaps:
                fonts[name.decode()] = cmaps[int(num)]
    out = []
    for body in objects.values():
        if b"stream" not in body or b"/ToUnicode" in body:
            continue
        try:
            content = stream(body)
        except (zlib.error, AttributeError):
            continue
        if b" Tj" not in content:
            continue
        current = {}
        for m in re.finditer(rb"/(F\d+) [\d.]+ Tf|\(((?:\\.|[^\\)])*)\) Tj", content, re.S):
            if m.group(1):
                current = fonts.get(m.group(1).decode(), {})
                continue
            raw = re.sub(
                rb"\\(.)", lambda e: {b"n": b"\n", b"r": b"\r", b"t": b"\t"}.get(e.group(1), e.group(1)), m.group(2)
            )
            out.append(
                "".join(current.get(int.from_bytes(raw[i : i + 2], "big"), "�") for i in range(0, len(raw) - 1, 2))
            )
    return " ".join(out)


def docx_text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        parts += [c.text for row in t.rows for c in row.cells]
    parts += [p.text for p in doc.sections[0].header.paragraphs]
    return "\n".join(parts)


def essentials(advice) -> list[str]:
    """What every format must contain, taken from the advice itself, not hard-coded."""
    rb = advice.rulebase
    words = [advice.scenario.name, MARKING, "2026-01-02", rb.version, rb.sha256, advice.mandate]
    for items in advice.items.values():
        for item in items:
            words += list(item.because)
            words += [rb.knowledge.section_label(s) for s in item.sections]
    words += list(advice.unknown_that_mattered)
    return sorted(set(words))


def test_markdown_has_everything_a_reader_needs(advice, briefing):
    md = render(briefing, "md").decode("utf-8")
    for word in essentials(advice):
        assert word in md.replace("\\", ""), word
    assert "Vălenii" in md and "€2 million" in md


def test_docx_has_everything_a_reader_needs(advice, briefing):
    text = docx_text(render(briefing, "docx"))
    for word in essentials(advice):
        assert word in text, word


def test_pdf_prints_euro_accents_and_everything_a_reader_needs(advice, briefing):
    data = render(briefing, "pdf")
    assert data.startswith(b"%PDF")
    text = " ".join(pdf_text(data).split())
    assert "€2 million" in text and "Vălenii" in text and "Café" in text
    assert "�" not in text
    for word in essentials(advice):
        # multi_cell may wrap long words (the hash) across lines: compare without spaces
        assert word.replace(" ", "") in text.replace(" ", ""), word


def test_appendix_explains_every_rule_of_the_why_trees(advice, briefing):
    """The appendix holds each rule of advisor.explain's why-trees once, with what it built on."""
    from advisor.explain import Target, explain_why
    from advisor.report.briefing import walk

    targets = tuple(Target(s, i.value) for s, items in advice.items.items() if s != "derived" for i in items)
    expected = {n.rule_id for e in explain_why(advice, targets).entries for _, n in walk(e.because)}
    assert {r.id for r in briefing.rules} == expected
    assert len(briefing.rules) == len(expected)
    md = render(briefing, "md").decode("utf-8")
    for note in briefing.rules:
        for dep in note.depends_on:
            assert dep in expected and dep in md


def test_substitution_briefing_names_the_derived_step_and_its_facts(rulebase):
    sc = scenarios.load(FIX / "examples" / "substitution.yaml")
    b = build_briefing(advise(rulebase, sc), "", "2026-01-02")
    note = next(r for r in b.rules if r.id == "mandate.substitution")
    assert note.depends_on == ("mandate.executive-powers-needed",)
    base = next(r for r in b.rules if r.id == "mandate.executive-powers-needed")
    assert ("Interim administration", "yes") in {(f.label, f.value) for f in base.facts}


def test_user_text_is_literal_in_markdown(advice):
    b = build_briefing(advice, "<script>alert(1)</script> | **x**", "2026-01-02")
    md = render(b, "md").decode("utf-8")
    assert "<script>" not in md and "\\<script\\>" in md and "\\*\\*x\\*\\*" in md


def test_conflicts_and_unknowns_are_stated(rulebase):
    sc = scenarios.from_mapping({"name": "Nothing known"})
    b = build_briefing(advise(rulebase, sc), "", "2026-01-02")
    md = render(b, "md").decode("utf-8")
    assert "no conclusion" in md
    assert b.unknown_mattered and all(u.value in md for u in b.unknown_mattered)


def test_unknown_format_is_an_advisor_error(briefing):
    from advisor.errors import AdvisorError

    with pytest.raises(AdvisorError, match="allowed: md, docx, pdf"):
        render(briefing, "odt")


@pytest.mark.parametrize("fmt", ["md", "docx", "pdf"])
def test_cli_brief_writes_each_format(tmp_path, fmt, capsys):
    out = tmp_path / f"b.{fmt}"
    rc = main(
        [
            "brief",
            str(FIX / "examples" / "substitution.yaml"),
            "--rules",
            str(FIX / "rules"),
            "--knowledge",
            str(FIX / "knowledge"),
            "-o",
            str(out),
            "--marking",
            MARKING,
            "--date",
            "2026-01-02",
        ]
    )
    assert rc == 0 and capsys.readouterr().out == ""
    data = out.read_bytes()
    text = {"md": lambda d: d.decode("utf-8"), "docx": docx_text, "pdf": pdf_text}[fmt](data)
    assert "Interim administration" in text and "mandate.substitution" in text.replace(" ", "")


def test_cli_brief_markdown_to_stdout_and_errors(tmp_path, capsys):
    assert (
        main(
            [
                "brief",
                str(FIX / "examples" / "monitoring.yaml"),
                "--rules",
                str(FIX / "rules"),
                "--knowledge",
                str(FIX / "knowledge"),
            ]
        )
        == 0
    )
    assert "Crossing-point monitoring" in capsys.readouterr().out
    assert main(["brief", str(FIX / "examples" / "monitoring.yaml"), "--format", "pdf"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "-o FILE" in captured.err
    bad = tmp_path / "bad.yaml"
    bad.write_text("host_authority: partial\n")
    assert main(["brief", str(bad), "-o", str(tmp_path / "x.md")]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "bad.yaml:1" in captured.err and "functioning" in captured.err
    assert not (tmp_path / "x.md").exists()


def test_real_rule_base_briefing_renders_in_every_format(real_rulebase):
    examples = sorted((Path(__file__).resolve().parent.parent / "examples").glob("*.yaml"))
    assert examples
    advice = advise(real_rulebase, scenarios.load(examples[0]))
    b = build_briefing(advice, MARKING)
    for fmt in ("md", "docx", "pdf"):
        assert render(b, fmt)
    assert (advice.mandate or "no conclusion").replace("_", " ") in render(b, "md").decode("utf-8")
