"""advisor records add|list|show|recheck: immutable briefing records and re-checks on today's rules."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import AdvisorError

if TYPE_CHECKING:  # the names _imports() binds at run time, for mypy
    from .. import scenario as scenarios
    from ..ruleset import load_rulebase


def _imports() -> None:
    """What the command needs, imported when it runs: `advisor --help` and the other commands
    build their parsers without paying for the engine, fpdf2, pandas and the rule loader."""
    global scenarios, load_rulebase
    from .. import scenario as scenarios
    from ..ruleset import load_rulebase


def register(sub, common) -> None:
    p = sub.add_parser(
        "records",
        parents=[common],
        help="briefing records (append-only)",
        description="Record a briefing (scenario, full advice, rule-base version and sha256, "
        "marking, author, time, exported files' hashes) and re-check records "
        "against the current rule base.",
    )
    acts = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    a = acts.add_parser("add", parents=[common], help="record a briefing for a scenario file")
    a.add_argument("scenario")
    a.add_argument("--marking", default="")
    a.add_argument("--author", default=None)
    a.add_argument("--file", action="append", default=[], help="an exported file to hash (repeatable)")
    a = acts.add_parser("list", parents=[common], help="every record")
    a.add_argument("--format", choices=("text", "json"), default="text")
    a = acts.add_parser("show", parents=[common], help="one record, as JSON")
    a.add_argument("id", type=int)
    a = acts.add_parser("recheck", parents=[common], help="what today's rule base would advise differently")
    a.add_argument("id", type=int, nargs="?")
    a.add_argument("--all", action="store_true", help="every record")
    a.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=run)


def run(args) -> int:
    _imports()
    from ..store.library import Library
    from ..store.roles import actor

    lib = Library(actor=actor())
    if args.action == "add":
        files = {}
        for name in args.file:
            path = Path(name)
            if not path.is_file():
                raise AdvisorError(f"records add --file {name}: no such file")
            files[path.name] = path.read_bytes()
        rec = lib.record(
            scenarios.load(args.scenario),
            load_rulebase(args.rules, args.knowledge),
            marking=args.marking,
            author=args.author,
            files=files,
        )
        print(f"recorded briefing {rec.id} for {rec.scenario_name!r}")
    elif args.action == "list":
        recs = lib.records()
        if args.format == "json":
            sys.stdout.write(json.dumps([r.to_json() for r in recs], indent=2, ensure_ascii=False) + "\n")
        for r in recs if args.format == "text" else ():
            print(
                f"{r.id}  {r.created_at:%Y-%m-%d %H:%M}  {r.author}  {r.marking or '-'}  "
                f"{r.ruleset_version} ({r.ruleset_sha256[:12]})  {r.scenario_name}"
            )
    elif args.action == "show":
        sys.stdout.write(json.dumps(lib.get_record(args.id).to_json(), indent=2, ensure_ascii=False) + "\n")
    elif args.action == "recheck":
        if args.all == (args.id is not None):
            raise AdvisorError("records recheck: give one record ID or --all")
        rulebase = load_rulebase(args.rules, args.knowledge)
        ids = [r.id for r in lib.records()] if args.all else [args.id]
        reports = [lib.recheck(i, rulebase) for i in ids]
        if args.format == "json":
            sys.stdout.write(json.dumps([r.to_json() for r in reports], indent=2, ensure_ascii=False) + "\n")
        else:
            for rep in reports:
                head = f"record {rep.record}: {rep.ruleset_then} -> {rep.ruleset_now}"
                print(head + (": unchanged" if not rep.changes else f": {len(rep.changes)} part(s) changed"))
                for c in rep.changes:
                    print(f"  {c.part}: {json.dumps(c.then, ensure_ascii=False)[:160]}")
                    print(f"    now: {json.dumps(c.now, ensure_ascii=False)[:160]}")
                    print(f"    rules then: {', '.join(c.rules_then) or '-'}; now: {', '.join(c.rules_now) or '-'}")
        return 1 if any(r.changes for r in reports) else 0
    return 0
