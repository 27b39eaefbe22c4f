"""Start-up of whole `advisor` processes, as ratios against `python -c pass` in the same run.

Run: python benchmarks/bench_startup.py [--runs N]
Each command is a fresh interpreter (what a user or a script calling `recommend` per file pays),
run from an empty temporary folder, so the advisor measured is the installed one (or PYTHONPATH's):
  PYTHONPATH=/path/to/checkout python benchmarks/bench_startup.py

Targets (issue 14, idle machine, python -c pass ~60 ms): --help < 150 ms, validate and
recommend --format json < 250 ms. Measured 2026-12-02 on 2 shared cores, load average < 1,
main and the startup branch interleaved in the same minute (median ms, x python -c pass).

Bytecode cached, as an installed wheel runs (the default here), 9 runs, two rounds:
  command                          before (main)          after (startup)
  python -c pass                   46 / 41                42 / 47
  advisor --help                   580 12.5x / 614 14.8x  84 2.0x / 85 1.8x
  advisor validate                 290 6.3x / 323 7.8x    227 5.4x / 220 4.7x
  advisor recommend --format json  269 5.8x / 292 7.0x    245 5.8x / 268 5.7x

--no-bytecode (PYTHONDONTWRITEBYTECODE=1, as this machine's shells set it; 7 runs):
  advisor --help                   824 17.1x              118 2.4x
  advisor validate                 364 7.5x               282 5.7x
  advisor recommend --format json  391 8.1x               317 6.4x

Left in recommend: ~100 ms of imports over ~60 small modules, ~55 ms loading the rule base
(YAML walk ~35 ms), ~30 ms of design alterations, ~25 ms evaluation.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "no_host_consent.yaml"
CWD = "."
ENV = dict(os.environ)

COMMANDS = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "advisor --help": [sys.executable, "-m", "advisor.cli", "--help"],
    "advisor validate": [sys.executable, "-m", "advisor.cli", "validate"],
    "advisor recommend --format json": [
        sys.executable,
        "-m",
        "advisor.cli",
        "recommend",
        str(EXAMPLE),
        "--format",
        "json",
    ],
}
COMMANDS["advisor recommend --format json (no rule cache)"] = COMMANDS["advisor recommend --format json"]
UNCACHED = {"advisor recommend --format json (no rule cache)"}


def _run(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds (user + system, of the child) of one whole process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, cwd=CWD, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument(
        "--no-bytecode",
        action="store_true",
        help="keep PYTHONDONTWRITEBYTECODE: every run compiles the sources (not what an installed wheel pays)",
    )
    parser.add_argument(
        "--tree",
        action="append",
        metavar="DIR",
        help="a checkout to measure (as PYTHONPATH), repeatable: before and after in one run; "
        "default: the advisor this environment imports",
    )
    options = parser.parse_args()
    global CWD
    CWD = tempfile.mkdtemp(prefix="bench-startup-")
    if not options.no_bytecode:
        # pip compiles an installed package's bytecode; a checkout run with PYTHONDONTWRITEBYTECODE=1
        # would instead time the compiler (~45 ms for recommend). Bytecode goes to a temporary
        # prefix, never into the source tree.
        ENV.pop("PYTHONDONTWRITEBYTECODE", None)
        ENV["PYTHONPYCACHEPREFIX"] = tempfile.mkdtemp(prefix="bench-startup-pyc-")
    # The compiled rule base (advisor/rulecache.py) in a fresh folder per tree, filled by the
    # warm-up run: what every run after a user's first pays. One row shows the cost without it.
    trees = options.tree or [ENV.get("PYTHONPATH", "")]
    cases = []  # (tree, command name, argv, environment)
    for tree in trees:
        env = dict(ENV, PYTHONPATH=tree) if tree else dict(ENV)
        # The default location (platformdirs, under XDG_CACHE_HOME), as a user's runs find it.
        env.pop("ADVISOR_CACHE_DIR", None)
        env["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="bench-startup-cache-")
        for name, cmd in COMMANDS.items():
            cases.append((tree, name, cmd, dict(env, ADVISOR_CACHE_DIR="off") if name in UNCACHED else env))
    for _, _, cmd, env in cases:
        _run(cmd, env)  # warm-up: bytecode and the rule-base cache are written here
    # Round-robin, so that a busy minute on a shared machine weighs on every command alike.
    samples: dict[int, list[tuple[float, float]]] = {i: [] for i in range(len(cases))}
    for _ in range(options.runs):
        for i, (_, _, cmd, env) in enumerate(cases):
            samples[i].append(_run(cmd, env))
    print(f"bytecode: {'compiled every run' if options.no_bytecode else 'cached (as installed)'}; {options.runs} runs")
    print(f"{'command':48} {'wall ms':>8} {'x pass':>7} {'cpu ms':>8} {'x pass':>7}")
    for tree in trees:
        if len(trees) > 1:
            print(f"-- {tree}")
        rows = [(name, samples[i]) for i, (t, name, _, _) in enumerate(cases) if t == tree]
        base = dict(rows)["python -c pass"]
        base_wall, base_cpu = statistics.median(w for w, _ in base), statistics.median(c for _, c in base)
        for name, runs in rows:
            wall, cpu = statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs)
            print(f"{name:48} {wall * 1000:8.0f} {wall / base_wall:7.1f} {cpu * 1000:8.0f} {cpu / base_cpu:7.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
