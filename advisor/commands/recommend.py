"""advisor recommend SCENARIO: the advice, as text or the contract's JSON."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the names _imports() binds at run time, for mypy
    from .. import scenario as scenarios
    from ..ruleset import load_rulebase
    from ..service import advise


def _imports() -> None:
    """What the command needs, imported when it runs: `advisor --help` and the other commands
    build their parsers without paying for the engine, fpdf2, pandas and the rule loader."""
    global scenarios, load_rulebase, advise
    from .. import scenario as scenarios
    from ..ruleset import load_rulebase
    from ..service import advise


def register(sub, common) -> None:
    p = sub.add_parser(
        "recommend",
        parents=[common],
        help="advise on a scenario file",
        description="Print the advice for a scenario (YAML or JSON): the mission design at a "
        "glance with the rules and concept sections behind the headline; --full "
        "adds every other conclusion; --format json gives all of it as data.",
    )
    p.add_argument("scenario", help="scenario file (.yaml, .yml or .json)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument(
        "--full",
        action="store_true",
        help="text: list every supporting and optional item with its priority and reason, "
        "every warning and the rules behind partners (default: the design at a glance)",
    )
    p.add_argument(
        "--engine",
        choices=("durable", "reference"),
        default="durable",
        help="durable-rules (default) or the plain-Python reference evaluator",
    )
    p.set_defaults(func=run)


def run(args) -> int:
    _imports()
    scenario = scenarios.load(args.scenario)
    rulebase = load_rulebase(args.rules, args.knowledge)
    advice = advise(rulebase, scenario, engine=args.engine)
    if args.format == "json":
        sys.stdout.write(json.dumps(advice.to_json(), indent=2, ensure_ascii=False) + "\n")
    else:
        from ..textview import render_text  # the text only: JSON does without it

        sys.stdout.write(render_text(advice, full=args.full))
    if advice.conflicts:
        print("warning: the rule base gave conflicting conclusions; see 'conflicts'", file=sys.stderr)
    return 0
