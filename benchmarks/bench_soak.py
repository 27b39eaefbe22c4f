"""Soak and concurrency figures (issue 17): long runs, threads, reloads interleaved with evaluations.

    python benchmarks/bench_soak.py [--evaluations 50000] [--threads 16] [--reload-seconds 20]

Three runs on the shipped rule base, all with the real engine:
1. soak: N evaluations of generated scenarios, resident memory at the start, the middle and
   the end (flat memory is the figure: growth per 10,000 evaluations is printed);
2. threads: the same scenarios evaluated serially and from T threads sharing one engine;
   every advice must be identical (conclusions and firings), and the ratio of times is shown
   (the C engine holds the GIL, so no speed-up is expected);
3. reloads: T threads evaluate through a LiveRuleBase while a writer keeps replacing a rule
   file of a temporary copy with one of two versions, slowly (chunked writes); every
   evaluation must equal what one whole version gives, never a half-written base.
Prints figures; exits 1 if a check fails. Nothing is timed against a fixed threshold.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from advisor.ruleset import DEFAULT_KNOWLEDGE, DEFAULT_RULES, load_rulebase
from advisor.sample import random_scenarios
from advisor.service import compiled_for
from advisor.ui.live import LiveRuleBase


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def outcome(evaluation) -> tuple:
    return (tuple(sorted(evaluation.concluded)), tuple((f.rule_id, f.disjunct) for f in evaluation.firings))


def soak(engine, scenarios, n: int) -> bool:
    for s in scenarios[:500]:
        engine.evaluate(s)
    marks = {0: rss_mb()}
    start = time.perf_counter()
    for i in range(n):
        engine.evaluate(scenarios[i % len(scenarios)])
        if (i + 1) in (n // 2, n):
            marks[i + 1] = rss_mb()
    elapsed = time.perf_counter() - start
    growth = (marks[n] - marks[n // 2]) / max(1, n - n // 2) * 10_000
    print(
        f"soak: {n:,} evaluations in {elapsed:.1f} s ({n / elapsed:,.0f}/s); resident memory "
        + ", ".join(f"{mb:.1f} MB after {k:,}" for k, mb in marks.items())
        + f"; growth in the second half {growth:+.2f} MB per 10,000"
    )
    return True


def threads(engine, scenarios, count: int) -> bool:
    start = time.perf_counter()
    serial = [outcome(engine.evaluate(s)) for s in scenarios]
    t_serial = time.perf_counter() - start
    start = time.perf_counter()
    with ThreadPoolExecutor(count) as pool:
        parallel = list(pool.map(lambda s: outcome(engine.evaluate(s)), scenarios))
    t_parallel = time.perf_counter() - start
    same = serial == parallel
    print(
        f"threads: {len(scenarios):,} scenarios serially {t_serial:.2f} s, from {count} threads {t_parallel:.2f} s "
        f"(ratio {t_parallel / t_serial:.2f}); identical to serial: {same}"
    )
    return same


def _versions(rules: Path) -> tuple[bytes, bytes]:
    """The partners file as shipped and with one partner rule fewer (a visible change)."""
    path = rules / "partners.yaml"
    old = path.read_bytes()
    marker = b"\n  - id: "
    cut = old.index(marker, old.index(marker) + 1)  # drop the first rule of the file
    first = old.index(marker)
    return old, old[:first] + old[cut:]


def reloads(scenarios, count: int, seconds: float) -> bool:
    with tempfile.TemporaryDirectory() as tmp:
        rules = Path(tmp) / "rules"
        shutil.copytree(DEFAULT_RULES, rules)
        old, new = _versions(rules)
        expected = {}
        for text in (old, new):
            (rules / "partners.yaml").write_bytes(text)
            rb = load_rulebase(rules, DEFAULT_KNOWLEDGE)
            engine = compiled_for(rb)
            expected[rb.sha256] = {s.name: outcome(engine.evaluate(s)) for s in scenarios}
        (rules / "partners.yaml").write_bytes(old)
        live = LiveRuleBase(rules, DEFAULT_KNOWLEDGE)
        stop = threading.Event()
        writes = 0

        def writer():
            nonlocal writes
            path = rules / "partners.yaml"
            while not stop.is_set():
                for text in (new, old):
                    with open(path, "wb") as f:  # in place, in chunks: readers may see a prefix
                        for i in range(0, len(text), 512):
                            f.write(text[i : i + 512])
                            f.flush()
                            time.sleep(0.0005)
                    writes += 1
                    time.sleep(
                        1.5
                    )  # a stable moment (a reload under 16 busy threads takes ~1 s), so both versions serve

        served, wrong, versions, warned = 0, 0, set(), 0

        def session(k: int):
            nonlocal served, wrong, warned
            i = k
            while not stop.is_set():
                status = live.check()
                warned += status.error is not None
                rb = status.rulebase
                s = scenarios[i % len(scenarios)]
                got = outcome(compiled_for(rb).evaluate(s))
                versions.add(rb.sha256)
                served += 1
                if expected.get(rb.sha256, {}).get(s.name) != got:
                    wrong += 1
                i += count

        w = threading.Thread(target=writer)
        workers = [threading.Thread(target=session, args=(k,)) for k in range(count)]
        w.start()
        for t in workers:
            t.start()
        time.sleep(seconds)
        stop.set()
        for t in [w, *workers]:
            t.join()
        unknown = versions - set(expected)
        print(
            f"reloads: {writes} chunked rewrites in {seconds:.0f} s while {count} threads evaluated {served:,} times; "
            f"versions served {len(versions)} (unknown {len(unknown)}), wrong advice {wrong}, "
            f"checks that reported a load error {warned}"
        )
        return wrong == 0 and not unknown


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--evaluations", type=int, default=50_000)
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--reload-seconds", type=float, default=20)
    parser.add_argument("--scenarios", type=int, default=2_000)
    args = parser.parse_args()
    rulebase = load_rulebase()
    engine = compiled_for(rulebase)
    scenarios = random_scenarios(args.scenarios, prefix="soak")
    ok = soak(engine, scenarios, args.evaluations)
    ok &= threads(engine, scenarios, args.threads)
    ok &= reloads(scenarios[:300], args.threads, args.reload_seconds)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
