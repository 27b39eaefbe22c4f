"""Helpers for the browser journeys: a real Streamlit server, headless Chromium, waits."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIX = ROOT / "tests" / "fixtures" / "app"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def launch(cmd: list[str], env_extra: dict, cwd: Path = ROOT) -> subprocess.Popen:
    """Start a server process; its log goes to a file (`proc.log_path`, read by server_log).

    Not to a pipe: nobody reads a pipe while the test runs, and a server that had logged 64 KiB
    (warnings, sign-in redirects, tracebacks) would block on its next write, mid-run.
    """
    log = tempfile.NamedTemporaryFile(prefix="streamlit-", suffix=".log", delete=False)
    with log:
        proc = subprocess.Popen(cmd, cwd=cwd, env=dict(os.environ, **env_extra), stdout=subprocess.DEVNULL, stderr=log)
    proc.log_path = Path(log.name)  # type: ignore[attr-defined]
    return proc


def serve(script: Path, env_extra: dict, cwd: Path = ROOT):
    port = free_port()
    cmd = [sys.executable, "-m", "streamlit", "run", str(script), "--server.headless", "true"]
    cmd += ["--server.port", str(port), "--browser.gatherUsageStats", "false"]
    proc = launch(cmd, env_extra, cwd)
    url = f"http://127.0.0.1:{port}"
    wait_healthy(proc, url)
    return proc, url


def wait_healthy(proc, url: str) -> None:
    """Wait for the server's health endpoint, not for a time: give up only if the process died."""
    for _ in range(600):
        if proc.poll() is not None:
            raise RuntimeError("streamlit exited: " + server_log(proc)[-2000:])
        try:
            if urllib.request.urlopen(url + "/_stcore/health", timeout=1).read() == b"ok":
                return
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("streamlit did not become healthy")


def server_log(proc) -> str:
    return proc.log_path.read_text(encoding="utf-8", errors="replace")


def stop(proc) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(10)
    proc.log_path.unlink(missing_ok=True)


def settle(page) -> None:
    """Wait until the script run triggered by the last action has finished."""
    page.wait_for_timeout(250)  # debounced widget messages reach the server first
    page.wait_for_selector(IDLE, state="attached")


AT_REST = """() => !document.querySelector("[data-stale='true'], [data-testid='stSkeleton'], [data-testid='stSkeletonElement']") &&
    document.getAnimations().every(a => a.playState !== 'running' ||
                                        a.effect?.getComputedTiming().iterations === Infinity)"""


def at_rest(page) -> None:
    """Settled, no element faded as stale or still a loading placeholder (a skeleton, while
    the element's code loads), and no finite transition still running.

    Colour checks (axe color-contrast) blend a fading element's opacity into its text
    colour: run in the middle of a fade, they report a contrast the page does not have
    at rest (seen once as 3.88:1 for a 7:1 caption on a loaded machine).
    """
    settle(page)
    page.wait_for_function(AT_REST)
    page.wait_for_timeout(100)
    page.wait_for_function(AT_REST)


# The mandate as shown: the app's headline figure (advisor/ui/viewer.py), or on a minimal page
# (benchmarks) its st.metric.
MANDATE = ".ibm-figure[data-slot='mandate'] .ibm-value, [data-testid='stMetricValue']"
# A wait_for_function body: the mandate shows `want` and the script is idle.
MANDATE_SHOWS = (
    '([want, idle]) => { const m = document.querySelector("' + MANDATE + '");'
    " return m && m.innerText.trim() === want && document.querySelector(idle); }"
)


def open_app(page, url: str, query: str = "") -> None:
    page.goto(url + "/" + query)
    page.wait_for_selector(".ibm-value")
    settle(page)


def choose(page, label: str, option: str) -> None:
    """Pick an option of a selectbox found by its label."""
    box = page.get_by_role("combobox", name=label, exact=True).first
    box.scroll_into_view_if_needed()  # a click that scrolls the page closes the list it opened
    page.wait_for_timeout(200)
    box.click()
    page.get_by_role("option", name=option, exact=True).click()
    settle(page)


def metric_value(page, label: str):
    """The value element of the headline figure with this label (a locator, for Playwright's
    expect). The headline is drawn by advisor/ui/viewer.py: .ibm-figure > .ibm-label, .ibm-value."""
    m = page.locator(".ibm-figure").filter(has=page.locator(".ibm-label", has_text=label)).first
    return m.locator(".ibm-value")


def metric(page, label: str) -> str:
    return metric_value(page, label).inner_text().strip()


def save_in_workspace(page) -> str:
    """Open the Workspace's "Save to library", save, and return the main area's text once the
    save has answered (a success or the Library's refusal).

    When no answer comes, the failure shows what the page held instead (text and a screenshot).
    The answer that went missing in CI was a real fault, not a slow page: the browser had sent
    two widgets' defaults with the save, the scenario changed, and the full rerun that followed
    replaced the answer (tests/browser/test_app_late_load.py).
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page.get_by_text("Save to library").click()
    button = page.get_by_role("button", name="Save current scenario as a new version")
    button.wait_for()
    # As a planner would, click once the form is drawn and still: clicked within milliseconds of
    # appearing, while the run drawing it went on (a loaded machine), the click sometimes never
    # reached the server (seen in its trace: no submit arrived).
    at_rest(page)
    button.click()
    try:
        page.locator("[data-testid='stExpander']:has([data-testid='stForm']) [data-testid='stAlert']").first.wait_for(
            timeout=30_000
        )
    except PlaywrightTimeout:
        shot = Path(tempfile.gettempdir()) / "save_in_workspace_timeout.png"
        page.screenshot(path=str(shot), full_page=True)
        state = page.locator("[data-testid='stApp']").get_attribute("data-test-script-state")
        raise AssertionError(
            f"the save never answered (script state {state}; page in {shot}); the main area read:\n"
            + page.locator("[data-testid='stMain']").inner_text()
        ) from None
    settle(page)
    return page.locator("[data-testid='stMain']").inner_text()
