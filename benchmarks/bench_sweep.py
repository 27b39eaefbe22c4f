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
BOOLS = [
    f"{f}=true,false"
    for f in (
        "host_consent",
        "interim_administration",
        "disputed_border",
        "osce_participating_state",
        "customs_in_scope",
    )
]
BASE = {
    "name": "bench",
    "region": "western_balkans",
    "conflict_status": "post_conflict",
    "host_authority": "limited",
    "host_commitment": "moderate",
    "scope": "national",
    "border_types": ["land", "air"],
    "threats": ["smuggling", "human_trafficking"],
    "eu_delegation": True,
    "un_presence": "agencies",
}


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
    parser.add_argument(
        "--dataset",
        type=int,
        default=0,
        metavar="N",
        help="also sweep an N-scenario sample into a Parquet dataset folder from the CLI "
        "and print the peak RSS of the driver and of each worker",
    )
    parser.add_argument("--dataset-jobs", type=int, default=1, metavar="J", help="--jobs of the dataset run")
    parser.add_argument("--dataset-dask", metavar="TARGET", help="run the dataset sweep on --dask TARGET instead")
    parser.add_argument(
        "--dataset-vary",
        action="append",
        metavar="SPEC",
        help="--vary of the dataset sample (repeatable; default: a few facts, FEW_FACTS)",
    )
    args = parser.parse_args(argv)
    unknowns = args.unknowns
    rulebase = load_rulebase()
    print(
        f"rule base: {rulebase.label}, {len(rulebase.rules)} rules; cores: {cores()}; "
        f"load average before: {os.getloadavg()[0]:.2f}; unknowns column: {unknowns}"
    )

    if args.scenarios > 0:
        _rates(args, rulebase, unknowns)
    if args.dataset:
        _dataset(args.dataset, unknowns, args.dataset_jobs, args.dataset_dask, args.dataset_vary or list(FEW_FACTS))
    if args.grid:
        _grid(args, rulebase, unknowns)
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    return 0


def _rates(args, rulebase, unknowns: bool) -> None:
    sample = random_scenarios(args.scenarios * args.jobs, seed=7)
    serial, serial_cpu = rate(sample[: args.scenarios], rulebase, 1, unknowns)
    parallel, parallel_cpu = rate(sample, rulebase, args.jobs, unknowns)
    print(
        f"one process:  {serial:8,.0f} scenarios/s wall, {serial_cpu:8,.0f} per CPU-second "
        f"({args.scenarios:,} scenarios)"
    )
    print(
        f"{args.jobs} processes: {parallel:8,.0f} scenarios/s wall, {parallel_cpu:8,.0f} per CPU-second "
        f"({len(sample):,} scenarios, pool start-up included)"
    )
    print(
        f"scaling: {parallel / serial:.2f}x wall on {args.jobs} processes ({parallel / serial / args.jobs:.0%} "
        f"of linear); CPU cost per scenario parallel/serial: {serial_cpu / parallel_cpu:.2f}"
    )

    start = time.perf_counter()
    sweep_rows(sample[: args.jobs], rulebase, jobs=args.jobs, unknowns=unknowns)
    startup = time.perf_counter() - start
    steady = len(sample) / max(1e-9, len(sample) / parallel - startup)
    print(
        f"pool start-up: {startup:.2f} s; without it {args.jobs} processes give {steady:,.0f} scenarios/s wall, "
        f"scaling {steady / serial:.2f}x"
    )

    if args.dask:
        from advisor.sweep.run import sweep_rows as run

        start = time.perf_counter()
        run(sample, rulebase, dask=f"local:{args.jobs}", unknowns=unknowns)
        on_dask = len(sample) / (time.perf_counter() - start)
        print(
            f"Dask LocalCluster of {args.jobs} processes: {on_dask:8,.0f} scenarios/s wall (cluster start-up "
            f"included); ratio to one process {on_dask / serial:.2f}x, to the process pool {on_dask / parallel:.2f}x"
        )


