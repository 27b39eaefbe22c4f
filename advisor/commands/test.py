"""advisor test [PATHS]: run rule tests, optionally with rule and section coverage."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import AdvisorError, Problem

if TYPE_CHECKING:  # the names _imports() binds at run time, for mypy
    from ..authoring import coverage as cov
    from ..authoring import ruletests
    from ..ruleset import load_rulebase


def _imports() -> None:
    """What the command needs, imported when it runs: `advisor --help` and the other commands
    build their parsers without paying for the engine, fpdf2, pandas and the rule loader."""
    global cov, ruletests, load_rulebase
    from ..authoring import coverage as cov
    from ..authoring import ruletests
    from ..ruleset import load_rulebase


def register(sub, common) -> None:
    p = sub.add_parser(
        "test",
        parents=[common],
        help="run the rule tests (rules/tests/*.yaml)",
        description="Run rule-test files: each test gives a scenario and what the advice must "
        "and must not contain. With no PATHS: the tests/ folder of the rules directory. "
        "Exit status 1 when a test fails or coverage is below the threshold, 2 when "
        "a file is malformed.",
    )
    p.add_argument("paths", nargs="*", help="test files or directories")
    p.add_argument("--coverage", action="store_true", help="report rules never fired and sections exercised")
    p.add_argument(
        "--threshold",
        type=float,
        default=None,
        metavar="N",
        help="fail when fewer than N%% of the rules fired (implies --coverage)",
    )
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("-v", "--verbose", action="store_true", help="list passing tests too")
    p.set_defaults(func=run)


def run(args) -> int:
    _imports()
    rulebase = load_rulebase(args.rules, args.knowledge)
    files = ruletests.discover(args.paths or [Path(args.rules) / "tests"])
    if not files:
        raise AdvisorError(Problem("no rule-test files found (*.yaml)", str(args.paths or Path(args.rules) / "tests")))
    tests: list[ruletests.RuleTest] = []
    problems: list[Problem] = []
    for f in files:
        try:
            tests += ruletests.load_tests(f, rulebase)
        except AdvisorError as err:
            problems += err.problems
    if problems:
        raise ruletests.RuleTestError(problems)
    outcomes = [ruletests.run_test(t, rulebase) for t in tests]
    failed = any(not o.passed for o in outcomes)
    report = cov.coverage(rulebase, outcomes) if (args.coverage or args.threshold is not None) else None
    low = report is not None and args.threshold is not None and report.percent < args.threshold
    if args.format == "json":
        out = {
            "passed": sum(o.passed for o in outcomes),
            "failed": sum(not o.passed for o in outcomes),
            "tests": [
                {
                    "name": o.test.name,
                    "location": o.test.location,
                    "passed": o.passed,
                    "failures": list(o.failures),
                    "fired": list(o.fired),
                }
                for o in outcomes
            ],
        }
        if report is not None:
            out["coverage"] = report.to_dict()
        sys.stdout.write(json.dumps(out, indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(ruletests.render(outcomes, args.verbose))
        if report is not None:
            sys.stdout.write(cov.render(report, rulebase))
            if low:
                sys.stdout.write(f"coverage {report.percent:.1f}% is below the threshold {args.threshold:g}%\n")
    return 1 if failed or low else 0
