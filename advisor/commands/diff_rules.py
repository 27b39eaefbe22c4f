"""advisor diff-rules OLD NEW [--scenarios DIR]: what a rule change does to the advice."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..datadirs import data_dir
from ..errors import AdvisorError, Problem

if TYPE_CHECKING:  # the names _imports() binds at run time, for mypy
    from ..authoring.diffrules import diff_rulebases, render, scenario_files, to_dict
    from ..ruleset import load_rulebase


def _imports() -> None:
    """What the command needs, imported when it runs: `advisor --help` and the other commands
    build their parsers without paying for the engine, fpdf2, pandas and the rule loader."""
    global diff_rulebases, render, scenario_files, to_dict, load_rulebase
    from ..authoring.diffrules import diff_rulebases, render, scenario_files, to_dict
    from ..ruleset import load_rulebase


def register(sub, common) -> None:
    p = sub.add_parser(
        "diff-rules",
        parents=[common],
        help="compare the advice of two rule bases",
        description="Run two rules directories (with the same --knowledge, or each with a "
        "knowledge/ folder beside it) over a set of scenarios and list every scenario "
        "whose advice changed: headline values and added or removed items. "
        "Exit status 0 whether or not something changed.",
    )
    p.add_argument("old", help="old rules directory")
    p.add_argument("new", help="new rules directory")
    p.add_argument(
        "--scenarios",
        default=str(data_dir("examples")),
        metavar="DIR",
        help="scenario files to run (default: the project's examples/)",
    )
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=run)


def _knowledge_for(rules_dir: Path, default: str) -> Path:
    beside = rules_dir.parent / "knowledge"
    return beside if beside.is_dir() else Path(default)


def run(args) -> int:
    _imports()
    old_dir, new_dir = Path(args.old), Path(args.new)
    old = load_rulebase(old_dir, _knowledge_for(old_dir, args.knowledge))
    new = load_rulebase(new_dir, _knowledge_for(new_dir, args.knowledge))
    files = scenario_files(args.scenarios)
    if not files:
        raise AdvisorError(Problem("no scenario files (*.yaml, *.yml, *.json)", args.scenarios))
    diffs = diff_rulebases(old, new, files)
    if args.format == "json":
        sys.stdout.write(json.dumps(to_dict(diffs, len(files), old, new), indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(render(diffs, len(files), old, new))
    return 0
