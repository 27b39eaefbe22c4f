"""advisor library list|save|show|versions|diff|delete|undelete|search|export|import."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import AdvisorError

if TYPE_CHECKING:  # the names _imports() binds at run time, for mypy
    import yaml

    from .. import scenario as scenarios
    from ..explain.render import render
    from ..ruleset import load_rulebase


def _imports() -> None:
    """What the command needs, imported when it runs: `advisor --help` and the other commands
    build their parsers without paying for the engine, fpdf2, pandas and the rule loader."""
    global yaml, scenarios, render, load_rulebase
    import yaml

    from .. import scenario as scenarios
    from ..explain.render import render
    from ..ruleset import load_rulebase


def register(sub, common) -> None:
    p = sub.add_parser(
        "library",
        parents=[common],
        help="the scenario library (saved, versioned scenarios)",
        description="Save scenarios under a name with tags and a note; every save is a new "
        "version. Database: ADVISOR_DATABASE_URL, else a SQLite file in "
        "ADVISOR_DATA_DIR or the user's data directory.",
    )
    acts = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    a = acts.add_parser("list", parents=[common], help="saved scenarios (latest versions)")
    a.add_argument("--deleted", action="store_true", help="include deleted scenarios")
    a.add_argument("--format", choices=("text", "json"), default="text")
    a = acts.add_parser("save", parents=[common], help="save a scenario file as a new version")
    a.add_argument("scenario")
    a.add_argument("--name", help="library name (default: the scenario's own name)")
    a.add_argument("--tag", action="append", default=[], help="a tag (repeatable)")
    a.add_argument("--note", default="")
    a.add_argument("--author", default=None)
    a.add_argument(
        "--expect",
        type=int,
        default=None,
        metavar="N",
        help="refuse unless the latest version is N (0: a new scenario)",
    )
    for verb in ("show", "versions", "delete", "undelete"):
        a = acts.add_parser(verb, parents=[common], help=f"{verb} a saved scenario")
        a.add_argument("name")
        if verb == "show":
            a.add_argument("--version", type=int, default=None)
        a.add_argument("--format", choices=("text", "json"), default="text")
    a = acts.add_parser("diff", parents=[common], help="facts and advice that differ between two versions")
    a.add_argument("name")
    a.add_argument("a", type=int)
    a.add_argument("b", type=int)
    a.add_argument("--format", choices=("text", "json"), default="text")
    a = acts.add_parser("search", parents=[common], help="search by name, tag and fact values")
    a.add_argument("text", nargs="?", default="")
    a.add_argument("--tag")
    a.add_argument("--fact", action="append", default=[], metavar="PATH=VALUE")
    a.add_argument("--format", choices=("text", "json"), default="text")
    a = acts.add_parser("export", parents=[common], help="write YAML: one scenario to a file, or all to a folder")
    a.add_argument("target")
    a.add_argument("--name", help="only this scenario (default: every scenario, into a folder)")
    a = acts.add_parser("import", parents=[common], help="save a YAML file or every YAML file of a folder")
    a.add_argument("source")
    a.add_argument("--tag", action="append", default=[])
    a.add_argument("--author", default=None)
    p.set_defaults(func=run)


def _library():
    from ..store.library import Library
    from ..store.roles import actor

    return Library(actor=actor())


def _out(items, fmt: str) -> None:
    if fmt == "json":
        sys.stdout.write(json.dumps([i.to_json() for i in items], indent=2, ensure_ascii=False) + "\n")
        return
    for i in items:
        gone = "  (deleted)" if i.deleted else ""
        tags = f"  [{', '.join(i.tags)}]" if i.tags else ""
        print(f"{i.name}  v{i.number}  {i.author}  {i.created_at:%Y-%m-%d %H:%M}{tags}{gone}")


def _fact(text: str) -> tuple[str, object]:
    if "=" not in text:
        raise AdvisorError(f"--fact {text!r}: write PATH=VALUE, e.g. host_consent=false")
    path, value = text.split("=", 1)
    return path.strip(), yaml.safe_load(value) if value.strip() else value


def run(args) -> int:
    _imports()
    lib = _library()
    author = getattr(args, "author", None) or lib.actor.name
    if args.action == "list":
        _out(lib.list(include_deleted=args.deleted), args.format)
    elif args.action == "save":
        rulebase = load_rulebase(args.rules, args.knowledge)
        ver = lib.save(
            scenarios.load(args.scenario),
            name=args.name,
            tags=args.tag,
            note=args.note,
            author=author,
            ruleset_version=rulebase.version,
            expected=args.expect,
        )
        print(f"saved {ver.name!r} version {ver.number}")
    elif args.action == "show":
        ver = lib.version(args.name, args.version)
        if args.format == "json":
            sys.stdout.write(
                json.dumps({**ver.to_json(), "facts": dict(ver.facts)}, indent=2, ensure_ascii=False) + "\n"
            )
        else:
            sys.stdout.write(yaml.safe_dump(dict(ver.facts), sort_keys=False, allow_unicode=True))
    elif args.action == "versions":
        _out(lib.versions(args.name), args.format)
    elif args.action in ("delete", "undelete"):
        getattr(lib, args.action)(args.name)
        print(f"{args.action}d {args.name!r}")
    elif args.action == "diff":
        sys.stdout.write(
            render(lib.diff(args.name, args.a, args.b, load_rulebase(args.rules, args.knowledge)), args.format)
        )
    elif args.action == "search":
        _out(lib.search(args.text, tag=args.tag, facts=dict(_fact(f) for f in args.fact)), args.format)
    elif args.action == "export":
        for path in lib.export(args.name, Path(args.target)):
            print(path)
    elif args.action == "import":
        rulebase = load_rulebase(args.rules, args.knowledge)
        for ver in lib.import_(Path(args.source), author=author, tags=args.tag, ruleset_version=rulebase.version):
            print(f"saved {ver.name!r} version {ver.number}")
    return 0
