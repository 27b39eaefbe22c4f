"""Where the app finds its rule base and presets.

Environment variables let tests and authors point a running app at another rule base
without editing code; the defaults are the project's own folders.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ..datadirs import data_dir
from ..ruleset import DEFAULT_KNOWLEDGE, DEFAULT_RULES

ENV_RULES = "ADVISOR_RULES"
ENV_KNOWLEDGE = "ADVISOR_KNOWLEDGE"
ENV_EXAMPLES = "ADVISOR_EXAMPLES"
DEFAULT_EXAMPLES = data_dir("examples")


@dataclass(frozen=True)
class AppConfig:
    rules_dir: Path
    knowledge_dir: Path
    examples_dir: Path


def from_env(env: Mapping[str, str] | None = None) -> AppConfig:
    source: Mapping[str, str] = os.environ if env is None else env
    return AppConfig(
        Path(source.get(ENV_RULES) or DEFAULT_RULES),
        Path(source.get(ENV_KNOWLEDGE) or DEFAULT_KNOWLEDGE),
        Path(source.get(ENV_EXAMPLES) or DEFAULT_EXAMPLES),
    )
