"""What the server computes for a scenario seen for the first time, by part, without a browser.

Run:  python benchmarks/bench_first_visit.py [--rounds 3]

A planner's fact change mostly lands on a scenario not seen before: the app then runs the
engine and builds the advice, the unknowns analysis (what an unknown fact would change) and
what would change the design (advisor/alterations.py), before the browser draws anything.
Over every example and each of its one-fact neighbours (each yes/no fact set the other way),
prints the median milliseconds of each part and its ratio to the engine run and advice
(`advise`) in the same run, so the figures compare across machines. bench_app.py's uncached
rows measure the same work inside the app, with the browser drawing alongside.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from advisor import scenario as scenarios  # noqa: E402
from advisor import vocabulary as v  # noqa: E402
from advisor.alterations import alterations  # noqa: E402
from advisor.datadirs import data_dir  # noqa: E402
from advisor.errors import AdvisorError  # noqa: E402
from advisor.ruleset import load_rulebase  # noqa: E402
from advisor.service import advise  # noqa: E402


def neighbours(scenario) -> list:
    out = []
    for path, spec in v.PATHS.items():
        if spec.field.kind != v.BOOL:
            continue
        for value in (True, False):
            try:
                other = scenario.with_value(path, value)
            except AdvisorError:
                continue
            if other != scenario:
                out.append(other)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="passes over all scenarios (the median is over all)")
    args = parser.parse_args()
    rb = load_rulebase()
    every = []
    for path in sorted(Path(data_dir("examples")).glob("*.yaml")):
        base = scenarios.load(path)
        every += [base, *neighbours(base)]
    parts: dict[str, list[float]] = {"advise": [], "unknowns": [], "alterations": []}
    for _ in range(args.rounds):
        for s in every:
            t0 = time.perf_counter()
            advice = advise(rb, s)  # a fresh Advice: nothing it caches is carried over
            t1 = time.perf_counter()
            _ = advice.unknowns
            t2 = time.perf_counter()
            alterations(advice)
            t3 = time.perf_counter()
            parts["advise"].append(t1 - t0)
            parts["unknowns"].append(t2 - t1)
            parts["alterations"].append(t3 - t2)
    base_ms = statistics.median(parts["advise"]) * 1000
    print(f"{len(every)} scenarios (examples and their one-fact neighbours), {args.rounds} rounds")
    for name, times in parts.items():
        ms = statistics.median(times) * 1000
        print(f"{name:12s} median {ms:6.2f} ms   x advise {ms / base_ms:5.2f}")
    total = statistics.median([a + b + c for a, b, c in zip(*parts.values())]) * 1000
    print(f"{'all three':12s} median {total:6.2f} ms   x advise {total / base_ms:5.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
