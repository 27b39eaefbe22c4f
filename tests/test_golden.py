"""scripts/golden.py reproduces every committed golden file: the regeneration command and the
tests that read the goldens agree, so `--write` after a deliberate change is safe to review."""

from __future__ import annotations

import subprocess
import sys

from support import ROOT

SCRIPT = ROOT / "scripts" / "golden.py"


def _golden(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True, timeout=600)


def test_the_cli_goldens_are_up_to_date():
    result = _golden("mistakes", "ruletests", "concept")
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-500:]
    assert "17 golden files checked, all up to date" in result.stderr


def test_every_rule_fires_is_up_to_date():
    result = _golden("every_rule_fires")
    assert result.returncode == 0, "run `python scripts/golden.py every_rule_fires --write`:\n" + result.stdout[-2000:]


def test_an_unknown_group_is_refused_with_the_groups():
    refused = _golden("no-such-group")
    assert refused.returncode == 2 and "groups:" in refused.stderr
