"""advisor coverage --concept: the concept coverage map, checked against sections and rules."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING

from ..errors import AdvisorError

if TYPE_CHECKING:  # the names _imports() binds at run time, for mypy
    from ..authoring.concept import check_map, render
    from ..ruleset import load_rulebase


def _imports() -> None:
    """What the command needs, imported when it runs: `advisor --help` and the other commands
    build their parsers without paying for the engine, fpdf2, pandas and the rule loader."""
    global check_map, render, load_rulebase
    from ..authoring.concept import check_map, render
    from ..ruleset import load_rulebase


def register(sub, common) -> None:
    p = sub.add_parser(
        "coverage",
        parents=[common],
        help="how much of the concept the rules implement",
        description="With --concept: print the concept coverage map (knowledge/coverage.yaml) "
        "checked against knowledge/sections.yaml and the rules. Exit status 1 when an "
        "actionable section has no rule citing it or the map names an unknown rule, "
        "knowledge entry or section. (Rule coverage by tests: advisor test --coverage.)",
    )
    p.add_argument("--concept", action="store_true", help="the concept coverage map (the only mode so far)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=run)


def run(args) -> int:
    _imports()
    if not args.concept:
        raise AdvisorError("say what coverage: --concept (the concept map); rule coverage is 'advisor test --coverage'")
    cmap = check_map(load_rulebase(args.rules, args.knowledge))
    if args.format == "json":
        sys.stdout.write(json.dumps(cmap.to_dict(), indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(render(cmap))
    return 0 if cmap.ok else 1
