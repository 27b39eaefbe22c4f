"""Sweep benchmark: scenarios per second on one process and on all cores, and a 100,000 grid.

    python benchmarks/bench_sweep.py [--scenarios 4000] [--grid 100000] [--jobs N] [--unknowns]

Uses the full rule base (rules/, knowledge/). Random scenarios over the whole vocabulary
(no two alike, so the sweep's result cache does not flatter the figures) are evaluated
once serially and once on all cores; the scaling ratio (parallel rate / serial rate, pool
start-up included) is the figure to compare across machines. Each rate is given per
wall-clock second and per CPU-second (this process plus its finished workers): on a
machine shared with other work, the CPU-second figure is what one core delivers. Then a grid of --grid
scenarios (five capacity areas x five levels-or-unknown, five yes/no facts = 100,000) is
swept end to end as `advisor sweep` does it: evaluation, DataFrame, Parquet file.
Targets (issue 7): >= 1,000 scenarios/s per core, near-linear scaling. Other work on the
machine lowers both figures: note the load average printed with them.
"""
from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

from advisor import scenario as scenarios
from advisor import vocabulary as v
from advisor.ruleset import load_rulebase
from advisor.sample import random_scenarios
from advisor.sweep.grid import make_grid
from advisor.sweep.run import cores, sweep_rows

AREAS = [f"host_capacity.{a}=*,unknown" for a in v.AREAS]
BOOLS = [f"{f}=true,false" for f in ("host_consent", "interim_administration", "disputed_border",
                                     "osce_participating_state", "customs_in_scope")]
BASE = {"name": "bench", "region": "western_balkans", "conflict_status": "post_conflict",
        "host_authority": "limited", "host_commitment": "moderate", "scope": "national",
        "border_types": ["land", "air"], "threats": ["smuggling", "human_trafficking"],
        "eu_delegation": True, "un_presence": "agencies"}


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the pool's workers)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def rate(source, rulebase, jobs: int, unknowns: bool) -> tuple[float, float]:
    """(scenarios per wall-clock second, scenarios per CPU second).

    The second figure is what one core delivers whatever else the machine is doing:
    on a shared machine the wall-clock rate mostly measures the other users.
    """
    start, cpu = time.perf_counter(), cpu_seconds()
    rows = sweep_rows(source, rulebase, jobs=jobs, unknowns=unknowns)
    seconds, cpu = time.perf_counter() - start, cpu_seconds() - cpu
    assert len(rows) == len(source)
    return len(rows) / seconds, len(rows) / cpu


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenarios", type=int, default=4000, help="random scenarios per process")
    parser.add_argument("--grid", type=int, default=100_000, help="0 skips the grid")
    parser.add_argument("--jobs", type=int, default=cores())
    parser.add_argument("--unknowns", action="store_true", help="also fill the decisive-unknowns column")
    parser.add_argument("--dask", action="store_true", help="also time the sample on a LocalCluster")
    parser.add_argument("--dataset", type=int, default=0, metavar="N",
                        help="also sweep an N-scenario sample into a Parquet dataset folder from the CLI "
                             "(one process) and print its peak RSS")
    args = parser.parse_args(argv)
    unknowns = args.unknowns
    rulebase = load_rulebase()
    print(f"rule base: {rulebase.label}, {len(rulebase.rules)} rules; cores: {cores()}; "
          f"load average before: {os.getloadavg()[0]:.2f}; unknowns column: {unknowns}")

    sample = random_scenarios(args.scenarios * args.jobs, seed=7)
    serial, serial_cpu = rate(sample[:args.scenarios], rulebase, 1, unknowns)
    parallel, parallel_cpu = rate(sample, rulebase, args.jobs, unknowns)
    print(f"one process:  {serial:8,.0f} scenarios/s wall, {serial_cpu:8,.0f} per CPU-second "
          f"({args.scenarios:,} scenarios)")
    print(f"{args.jobs} processes: {parallel:8,.0f} scenarios/s wall, {parallel_cpu:8,.0f} per CPU-second "
          f"({len(sample):,} scenarios, pool start-up included)")
    print(f"scaling: {parallel / serial:.2f}x wall on {args.jobs} processes ({parallel / serial / args.jobs:.0%} "
          f"of linear); CPU cost per scenario parallel/serial: {serial_cpu / parallel_cpu:.2f}")

    start = time.perf_counter()
    sweep_rows(sample[:args.jobs], rulebase, jobs=args.jobs, unknowns=unknowns)
    startup = time.perf_counter() - start
    steady = len(sample) / max(1e-9, len(sample) / parallel - startup)
    print(f"pool start-up: {startup:.2f} s; without it {args.jobs} processes give {steady:,.0f} scenarios/s wall, "
          f"scaling {steady / serial:.2f}x")

    if args.dask:
        from advisor.sweep.run import sweep_rows as run

        start = time.perf_counter()
        run(sample, rulebase, dask=f"local:{args.jobs}", unknowns=unknowns)
        on_dask = len(sample) / (time.perf_counter() - start)
        print(f"Dask LocalCluster of {args.jobs} processes: {on_dask:8,.0f} scenarios/s wall (cluster start-up "
              f"included); ratio to one process {on_dask / serial:.2f}x, to the process pool {on_dask / parallel:.2f}x")

    if args.dataset:
        _dataset(args.dataset, unknowns)

    if args.grid:
        from advisor.sweep.table import frame, write  # pandas: not imported by spawned workers

        grid = make_grid(AREAS + BOOLS, scenarios.from_mapping(BASE))
        grid = grid if len(grid) == args.grid else _shrunk(grid, args.grid)
        start, cpu = time.perf_counter(), cpu_seconds()
        rows = sweep_rows(grid, rulebase, jobs=args.jobs, unknowns=unknowns)
        evaluated = time.perf_counter() - start
        df = frame(rows)
        with tempfile.TemporaryDirectory() as tmp:
            write(df, Path(tmp) / "grid.parquet")
        total = time.perf_counter() - start
        cpu = cpu_seconds() - cpu
        print(f"grid of {len(df):,}: {total:.1f} s end to end ({evaluated:.1f} s evaluating, "
              f"{len(df) / total:,.0f} scenarios/s wall, {len(df) / cpu:,.0f} per CPU-second), "
              f"table {df.shape[0]:,} x {df.shape[1]}")
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    return 0


def _dataset(n: int, unknowns: bool) -> None:
    """`advisor sweep --sample N -o DIR/ --jobs 1` as a child process: its wall time and peak RSS."""
    import subprocess

    vary = [f"{path}=*" for path in ("conflict_status", "host_authority", "host_commitment", "scope")]
    vary += [f"host_capacity.{a}=*,unknown" for a in v.AREAS] + BOOLS
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, "-m", "advisor.cli", "sweep", "--sample", str(n), "--seed", "1", "-o", f"{tmp}/ds/",
               "--jobs", "1", "--no-progress"] + [x for spec in vary for x in ("--vary", spec)]
        if unknowns:
            cmd.append("--unknowns")
        start = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        seconds = time.perf_counter() - start
        rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        parts = len(list(Path(tmp, "ds").glob("part-*.parquet")))
    print(f"dataset of {n:,} sampled scenarios, one process: {seconds:.1f} s ({n / seconds:,.0f} scenarios/s), "
          f"{parts} partitions, peak RSS of the largest child so far {rss_mb:,.0f} MB")


def _shrunk(grid, n: int):
    """The first n scenarios of the grid, as a list (for a quicker run with --grid N)."""
    return list(grid.scenarios(0, min(n, len(grid))))


if __name__ == "__main__":
    sys.exit(main())
