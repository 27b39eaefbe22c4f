"""Storage fixtures shared by every storage test: a real SQLite file and one real PostgreSQL
cluster per test session (registered in conftest.py, so the cluster starts once, not per module)."""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from advisor.store import db

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
CEASEFIRE = EXAMPLES / "ceasefire_line_monitoring.yaml"
_INITDB = shutil.which("initdb") or next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))), None)
PG_BIN = Path(_INITDB or "/usr/lib/postgresql/missing/initdb").resolve().parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def pg_cluster():
    """A throw-away PostgreSQL cluster in a temp dir on a free port, stopped at the end."""
    if not (PG_BIN / "pg_ctl").exists():
        pytest.fail("PostgreSQL server binaries are missing; scripts/test.sh installs them")
    base = Path(tempfile.mkdtemp(prefix="advisor-pg-"))
    data, port = base / "data", _free_port()
    as_user = None
    if os.geteuid() == 0:  # why: postgres refuses to run as root
        user = pwd.getpwnam("nobody")
        os.chown(base, user.pw_uid, user.pw_gid)
        as_user = user

    def run(*cmd):
        def drop():
            if as_user:
                os.setgid(as_user.pw_gid)
                os.setuid(as_user.pw_uid)

        subprocess.run(cmd, check=True, capture_output=True, preexec_fn=drop, cwd=base, timeout=120)

    run(str(PG_BIN / "initdb"), "-D", str(data), "-A", "trust", "-U", "advisor", "--no-sync")
    run(
        str(PG_BIN / "pg_ctl"),
        "-D",
        str(data),
        "-l",
        str(base / "log"),
        "-w",
        "-o",
        f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off",
        "start",
    )
    try:
        yield f"postgresql+psycopg://advisor@127.0.0.1:{port}"
    finally:
        run(str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop")
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request, tmp_path):
    if request.param == "sqlite":
        eng = db.make_engine(f"sqlite:///{tmp_path / 'advisor.sqlite3'}")
        yield eng
        eng.dispose()
        return
    base = request.getfixturevalue("pg_cluster")
    name = f"t{time.time_ns()}"
    admin = db.make_engine(base + "/postgres")
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    eng = db.make_engine(f"{base}/{name}")
    yield eng
    eng.dispose()
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f"DROP DATABASE {name} WITH (FORCE)"))  # why: the app under test may still pool connections
    admin.dispose()