def _grid(args, rulebase, unknowns: bool) -> None:
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
    print(
        f"grid of {len(df):,}: {total:.1f} s end to end ({evaluated:.1f} s evaluating, "
        f"{len(df) / total:,.0f} scenarios/s wall, {len(df) / cpu:,.0f} per CPU-second), "
        f"table {df.shape[0]:,} x {df.shape[1]}"
    )


# A planning cell's Monte Carlo question: a few facts varied by weight around a base, so
# many draws share what the rules read (the evaluator's cache) -- the case a 10M run is for.
FEW_FACTS = (
    "conflict_status=*",
    "host_authority=*",
    "host_commitment=strong:1,moderate:2,weak:1",
    "scope=*",
    "host_capacity.legislative=*,unknown",
    "host_consent=true,false",
)


def _dataset(n: int, unknowns: bool, jobs: int, dask: str | None, vary: list[str]) -> None:
    """`advisor sweep --sample N -o DIR/` as a child process: wall time, CPU, and the peak
    resident memory of the driver and of each worker, polled from /proc (VmHWM, the
    kernel's own high-water mark, so a peak between two polls is not missed)."""
    import subprocess

    with tempfile.TemporaryDirectory() as tmp:
        cmd = [
            sys.executable,
            "-m",
            "advisor.cli",
            "sweep",
            "--sample",
            str(n),
            "--seed",
            "1",
            "-o",
            f"{tmp}/ds/",
            "--no-progress",
        ] + (["--dask", dask] if dask else ["--jobs", str(jobs)])
        cmd += [x for spec in vary for x in ("--vary", spec)]
        if unknowns:
            cmd.append("--unknowns")
        start, cpu = time.perf_counter(), cpu_seconds()
        child = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
        peaks = _poll_peaks(child)
        if child.returncode:
            raise SystemExit(f"the sweep failed (exit {child.returncode}): {' '.join(cmd)}")
        seconds, cpu = time.perf_counter() - start, cpu_seconds() - cpu
        parts = len(list(Path(tmp, "ds").glob("part-*.parquet")))
    driver = peaks.pop(child.pid, (0, "driver"))[0]
    workers = sorted((kb for kb, role in peaks.values() if role == "worker"), reverse=True)
    where = f"Dask {dask}" if dask else f"--jobs {jobs}"
    print(
        f"dataset of {n:,} sampled scenarios ({where}, {len(vary)} varied facts): {seconds:.1f} s wall "
        f"({n / seconds:,.0f} scenarios/s wall, {n / cpu:,.0f} per CPU-second), {parts} partitions"
    )
    print(
        f"  peak RSS: driver {driver / 1024:,.0f} MB; workers "
        + (", ".join(f"{kb / 1024:,.0f}" for kb in workers) + " MB" if workers else "none (evaluated in the driver)")
    )


def _poll_peaks(child, every: float = 0.2) -> dict[int, tuple[int, str]]:
    """pid -> (peak RSS in kB, 'driver'|'worker'|'helper') over the child's process tree until it exits."""
    import psutil

    peaks: dict[int, tuple[int, str]] = {}
    root = psutil.Process(child.pid)
    while child.poll() is None:
        try:
            tree = [root] + root.children(recursive=True)
        except psutil.NoSuchProcess:
            break
        for proc in tree:
            try:
                with open(f"/proc/{proc.pid}/status") as status:
                    hwm = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
                role = peaks.get(proc.pid, (0, None))[1] or _role(proc, child.pid)
            except (OSError, StopIteration, psutil.Error):
                continue
            peaks[proc.pid] = (max(hwm, peaks.get(proc.pid, (0, ""))[0]), role)
        time.sleep(every)
    return peaks


def _role(proc, driver: int) -> str:
    if proc.pid == driver:
        return "driver"
    line = " ".join(proc.cmdline())
    return "helper" if "resource_tracker" in line or "forkserver" in line else "worker"


def _shrunk(grid, n: int):
    """The first n scenarios of the grid, as a list (for a quicker run with --grid N)."""
    return list(grid.scenarios(0, min(n, len(grid))))


if __name__ == "__main__":
    sys.exit(main())
