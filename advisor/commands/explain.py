"""advisor explain SCENARIO [--why-not VALUE]: why the advice is what it is, or why not another."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the names _imports() binds at run time, for mypy
    from .. import scenario as scenarios
    from ..explain.render import render
    from ..explain.targets import parse_target
    from ..explain.why import explain_why
    from ..explain.whynot import why_not
    from ..ruleset import load_rulebase
    from ..service import advise


def _imports() -> None:
    """What the command needs, imported when it runs: `advisor --help` and the other commands
    build their parsers without paying for the engine, fpdf2, pandas and the rule loader."""
    global scenarios, render, parse_target, explain_why, why_not, load_rulebase, advise
    from .. import scenario as scenarios
    from ..explain.render import render
    from ..explain.targets import parse_target
    from ..explain.why import explain_why
    from ..explain.whynot import why_not
    from ..ruleset import load_rulebase
    from ..service import advise


def register(sub, common) -> None:
    p = sub.add_parser(
        "explain",
        parents=[common],
        help="why the advice is what it is (or why not another value)",
        description="Derivation trees for the mandate, structure, HQ and partners: each rule with "
        "the facts it matched, the conclusions it built on, its reason and concept "
        "section. With --why-not VALUE: every rule that could have concluded VALUE, "
        "with the conditions that held and failed (actual vs required values).",
    )
    p.add_argument("scenario", help="scenario file (.yaml, .yml or .json)")
    p.add_argument(
        "--why-not",
        dest="why_not",
        metavar="VALUE",
        help="an alternative: a mandate type (monitoring) or slot:value "
        "(partner:osce, hq:border_sector, structure:regional, task:ID)",
    )
    p.add_argument("--format", choices=("text", "json", "dot"), default="text")
    p.set_defaults(func=run)


def run(args) -> int:
    _imports()
    scenario = scenarios.load(args.scenario)
    rulebase = load_rulebase(args.rules, args.knowledge)
    target = parse_target(args.why_not, rulebase, "--why-not") if args.why_not is not None else None
    advice = advise(rulebase, scenario)
    report = why_not(advice, target) if target is not None else explain_why(advice)
    sys.stdout.write(render(report, args.format))
    return 0
