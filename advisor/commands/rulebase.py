"""advisor rulebase init|publish|history|restore: the shared rule base a team server serves."""

from __future__ import annotations

import json
import sys
from pathlib import Path


def register(sub, common) -> None:
    p = sub.add_parser(
        "rulebase",
        parents=[common],
        help="publish rule changes into the shared rule base; its history; restore",
        description="The shared rule base lives under the data directory (ADVISOR_DATA_DIR)/rulebase; "
        "a team server serves it with ADVISOR_RULES=<that>/rules and picks each publish up. A "
        "publish is validated strictly and its rule tests run; the version is bumped and every "
        "earlier version kept. Needs the role author or admin.",
    )
    acts = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    a = acts.add_parser("init", parents=[common], help="first version: a copy of --rules (default the project's)")
    a.add_argument("--note", default="")
    a = acts.add_parser("publish", parents=[common], help="publish a rule FILE (over the version in service) or a DIR")
    a.add_argument("path", metavar="FILE|DIR", help="one rule file, or a whole rules directory replacing the current")
    a.add_argument("--expect", type=int, default=None, metavar="N", help="refuse unless version N is in service")
    a.add_argument("--note", default="")
    a.add_argument("--format", choices=("text", "json"), default="text")
    a = acts.add_parser("history", parents=[common], help="every published version, who and when")
    a.add_argument("--format", choices=("text", "json"), default="text")
    a = acts.add_parser("restore", parents=[common], help="serve an earlier version again (as a new version)")
    a.add_argument("number", type=int)
    a.add_argument("--expect", type=int, default=None, metavar="N")
    a.add_argument("--note", default="")
    a.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=run)


def _library():
    from ..store.library import Library
    from ..store.roles import actor

    return Library(actor=actor())  # why: the shell user's own role, as `advisor library`


def _files(path: Path) -> tuple[dict[str, str], bool]:
    """What to publish: {name: text} and whether it replaces the whole rule base."""
    from ..errors import AdvisorError

    if path.is_dir():
        found = {
            p.relative_to(path).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(path.rglob("*"))
            if p.is_file() and p.suffix.lower() in (".yaml", ".yml", ".md")
        }
        return found, True
    if not path.is_file():
        raise AdvisorError(f"rulebase publish: {path}: no such file or directory")
    return {path.name: path.read_text(encoding="utf-8")}, False


def run(args) -> int:
    from ..store.rulestore import RuleStore

    store, lib = RuleStore(), _library()
    if args.action == "history":
        shown = lib.rule_history(store)
        if args.format == "json":
            out = {"served": str(store.served), "current": store.current(), "versions": [p.to_json() for p in shown]}
            sys.stdout.write(json.dumps(out, indent=2, ensure_ascii=False) + "\n")
            return 0
        print(f"{store.served}: version {store.current() or 'none'} in service")
        for p in shown:
            mark = "*" if p.number == store.current() else " "
            print(
                f"{mark}{p.number}\t{p.version}\t{p.sha256[:12]}\t{p.action}\t{p.author}\t{p.at:%Y-%m-%d %H:%M}"
                f"\t{', '.join(p.files) or '-'}" + (f"\t{p.note}" if p.note else "")
            )
        return 0
    if args.action == "init":
        done = lib.publish(store, {}, expected=0, knowledge_dir=args.knowledge, seed=args.rules, note=args.note)
    elif args.action == "publish":
        files, replace = _files(Path(args.path))
        done = lib.publish(
            store,
            files,
            expected=args.expect,
            knowledge_dir=args.knowledge,
            seed=args.rules,
            replace=replace,
            note=args.note,
        )
    else:
        done = lib.restore_rules(store, args.number, expected=args.expect, knowledge_dir=args.knowledge, note=args.note)
    if getattr(args, "format", "text") == "json":
        sys.stdout.write(json.dumps(done.to_json(), indent=2, ensure_ascii=False) + "\n")
    else:
        print(
            f"published version {done.number}: {done.previous_version} -> {done.version} "
            f"(sha256 {done.sha256[:12]}, {done.tests} rule tests passed); serving from {store.served}"
        )
    return 0
