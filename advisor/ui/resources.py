"""Process-wide resources shared by every session (st.cache_resource).

The live rule base is one object for the whole server: it is thread-safe, compiles each
version once (advisor.service) and reloads when files change. Presets are cached per
fingerprint of the examples folder, so new archetypes appear without a restart.
"""

from __future__ import annotations

import gc
import os

import streamlit as st

from . import config
from .live import MIN_RELOAD_SECONDS, LiveRuleBase, fingerprint
from .presets import Presets, load_presets


@st.cache_resource(show_spinner=False)
def live_rulebase(rules_dir: str, knowledge_dir: str) -> LiveRuleBase:
    # ADVISOR_RELOAD_SECONDS bounds how often edited rule files are re-read (the test suite sets 0).
    interval = float(os.environ.get("ADVISOR_RELOAD_SECONDS", MIN_RELOAD_SECONDS))
    return LiveRuleBase(rules_dir, knowledge_dir, interval)


@st.cache_resource(show_spinner=False, max_entries=4)
def _presets(examples_dir: str, _print: tuple) -> Presets:
    return load_presets(examples_dir)


def app_config() -> config.AppConfig:
    return config.from_env()


def presets() -> Presets:
    d = app_config().examples_dir
    return _presets(str(d), fingerprint(d))


def live() -> LiveRuleBase:
    cfg = app_config()
    return live_rulebase(str(cfg.rules_dir), str(cfg.knowledge_dir))


@st.cache_resource(show_spinner=False)
def settle_heap() -> int:
    """Once per server, after the first run has loaded the code and the rule base: move what is
    alive now out of the garbage collector's sight (gc.freeze); returns how many objects moved.

    The server runs without Streamlit's gc.collect() after each run (advisor/commands/app.py,
    issue 12), but Python's own full collections still come now and then, and each scanned
    every module, the rule base and pandas: about 100 ms of a fact change, holding the GIL.
    Nearly all of it lives as long as the server; the first session's own state is the
    exception, kept after that session ends if it holds reference cycles (a few kB, once).
    """
    gc.collect()  # garbage now is freed, not frozen
    gc.freeze()
    return gc.get_freeze_count()
