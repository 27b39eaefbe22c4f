"""How focused the advice is: core tasks, all items, text lines and briefing pages.

Over the archetypes in examples/ and 500 seeded random scenarios (advisor.sample), prints
the median and maximum of: core tasks, all concluded objectives/tasks/expertise/planning
steps, lines of effort, lines of `advisor recommend` text output (the glance, and with
--full), and for the archetypes the PDF briefing's main-body pages (pages up to and including
the one where the first annex or the appendix starts; needs pypdf, skipped without it).
Targets (issue 10): median core tasks <= 12, maximum <= 20, 3-7 lines of effort for a
mission, median text lines <= 80, main body <= 4 pages.

    python benchmarks/bench_design.py [--random N]
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from advisor import scenario as scenarios  # noqa: E402
from advisor.ruleset import load_rulebase  # noqa: E402
from advisor.sample import random_scenarios  # noqa: E402
from advisor.service import advise  # noqa: E402
from advisor.slots import PLACED_SLOTS  # noqa: E402
from advisor.textview import render_text  # noqa: E402


def main_body_pages(advice) -> int | None:
    """Pages before the annexes of the PDF briefing, counting the page an annex starts on."""
    try:
        from pypdf import PdfReader
    except ImportError:
        return None
    from advisor.report.briefing import build_briefing
    from advisor.report.pdf import render_pdf

    pages = [
        p.extract_text() or ""
        for p in PdfReader(io.BytesIO(render_pdf(build_briefing(advice, date="2026-01-01")))).pages
    ]
    return next((i + 1 for i, text in enumerate(pages) if "Annex:" in text or "Appendix:" in text), len(pages))


def measure(rulebase, scenario, pages: bool = False) -> dict:
    advice = advise(rulebase, scenario, engine="reference")
    design = advice.design
    mission = advice.mandate not in (None, "none")
    return {
        "core tasks": len(design.core("task")),
        "all items": sum(len(advice.items.get(s, ())) for s in PLACED_SLOTS),
        "lines of effort": len([line for line in design.lines if line.phase == 1]) if mission else None,
        "text lines": render_text(advice).count("\n"),
        "text lines --full": render_text(advice, full=True).count("\n"),
        "briefing pages": main_body_pages(advice) if pages else None,
    }


def report(title: str, rows: list[dict]) -> None:
    print(f"{title} ({len(rows)} scenarios)")
    for key in rows[0]:
        values = [r[key] for r in rows if r[key] is not None]
        if values:
            print(f"  {key:16} median {statistics.median(values):6.1f}   max {max(values):4}   min {min(values):4}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--random", type=int, default=500)
    args = parser.parse_args()
    rulebase = load_rulebase(ROOT / "rules", ROOT / "knowledge")
    archetypes = [scenarios.load(p) for p in sorted((ROOT / "examples").glob("*.yaml"))]
    report("archetypes", [measure(rulebase, s, pages=True) for s in archetypes])
    report("random", [measure(rulebase, s) for s in random_scenarios(args.random, seed=2026)])


if __name__ == "__main__":
    main()
