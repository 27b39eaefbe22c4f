"""advisor verify: conflicts, completeness, cycles, dead and shadowed rules, with counter-examples."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the names _imports() binds at run time, for mypy
    from ..authoring.verify import render_text, verify
    from ..engine import check_compiles
    from ..ruleset import load_rulebase


def _imports() -> None:
    """What the command needs, imported when it runs: `advisor --help` and the other commands
    build their parsers without paying for the engine, fpdf2, pandas and the rule loader."""
    global render_text, verify, check_compiles, load_rulebase
    from ..authoring.verify import render_text, verify
    from ..engine import check_compiles
    from ..ruleset import load_rulebase


def register(sub, common) -> None:
    p = sub.add_parser(
        "verify",
        parents=[common],
        help="check the whole rule base for conflicts and gaps",
        description="Check every combination of facts: equal-priority conflicts on mandate, "
        "structure or hq; scenarios left without a mandate, structure or HQ; chaining "
        "cycles; rules that can never fire or always lose. Each finding comes with a "
        "counter-example scenario confirmed on the engine. Exit status 1 on errors "
        "(with --strict also on warnings), 2 when the rule base does not load.",
    )
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument(
        "--engine",
        choices=("reference", "durable"),
        default="reference",
        help="evaluator that confirms each counter-example (default: the reference evaluator)",
    )
    p.add_argument("--strict", action="store_true", help="warnings (never-fires, shadowed) also fail")
    p.set_defaults(func=run)


def run(args) -> int:
    _imports()
    rulebase = load_rulebase(args.rules, args.knowledge)
    check_compiles(rulebase)  # a rule base the engine refuses (error 108) is not verified
    report = verify(rulebase, args.engine)
    if args.format == "json":
        sys.stdout.write(json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(render_text(report))
    failing = report.findings if args.strict else report.errors
    return 1 if failing else 0
