"""Load benchmark (issue 17): simultaneous browser sessions changing facts for a bounded time.

    python benchmarks/bench_load.py [--sessions 8] [--seconds 60]

One real app server (the app-test fixture rule base) and headless Chromium with one browser
context per session, all driven at once (Playwright's async API). Each session loads the
"Interim administration" preset and keeps flipping that fact, each starting on the other
value from its neighbour; after every change it waits until its own mandate metric shows
what its own choice implies (no -> "no conclusion", yes -> "substitution") and the script
is idle. A session that sees another answer (another session's advice) counts as wrong.
Prints the median and 95th-percentile change-to-advice times, wrong answers, and the
server's resident memory (start, peak, end). Exits 1 on any wrong answer.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "browser"))

from app_browser import CHROMIUM_ARGS, FIX, IDLE, MANDATE, MANDATE_SHOWS, serve, stop  # noqa: E402

EXPECT = {"no": "no conclusion", "yes": "substitution"}
SHOWN = MANDATE_SHOWS


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


async def pick(page, label: str, option: str) -> None:
    await page.get_by_role("combobox", name=label, exact=True).first.click()
    await page.get_by_role("option", name=option, exact=True).click()


async def session(browser, url: str, k: int, clock: dict, times: list, wrong: list) -> None:
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    page = await context.new_page()
    page.set_default_timeout(120_000)
    await page.goto(url)
    await page.wait_for_selector(IDLE, state="attached")
    await pick(page, "Start from a preset (an archetype scenario)", "Interim administration")
    await page.wait_for_selector(IDLE, state="attached")
    clock["ready"] += 1
    if clock["ready"] == clock["sessions"]:  # the timed part starts once every session is open
        clock["until"] = time.monotonic() + clock["seconds"]
        clock["go"].set()
    await clock["go"].wait()
    i = k
    while time.monotonic() < clock["until"]:
        option = ("no", "yes")[i % 2]
        start = time.perf_counter()
        await pick(page, "Interim administration", option)
        try:
            await page.wait_for_function(SHOWN, arg=[EXPECT[option], IDLE], timeout=30_000)
            times.append(time.perf_counter() - start)
        except Exception:  # noqa: BLE001 - a timeout here means the page shows someone else's advice
            wrong.append((k, option, await page.locator(MANDATE).first.inner_text()))
        i += 1
    await context.close()


async def drive(url: str, sessions: int, seconds: float, times: list, wrong: list) -> None:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        clock = {"ready": 0, "sessions": sessions, "seconds": seconds, "go": asyncio.Event(), "until": 0.0}
        await asyncio.gather(*(session(browser, url, k, clock, times, wrong) for k in range(sessions)))
        await browser.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args()
    env = {
        "ADVISOR_RULES": str(FIX / "rules"),
        "ADVISOR_KNOWLEDGE": str(FIX / "knowledge"),
        "ADVISOR_EXAMPLES": str(FIX / "examples"),
    }
    server, url = serve(ROOT / "app.py", env)
    samples: list[float] = []
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            samples.append(rss_mb(server.pid))
            done.wait(0.5)

    times: list[float] = []
    wrong: list = []
    try:
        start_mb = rss_mb(server.pid)
        sampler = threading.Thread(target=sample)
        sampler.start()
        asyncio.run(drive(url, args.sessions, args.seconds, times, wrong))
        done.set()
        sampler.join()
        end_mb = rss_mb(server.pid)
    finally:
        done.set()
        stop(server)
    ordered = sorted(times)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)] if ordered else float("nan")
    print(
        f"{args.sessions} simultaneous sessions for {args.seconds:.0f} s: {len(times)} changes, "
        f"change -> own advice median {statistics.median(times) * 1000 if times else float('nan'):.0f} ms, "
        f"p95 {p95 * 1000:.0f} ms; wrong answers {len(wrong)}"
    )
    print(
        f"server resident memory: {start_mb:.0f} MB at start, peak {max(samples, default=end_mb):.0f} MB, {end_mb:.0f} MB at end"
    )
    for item in wrong[:5]:
        print("wrong:", item)
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
