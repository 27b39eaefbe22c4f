"""From a wheel in a fresh venv, outside the source tree, the CLI and the app work.

Builds the real wheel (pip, pip's cache reused), installs it into a new venv, and from an
empty temporary folder runs recommend, validate and test on the packaged rule base and starts
the app until its health endpoint answers.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _run(cmd, cwd, timeout=600, env=None):
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env)


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    base = tmp_path_factory.mktemp("wheel")
    # No PYTHONPATH anywhere: the test session's points at the checkout, which must not leak
    # in (pip would take the checkout's egg-info for an installed copy).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    dist = base / "dist"
    built = _run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-q", "-w", str(dist)], base, env=env)
    assert built.returncode == 0, built.stderr
    wheel = next(dist.glob("*.whl"))
    venv = base / "venv"
    assert _run([sys.executable, "-m", "venv", str(venv)], base, env=env).returncode == 0
    py = venv / "bin" / "python"
    got = _run([str(py), "-m", "pip", "install", "-q", str(wheel)], base, timeout=1200, env=env)
    assert got.returncode == 0, got.stderr
    work = base / "elsewhere"
    work.mkdir()
    return venv, work, env


def _advisor(installed, *args):
    venv, work, env = installed
    return _run([str(venv / "bin" / "advisor"), *args], work, timeout=300, env=env)


def _packaged(installed, name):
    venv, work, env = installed
    out = _run(
        [str(venv / "bin" / "python"), "-c", f"from advisor.datadirs import data_dir; print(data_dir({name!r}))"],
        work,
        env=env,
    )
    assert out.returncode == 0, out.stderr
    path = Path(out.stdout.strip())
    assert venv in path.parents, f"{name} resolved outside the venv: {path}"
    return path


def test_recommend_from_the_wheel(installed):
    example = _packaged(installed, "examples") / "no_host_consent.yaml"
    out = _advisor(installed, "recommend", str(example), "--format", "json")
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert doc["ruleset"]["name"] == "ibm-advisor"
    assert doc["ruleset"]["sha256"]


def test_validate_and_rule_tests_from_the_wheel(installed):
    rules = _packaged(installed, "rules")
    out = _advisor(installed, "validate")
    assert out.returncode == 0, out.stderr
    assert str(rules) in out.stdout
    out = _advisor(installed, "test")
    assert out.returncode == 0, out.stdout + out.stderr
    assert " 0 failed" in out.stdout


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_app_starts_from_the_wheel(installed):
    venv, work, env = installed
    port = _free_port()
    proc = subprocess.Popen(
        [str(venv / "bin" / "advisor"), "app", "--headless", "--port", str(port), "--address", "127.0.0.1"],
        cwd=work,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        body = None
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                    body = r.read().decode()
                    break
            except OSError:
                time.sleep(0.5)
        assert body == "ok", f"health endpoint did not answer; app exited with {proc.poll()}"
    finally:
        os.killpg(proc.pid, 15)
        proc.wait(timeout=30)
