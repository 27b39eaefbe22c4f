"""Start-up of whole `advisor` processes, as ratios against `python -c pass` in the same run.

Run: python benchmarks/bench_startup.py [--runs N] [--no-bytecode] [--tree DIR --tree DIR]
Each command is a fresh interpreter (what a user or a script calling `recommend` per file pays),
run from an empty temporary folder, so the advisor measured is the installed one (or PYTHONPATH's,
or each --tree in turn: before and after in one run):
  python benchmarks/bench_startup.py --runs 11 --tree /path/to/main --tree /path/to/branch
Commands run round-robin, so a busy minute on a shared machine weighs on all alike; wall and
CPU (user + system) medians are shown with their ratio to `python -c pass` of the same run. The
rule-base cache (advisor/rulecache.py) sits in a fresh temporary XDG_CACHE_HOME per tree, filled
by the warm-up run; one row runs recommend with it off.

Targets (issue 14, idle machine, python -c pass ~50 ms): --help < 150 ms, validate and
recommend --format json < 250 ms. Measured 2026-12-03 on 2 shared cores, load average ~2,
main (7ffe894) and the startup3 branch round-robin in the same run (median wall ms and
x python -c pass; CPU medians within a few ms of wall in these runs).

Bytecode cached, as an installed wheel runs (the default here), 11 runs, two rounds:
  command                          before (main)          after (startup3)
  python -c pass                   46 / 48                49 / 58
  advisor --help                   82 1.8x / 84 1.7x      91 1.9x / 87 1.5x
  advisor validate                 246 5.4x / 235 4.9x    143 2.9x / 174 3.0x
  advisor recommend --format json  288 6.3x / 296 6.1x    167 3.4x / 198 3.4x
  the same, rule-base cache off    306 6.7x / 306 6.3x    254 5.2x / 243 4.2x

--no-bytecode (PYTHONDONTWRITEBYTECODE=1, as this machine's shells set it; 9 runs):
  python -c pass                   55                     53
  advisor --help                   118 2.1x               128 2.4x
  advisor validate                 316 5.7x               212 4.0x
  advisor recommend --format json  388 7.0x               260 4.9x

Left in recommend (CPU, in-process): ~55 ms of imports, a third of it creating 36 frozen
dataclasses (each generates its methods through exec); ~12 ms reading the cached rule base;
~12 ms compiling the durable-rules engine (9 ms inside its create_ruleset); ~12 ms design
alterations; ~5 ms each unknowns and evaluation. In validate: imports, parsing the 22 example
scenarios (~15 ms) and the engine's compile check (~12 ms).
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
