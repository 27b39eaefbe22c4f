"""How focused the advice is: core tasks, all items and text lines per scenario.

Over the archetypes in examples/ and 500 seeded random scenarios (advisor.sample), prints
the median and maximum of: core tasks, all concluded objectives/tasks/expertise/planning
steps, lines of effort, and lines of `advisor recommend` text output. Targets (issue 10):
median core tasks <= 12, maximum <= 20, 3-7 lines of effort for a mission.

    python benchmarks/bench_design.py [--random N]
"""
from __future__ import annotations

import argparse
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


def measure(rulebase, scenario) -> dict:
    advice = advise(rulebase, scenario, engine="reference")
    design = advice.design
    mission = advice.mandate not in (None, "none")
    return {"core tasks": len(design.core("task")),
            "all items": sum(len(advice.items.get(s, ())) for s in PLACED_SLOTS),
            "lines of effort": len([line for line in design.lines if line.phase == 1]) if mission else None,
            "text lines": render_text(advice).count("\n")}


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
    report("archetypes", [measure(rulebase, s) for s in archetypes])
    report("random", [measure(rulebase, s) for s in random_scenarios(args.random, seed=2026)])


if __name__ == "__main__":
    main()
