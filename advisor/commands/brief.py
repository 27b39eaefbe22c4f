"""advisor brief SCENARIO: a briefing document (Markdown, DOCX or PDF) a reader can follow
without the tool: the scenario, the advice with its reasons and sections, the unknowns,
the rule-base version and hash, the date and a marking."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import AdvisorError

if TYPE_CHECKING:  # the names _imports() binds at run time, for mypy
    from .. import scenario as scenarios
    from ..report import FORMATS, build_briefing, render
    from ..ruleset import load_rulebase
    from ..service import advise


def _imports() -> None:
    """What the command needs, imported when it runs: `advisor --help` and the other commands
    build their parsers without paying for the engine, fpdf2, pandas and the rule loader."""
    global scenarios, FORMATS, build_briefing, render, load_rulebase, advise
    from .. import scenario as scenarios
    from ..report import FORMATS, build_briefing, render
    from ..ruleset import load_rulebase
    from ..service import advise


def register(sub, common) -> None:
    p = sub.add_parser(
        "brief",
        parents=[common],
        help="write a briefing document for a scenario",
        description="Write a briefing (Markdown, DOCX or PDF) with the scenario, the advice, "
        "its rules and concept sections, the unknown facts that mattered, the "
        "rule-base version and hash, the date and a marking.",
    )
    p.add_argument("scenario", help="scenario file (.yaml, .yml or .json)")
    p.add_argument(
        "--format",
        choices=("md", "docx", "pdf"),  # report.FORMATS, spelled out: importing it loads fpdf2
        default=None,
        help="md, docx or pdf (default: from the -o file's extension, else md)",
    )
    p.add_argument("-o", "--output", metavar="FILE", help="file to write (default: standard output, Markdown only)")
    p.add_argument(
        "--marking",
        default="",
        metavar="TEXT",
        help="marking or caveat printed at the top of every page, e.g. 'EXERCISE ONLY'",
    )
    p.add_argument("--date", default=None, metavar="YYYY-MM-DD", help="date shown (default: today)")
    p.set_defaults(func=run)


def _format(args) -> str:
    _imports()
    if args.format:
        return args.format
    suffix = Path(args.output).suffix.lower() if args.output else ""
    for fmt, (_, ext) in FORMATS.items():
        if suffix == ext:
            return fmt
    return "md"


def run(args) -> int:
    _imports()
    fmt = _format(args)
    if fmt != "md" and not args.output:
        raise AdvisorError(f"a {fmt} briefing is binary: give a file with -o FILE")
    scenario = scenarios.load(args.scenario)
    rulebase = load_rulebase(args.rules, args.knowledge)
    data = render(build_briefing(advise(rulebase, scenario), args.marking, args.date), fmt)
    if args.output:
        try:
            Path(args.output).write_bytes(data)
        except OSError as err:
            raise AdvisorError(f"cannot write {args.output}: {err.strerror}") from err
    else:
        sys.stdout.write(data.decode("utf-8"))
    return 0
