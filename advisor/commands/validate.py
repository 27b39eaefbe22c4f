"""advisor validate [PATHS]: check rule bases, knowledge and scenario files."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import AdvisorError, Problem

if TYPE_CHECKING:  # the names _imports() binds at run time, for mypy
    from .. import scenario as scenarios
    from ..engine import check_compiles
    from ..ruleset import PROJECT_ROOT, RuleBase, load_rulebase
    from ..yamlsrc import read_file


def _imports() -> None:
    """What the command needs, imported when it runs: `advisor --help` and the other commands
    build their parsers without paying for the engine, fpdf2, pandas and the rule loader."""
    global scenarios, check_compiles, PROJECT_ROOT, load_rulebase, read_file
    from .. import scenario as scenarios
    from ..ruleset import PROJECT_ROOT, load_rulebase
    from ..yamlsrc import read_file

    try:
        from ..engine import check_compiles
    except ImportError:  # authors validate without the C extension; the engine's own check is skipped
        check_compiles = _no_engine


_warned: list[bool] = []
_compiled: set[str] = set()  # sha256 of rule bases the engine accepted in this run


def _no_engine(rulebase: RuleBase) -> None:
    if not _warned:
        _warned.append(True)
        print(
            "warning: the durable-rules engine (durable_rules_engine) is not installed, so whether it accepts "
            "these rules was not checked; install it with `bash scripts/setup.sh` (or "
            "`pip install durable-rules==2.0.28`)",
            file=sys.stderr,
        )


SCENARIO_SUFFIXES = (".yaml", ".yml", ".json")


def register(sub, common) -> None:
    p = sub.add_parser(
        "validate",
        parents=[common],
        help="check rule, knowledge and scenario files",
        description="Check rule directories, rule files, knowledge directories and scenario files. "
        "With no PATHS: the project's rules, knowledge and examples. Every problem is "
        "reported with file:line:column, rule id and what is allowed; exit status 2 "
        "when any error is found.",
    )
    p.add_argument("paths", nargs="*", help="files or directories")
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")
    p.set_defaults(func=run)


def _kind(path: Path) -> str:
    if path.is_dir():
        if (path / "ruleset.yaml").exists() or path.name == "rules":
            return "rules"
        if path.name == "knowledge" or (path / "sections.yaml").exists():
            return "knowledge"
        return "scenarios"
    doc, problems = read_file(path)
    data = doc.data if doc is not None and not problems else None
    if isinstance(data, dict):
        if (
            "rules" in data
            and "topic" in data
            or "rules" in data
            and isinstance(data["rules"], list)
            or "decide" in data
            or "rows" in data
        ):  # a decision table (advisor/decisiontable.py)
            return "rule-file"
        if "catalogue" in data:
            return "knowledge"
    return "scenario"


def _check(path: Path, kind: str, args) -> str:
    """Validate one target; return a one-line summary or raise AdvisorError."""
    if kind == "rules":
        knowledge = path.parent / "knowledge" if (path.parent / "knowledge").is_dir() else Path(args.knowledge)
        rb = load_rulebase(path, knowledge)
        return _rulebase_summary(path, rb, args)
    if kind == "rule-file":
        rules_dir = Path(args.rules)
        # keyed by the real path, so errors name the file the author is editing
        rb = load_rulebase(rules_dir, args.knowledge, overlay={str(path): path.read_text(encoding="utf-8")})
        return _rulebase_summary(path, rb, args)
    if kind == "knowledge":
        directory = path if path.is_dir() else path.parent
        rb = load_rulebase(args.rules, directory)
        return _rulebase_summary(directory, rb, args)
    if kind == "scenarios":
        files = sorted(p for p in path.iterdir() if p.suffix in SCENARIO_SUFFIXES and p.is_file())
        problems: list[Problem] = []
        for f in files:
            try:
                scenarios.load(f)
            except AdvisorError as err:
                problems.extend(err.problems)
        if problems:
            raise AdvisorError(problems)
        return f"ok: {path} ({len(files)} scenarios)"
    scenarios.load(path)
    return f"ok: {path} (scenario)"


def _rulebase_summary(path: Path, rb, args) -> str:
    if rb.sha256 not in _compiled:  # the rules and knowledge targets are one rule base: compile it once
        check_compiles(rb)  # what validate accepts, the engine must accept (error 108 above ~558 alternatives)
        _compiled.add(rb.sha256)
    for warning in rb.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if args.strict and rb.warnings:
        raise AdvisorError(list(rb.warnings))
    return f"ok: {path} ({len(rb.rules)} rules, {rb.name} {rb.version}, sha256 {rb.sha256[:12]})"


def run(args) -> int:
    _imports()
    targets = [Path(p) for p in args.paths]
    if not targets:
        targets = [Path(args.rules), Path(args.knowledge)]
        if (PROJECT_ROOT / "examples").is_dir():
            targets.append(PROJECT_ROOT / "examples")
    failed = False
    lines = []
    for target in targets:
        if not target.exists():
            print(f"error: {target}: no such file or directory", file=sys.stderr)
            failed = True
            continue
        try:
            lines.append(_check(target, _kind(target), args))
        except AdvisorError as err:
            failed = True
            for problem in err.problems:
                print(f"error: {problem}", file=sys.stderr)
    if failed:
        return 2
    sys.stdout.write("".join(line + "\n" for line in lines))
    return 0
