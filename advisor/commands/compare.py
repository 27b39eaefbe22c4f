"""advisor compare A B [...]: the facts and conclusions that differ, and the rules behind each."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from ..errors import AdvisorError

if TYPE_CHECKING:  # the names _imports() binds at run time, for mypy
    from .. import scenario as scenarios
    from ..explain.diff import compare
    from ..explain.render import render
    from ..ruleset import load_rulebase


def _imports() -> None:
    """What the command needs, imported when it runs: `advisor --help` and the other commands
    build their parsers without paying for the engine, fpdf2, pandas and the rule loader."""
    global scenarios, compare, render, load_rulebase
    from .. import scenario as scenarios
    from ..explain.diff import compare
    from ..explain.render import render
    from ..ruleset import load_rulebase


def register(sub, common) -> None:
    p = sub.add_parser(
        "compare",
        parents=[common],
        help="compare two or more scenarios",
        description="Side by side: the facts that differ, every conclusion that differs, and for "
        "each scenario the rules that concluded it or the conditions that kept it out.",
    )
    p.add_argument("scenarios", nargs="+", metavar="SCENARIO", help="two or more scenario files")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=run)


def run(args) -> int:
    _imports()
    if len(args.scenarios) < 2:
        raise AdvisorError("compare needs at least two scenario files; got " + str(len(args.scenarios)))
    loaded = tuple(scenarios.load(path) for path in args.scenarios)
    rulebase = load_rulebase(args.rules, args.knowledge)
    sys.stdout.write(render(compare(rulebase, loaded), args.format))
    return 0
