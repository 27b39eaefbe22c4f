"""Sweeps on Dask equal serial sweeps, in input order: on a LocalCluster of worker
processes and on a scheduler and two workers started as separate processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pandas as pd
import pytest

from advisor.errors import AdvisorError, EngineError
from advisor.ruleset import load_rulebase
from advisor.sweep.cluster import parse_target
from advisor.sweep.grid import make_grid
from advisor.sweep.run import sweep_rows
from advisor.sweep.table import frame
from support import CHAIN_KNOWLEDGE, CHAIN_RULES, ROOT

# An added rule that changes the rule base's hash without changing its advice.
EXTRA_RULE = (
    "topic: extra\nrules:\n  - id: extra.noop\n    title: Added to change the hash\n"
    "    when: {fact: host_consent, is: true}\n    then:\n      - derived: extra_noop\n"
    "    rationale: Only changes the version.\n    sections: ['6']\n"
)

distributed = pytest.importorskip("distributed")

GRID = [
    "host_authority=*",
    "interim_administration=true,false,unknown",
    "host_consent=true,false,unknown",
    "disputed_border=true,false",
    "conflict_status=stable,active_conflict",
]


@pytest.fixture(scope="module")
def chain():
    return load_rulebase(CHAIN_RULES, CHAIN_KNOWLEDGE)


@pytest.fixture(scope="module")
def scheduler(tmp_path_factory):
    """A `dask scheduler` and two `dask worker`s, each its own process, on free ports."""
    folder = tmp_path_factory.mktemp("dask")
    file = folder / "scheduler.json"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    dask = [sys.executable, "-m", "dask"]
    procs = [
        subprocess.Popen(
            dask + ["scheduler", "--port", "0", "--no-dashboard", "--scheduler-file", str(file)],
            cwd=folder,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    ]
    try:
        deadline = time.monotonic() + 60
        while not file.exists() or not file.read_text().strip():
            assert time.monotonic() < deadline and procs[0].poll() is None, "the scheduler did not start"
            time.sleep(0.2)
        address = json.loads(file.read_text())["address"]
        for _ in range(2):
            procs.append(
                subprocess.Popen(
                    dask + ["worker", address, "--nthreads", "1", "--no-dashboard", "--local-directory", str(folder)],
                    cwd=folder,
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
        with distributed.Client(address, timeout="30s") as client:
            client.wait_for_workers(2, timeout=90)
            assert len(client.scheduler_info()["workers"]) == 2
        yield address
    finally:
        for p in reversed(procs):
            p.terminate()
        for p in reversed(procs):
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()


@pytest.mark.slow
def test_local_cluster_of_processes_equals_serial(chain):
    grid = make_grid(GRID)
    serial = frame(sweep_rows(grid, chain, jobs=1))
    done = []
    on_dask = frame(sweep_rows(grid, chain, dask="local:2", on_progress=done.append))
    pd.testing.assert_frame_equal(on_dask, serial)
    assert list(on_dask["name"]) == [f"grid {i + 1}" for i in range(len(grid))]
    assert sum(done) == len(grid) and len(done) > 2


@pytest.mark.slow
def test_separate_scheduler_and_workers_equal_serial_with_the_real_rule_base(scheduler):
    real = load_rulebase()
    grid = make_grid(
        [
            "host_authority=*",
            "conflict_status=*",
            "host_consent=true,false,unknown",
            "agreements=none,ceasefire,unknown",
        ]
    )
    serial = frame(sweep_rows(grid, real, jobs=1))
    with distributed.Client(scheduler) as client:
        before = client.run(os.getpid)
    on_dask = frame(sweep_rows(grid, real, dask=scheduler))
    pd.testing.assert_frame_equal(on_dask, serial)
    assert len(set(before.values())) == 2 and os.getpid() not in before.values()


@pytest.mark.slow
def test_workers_refuse_a_different_rule_base(scheduler, chain):
    edited = load_rulebase(chain.rules_dir, chain.knowledge_dir, overlay={"extra.yaml": EXTRA_RULE})
    assert edited.sha256 != chain.sha256
    with pytest.raises(EngineError, match="different rule base"):
        sweep_rows(make_grid(["scope=*"]), edited, dask=scheduler)


@pytest.mark.slow
def test_cli_on_the_separate_scheduler_writes_the_serial_table(scheduler, tmp_path):
    args = [
        sys.executable,
        "-m",
        "advisor.cli",
        "sweep",
        "--rules",
        str(CHAIN_RULES),
        "--knowledge",
        str(CHAIN_KNOWLEDGE),
        "--no-progress",
    ] + [a for g in GRID for a in ("--vary", g)]
    serial = subprocess.run(args + ["-o", str(tmp_path / "a.csv"), "--jobs", "1"], capture_output=True, text=True)
    on_dask = subprocess.run(
        args + ["-o", str(tmp_path / "b.csv"), "--dask", scheduler], capture_output=True, text=True
    )
    assert serial.returncode == 0 and on_dask.returncode == 0, on_dask.stderr
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()
    assert on_dask.stdout.replace(str(tmp_path / "b.csv"), "") == serial.stdout.replace(str(tmp_path / "a.csv"), "")


@pytest.mark.parametrize(
    "text, expected",
    [("local", (None, 3)), ("local:2", (None, 2)), ("tcp://10.0.0.1:8786", ("tcp://10.0.0.1:8786", None))],
)
def test_targets(text, expected):
    t = parse_target(text, 3)
    assert (t.address, t.workers) == expected


@pytest.mark.parametrize("text", ["local:0", "local:x", "10.0.0.1:8786", "tcp://", ""])
def test_bad_targets_name_the_option(text):
    with pytest.raises(AdvisorError, match="--dask"):
        parse_target(text, 2)


def test_an_unreachable_scheduler_is_a_clear_error(chain):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(AdvisorError, match="cannot reach the Dask scheduler"):
        sweep_rows(make_grid(["scope=*"]), chain, dask=f"tcp://127.0.0.1:{port}")


@pytest.mark.slow
def test_workers_write_a_dataset_folder_equal_to_serial(scheduler, chain, tmp_path):
    from advisor.sweep.dataset import write_dataset

    grid = make_grid(GRID)
    total, _ = write_dataset(grid, chain, str(tmp_path / "out"), dask=scheduler, part_size=9)
    assert total == len(grid)
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "out"), frame(sweep_rows(grid, chain, jobs=1)))
