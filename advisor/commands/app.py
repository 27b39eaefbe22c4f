"""advisor app: start the Streamlit app (the checkout's app.py, or the copy inside the wheel)."""

from __future__ import annotations

import os
import subprocess
import sys

# The server settings the app is meant to run with. .streamlit/config.toml holds the same for
# `streamlit run app.py` in the checkout (tests/test_app_settings.py checks that they agree);
# they are given on the command line here because a wheel's app runs from the package folder.
SETTINGS = {
    # No usage statistics sent to Streamlit.
    "browser.gatherUsageStats": "false",
    # Planners get no Deploy button or developer menu (issue 14).
    "client.toolbarMode": "viewer",
    # Streamlit runs a full gc.collect() after every script run by default. With the rule base,
    # pandas and the advice cache in memory that took 40-90 ms, holding the GIL, so the finished
    # run reached the browser that much later on every fact change (issue 12,
    # benchmarks/bench_app.py). Python's own generational collector still runs.
    "runner.postScriptGC": "false",
    # Widgets kept in session state are also given that value as their default (advisor/ui/
    # state.py, shown): on purpose, so the log line Streamlit writes about it is noise.
    "global.disableWidgetStateDuplicationWarning": "true",
}


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
    cmd = [sys.executable, "-m", "streamlit", "run", str(script)]
    cmd += ["--server.port", str(args.port), "--server.address", args.address]
    for option, value in SETTINGS.items():
        cmd += [f"--{option}", value]
    if args.headless:
        cmd += ["--server.headless", "true"]
    # Run from the script's folder so Streamlit finds the pages next to it.
    os.chdir(script.parent)
    if os.name == "posix":
        # The server takes this process's place: a stop signal from a service manager or a test
        # reaches Streamlit itself. As a child it outlived a terminated `advisor app`.
        os.execv(sys.executable, cmd)
    return subprocess.call(cmd)
