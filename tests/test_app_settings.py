"""The app's server settings are said twice: advisor/commands/app.py passes them to `advisor app`
(a wheel's app runs from the package folder) and .streamlit/config.toml holds them for
`streamlit run app.py` in the checkout. The two must agree, or the checkout and an installed app
would differ (a developer menu in one, a gc.collect per rerun in the other).

That `advisor app` starts with them (Streamlit refuses an unknown option) is checked in
tests/browser/test_app_chrome.py."""

from __future__ import annotations

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

