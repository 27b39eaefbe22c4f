"""Engine benchmark: latency, throughput, compile time and memory of the full rule base.

    python benchmarks/bench_engine.py [--scenarios 2000] [--memory-evaluations 10000]

The durable-rules path and the plain-Python reference evaluator run on the same
generated scenarios in the same process; the ratio between them is the figure to
watch (absolute times depend on the machine and its load). Targets (issue 2): median
under 2 ms per scenario and within 4x of the reference evaluator.
"""

from __future__ import annotations

import argparse
import statistics
import time

from advisor.advice import build_advice
from advisor.engine import CompiledRuleBase
from advisor.oracle import evaluate_reference
from advisor.ruleset import load_rulebase
from advisor.sample import random_scenarios


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def timed(fn, items) -> list[float]:
    out = []
    for item in items:
        start = time.perf_counter()
        fn(item)
        out.append((time.perf_counter() - start) * 1000)
    return out


def summary(name: str, ms: list[float]) -> tuple[float, float, float]:
    med = statistics.median(ms)
    p95 = sorted(ms)[int(len(ms) * 0.95) - 1]
    rate = len(ms) / (sum(ms) / 1000)
    print(f"{name:<34} median {med:6.3f} ms   p95 {p95:6.3f} ms   {rate:8.0f} scenarios/s")
    return med, p95, rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenarios", type=int, default=2000)
    parser.add_argument("--memory-evaluations", type=int, default=10_000)
    args = parser.parse_args()

    start = time.perf_counter()
    rulebase = load_rulebase()
    loaded = time.perf_counter()
    engine = CompiledRuleBase(rulebase)
    compiled = time.perf_counter()
    print(
        f"rule base {rulebase.label}: {len(rulebase.rules)} rules, "
        f"{sum(len(c.conjuncts) for c in rulebase.plan.rules)} engine rules, {rulebase.plan.strata} strata"
    )
    print(
        f"load and check {1000 * (loaded - start):.0f} ms; compile into durable-rules {1000 * (compiled - loaded):.0f} ms"
    )

    batch = random_scenarios(args.scenarios, prefix="generated")
    for s in batch[:200]:  # warm-up
        engine.evaluate(s)
        evaluate_reference(rulebase, s)
    fired = statistics.mean(len(engine.evaluate(s).firings) for s in batch[:200])
    print(f"{len(batch)} generated scenarios, {fired:.1f} rule firings per scenario on average")

    d_eval = summary("durable-rules: evaluate", timed(engine.evaluate, batch))
    r_eval = summary("reference evaluator: evaluate", timed(lambda s: evaluate_reference(rulebase, s), batch))
    d_full = summary(
        "durable-rules: evaluate + advice", timed(lambda s: build_advice(rulebase, s, engine.evaluate(s)), batch)
    )
    r_full = summary(
        "reference: evaluate + advice",
        timed(lambda s: build_advice(rulebase, s, evaluate_reference(rulebase, s)), batch),
    )
    print(
        f"ratio durable/reference (median evaluate): {d_eval[0] / r_eval[0]:.2f}x; "
        f"with advice: {d_full[0] / r_full[0]:.2f}x   (target: within 4x)"
    )
    print(f"median evaluate + advice {d_full[0]:.3f} ms (target: under 2 ms)")

    before = rss_mb()
    for i in range(args.memory_evaluations):
        engine.evaluate(batch[i % len(batch)])
    after = rss_mb()
    print(
        f"resident memory: {before:.1f} MB before, {after:.1f} MB after {args.memory_evaluations} evaluations "
        f"(growth {after - before:+.1f} MB)"
    )


if __name__ == "__main__":
    main()
