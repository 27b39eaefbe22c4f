"""advisor whatif SCENARIO [--target VALUE]: what would change the advice, and what is missing."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the names _imports() binds at run time, for mypy
    from .. import scenario as scenarios
    from ..explain.missing import missing_facts
    from ..explain.probe import Prober
    from ..explain.render import render
    from ..explain.targets import parse_target
    from ..explain.whatif import flips, search_target
    from ..ruleset import load_rulebase


def _imports() -> None:
    """What the command needs, imported when it runs: `advisor --help` and the other commands
    build their parsers without paying for the engine, fpdf2, pandas and the rule loader."""
    global scenarios, missing_facts, Prober, render, parse_target, flips, search_target, load_rulebase
    from .. import scenario as scenarios
    from ..explain.missing import missing_facts
    from ..explain.probe import Prober
    from ..explain.render import render
    from ..explain.targets import parse_target
    from ..explain.whatif import flips, search_target
    from ..ruleset import load_rulebase


def register(sub, common) -> None:
    p = sub.add_parser(
        "whatif",
        parents=[common],
        help="which fact changes would change the advice",
        description="Without --target: every single fact change that flips the mandate, "
        "structure, HQ or partner set, and the unknown facts ranked by how much of the "
        "advice they could change. With --target VALUE: the smallest set of fact "
        "changes that makes VALUE part of the advice, found by exhaustive search.",
    )
    p.add_argument("scenario", help="scenario file (.yaml, .yml or .json)")
    p.add_argument(
        "--target", metavar="VALUE", help="a mandate type (substitution) or slot:value (partner:osce, hq:capital, ...)"
    )
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=run)


def run(args) -> int:
    _imports()
    scenario = scenarios.load(args.scenario)
    rulebase = load_rulebase(args.rules, args.knowledge)
    prober = Prober(rulebase)
    if args.target is not None:
        report = search_target(rulebase, scenario, parse_target(args.target, rulebase, "--target"), prober=prober)
        sys.stdout.write(render(report, args.format))
        return 0
    changes = flips(rulebase, scenario, prober)
    missing = missing_facts(rulebase, scenario, prober)
    if args.format == "json":
        out = {"kind": "whatif", "flips": changes.to_json(), "missing": missing.to_json()}
        sys.stdout.write(json.dumps(out, indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(render(changes) + render(missing))
    return 0
