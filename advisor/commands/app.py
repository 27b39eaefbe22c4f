"""advisor app: start the Streamlit app (the checkout's app.py, or the copy inside the wheel)."""

from __future__ import annotations

import os
import subprocess
import sys


def register(sub, common) -> None:
    p = sub.add_parser(
        "app",
        help="start the web app (Streamlit)",
        description="Start the Streamlit app on this machine; works from any folder, "
        "also when installed from a wheel. The rule base comes from the app's "
        "environment variables, else the packaged default.",
    )
    p.add_argument("--port", type=int, default=8501, help="port to listen on (default 8501)")
    p.add_argument("--address", default="localhost", help="address to bind (default localhost)")
    p.add_argument("--headless", action="store_true", help="do not open a browser")
    p.set_defaults(func=run)


def run(args) -> int:
    from ..datadirs import app_script

    script = app_script()
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(script),
        "--server.port",
        str(args.port),
        "--server.address",
        args.address,
        "--browser.gatherUsageStats",
        "false",
        # As .streamlit/config.toml says for the checkout: planners get no Deploy button or
        # developer menu. Given here too because a wheel's app runs from the package folder.
        "--client.toolbarMode",
        "viewer",
    ]
    if args.headless:
        cmd += ["--server.headless", "true"]
    # Run from the script's folder so Streamlit finds the pages next to it.
    os.chdir(script.parent)
    if os.name == "posix":
        # The server takes this process's place: a stop signal from a service manager or a test
        # reaches Streamlit itself. As a child it outlived a terminated `advisor app`.
        os.execv(sys.executable, cmd)
    return subprocess.call(cmd)
