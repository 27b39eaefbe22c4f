"""Authoring without the engine: with `durable_rules_engine` made unimportable, the authoring
commands still work, and the commands that need the engine say so in one line."""

from __future__ import annotations

import subprocess
import sys

import pytest

from support import ROOT

# Runs the CLI in a fresh interpreter whose import system refuses the C extension, exactly as
# a machine without a compiler (or on a Python it does not build for) would.
BLOCKED = """
import sys
class NoEngine:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("durable", "durable_rules_engine"):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
sys.meta_path.insert(0, NoEngine())
from advisor import cli
code = cli.main(sys.argv[1:])
assert "durable_rules_engine" not in sys.modules
sys.exit(code)
"""
EXAMPLE = str(ROOT / "examples" / "no_host_consent.yaml")


def _run(tmp_path, *args):
    return subprocess.run(
        [sys.executable, "-c", BLOCKED, *args], capture_output=True, text=True, cwd=tmp_path, timeout=120
    )


@pytest.mark.parametrize(
    "args",
    [
        ("validate",),
        ("validate", EXAMPLE),
        ("schema", "scenario"),
        ("rules",),
        ("coverage", "--concept"),
        ("recommend", EXAMPLE, "--engine", "reference", "--format", "json"),
        ("--help",),
    ],
    ids=lambda a: " ".join(a)[:40],
)
def test_authoring_commands_work_without_the_engine(tmp_path, args):
    done = _run(tmp_path, *args)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr


def test_validate_says_the_engine_check_was_skipped(tmp_path):
    done = _run(tmp_path, "validate")
    assert done.stdout.startswith("ok: ")
    warnings = [line for line in done.stderr.splitlines() if "durable-rules engine" in line]
    assert len(warnings) == 1 and "setup.sh" in warnings[0]


@pytest.mark.parametrize("args", [("recommend", EXAMPLE), ("verify",)], ids=["recommend", "verify"])
def test_engine_commands_say_so_in_one_line(tmp_path, args):
    done = _run(tmp_path, *args)
    assert done.returncode == 2 and done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "durable_rules_engine" in lines[0] and "install" in lines[0], done.stderr
