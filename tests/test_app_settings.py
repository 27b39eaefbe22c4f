"""The app's server settings are said twice: advisor/commands/app.py passes them to `advisor app`
(a wheel's app runs from the package folder) and .streamlit/config.toml holds them for
`streamlit run app.py` in the checkout. The two must agree, or the checkout and an installed app
would differ (a developer menu in one, a gc.collect per rerun in the other).

That `advisor app` starts with them (Streamlit refuses an unknown option) is checked in
tests/browser/test_app_chrome.py."""

from __future__ import annotations

import subprocess
import sys
import tomllib

from advisor.commands.app import SETTINGS
from support import ROOT


def _flat(table: dict, prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in table.items():
        if isinstance(value, dict):
            out.update(_flat(value, f"{prefix}{key}."))
        else:
            out[prefix + key] = str(value).lower() if isinstance(value, bool) else str(value)
    return out


def test_checkout_config_and_advisor_app_use_the_same_settings():
    with (ROOT / ".streamlit" / "config.toml").open("rb") as f:
        assert _flat(tomllib.load(f)) == SETTINGS


def test_the_first_run_takes_the_loaded_heap_out_of_full_collections(tmp_path):
    """A real run of app.py (AppTest, in a fresh interpreter, where nothing was frozen before)
    leaves the loaded code and rule base frozen: full collections no longer scan them. How much
    time that saves is measured by benchmarks/bench_app.py, not asserted here."""
    probe = tmp_path / "probe.py"
    probe.write_text(
        "import gc\n"
        "from streamlit.testing.v1 import AppTest\n"
        f"at = AppTest.from_file({str(ROOT / 'app.py')!r}, default_timeout=120)\n"
        "before = gc.get_freeze_count()\n"
        "at.run()\n"
        "assert not at.exception, at.exception\n"
        "print(before, gc.get_freeze_count())\n"
    )
    out = subprocess.run([sys.executable, str(probe)], capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert out.returncode == 0, out.stderr[-2000:]
    before, frozen = map(int, out.stdout.split())
    assert before == 0 and frozen > 50_000  # the modules and the rule base, not a handful of objects
