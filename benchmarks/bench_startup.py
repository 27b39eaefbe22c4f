"""Start-up of whole `advisor` processes, as ratios against `python -c pass` in the same run.

Run: python benchmarks/bench_startup.py [--runs N]
Each command is a fresh interpreter (what a user or a script calling `recommend` per file pays),
run from an empty temporary folder, so the advisor measured is the installed one (or PYTHONPATH's):
  PYTHONPATH=/path/to/checkout python benchmarks/bench_startup.py

Targets (issue 14, idle machine, python -c pass ~60 ms): --help < 150 ms, validate and
recommend --format json < 250 ms. Measured 2026-12-02, 2 shared cores, load average < 1,
7 runs each, main and the startup branch interleaved in the same minute (median ms, ratio):

  command                          before (main)     after (startup)
  python -c pass                      48   1.0          49   1.0
  advisor --help                     824  17.1         118   2.4
  advisor validate                   364   7.5         282   5.7
  advisor recommend --format json    391   8.1         317   6.4

--help meets its target; validate and recommend do not yet (what is left: ~100 ms of imports
spread over ~60 small modules, ~55 ms loading the rule base, ~30 ms design alterations).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "no_host_consent.yaml"
CWD = "."

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


def median_seconds(cmd: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, cwd=CWD)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    global CWD
    CWD = tempfile.mkdtemp(prefix="bench-startup-")
    base = median_seconds(COMMANDS["python -c pass"], runs)
    print(f"{'command':36} {'median ms':>10} {'x python -c pass':>17}")
    for name, cmd in COMMANDS.items():
        t = base if name == "python -c pass" else median_seconds(cmd, runs)
        print(f"{name:36} {t * 1000:10.0f} {t / base:17.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
