"""`python -m advisor` is the same command line as the `advisor` script."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_python_dash_m_runs_the_cli_and_passes_its_exit_code(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    ok = subprocess.run(
        [sys.executable, "-m", "advisor", "--version"], capture_output=True, text=True, env=env, cwd=tmp_path
    )
    assert ok.returncode == 0 and ok.stdout.strip()
    bad = subprocess.run(
        [sys.executable, "-m", "advisor", "recommend", str(tmp_path / "missing.yaml")],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    assert bad.returncode == 2 and "missing.yaml" in bad.stderr and not bad.stdout
