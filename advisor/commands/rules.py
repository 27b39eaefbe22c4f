"""advisor rules: every rule with id, title, file, line, sections, topic and priority."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the names _imports() binds at run time, for mypy
    from ..ruleset import load_rulebase


def _imports() -> None:
    """What the command needs, imported when it runs: `advisor --help` and the other commands
    build their parsers without paying for the engine, fpdf2, pandas and the rule loader."""
    global load_rulebase
    from ..ruleset import load_rulebase


def register(sub, common) -> None:
    p = sub.add_parser(
        "rules",
        parents=[common],
        help="list every rule with its sections",
        description="List the rules of the rule base: id, title, file, line, cited concept "
        "sections, topic, priority and conclusions.",
    )
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=run)


def _shown(file: str, base: Path) -> str:
    """Paths relative to the folder holding the rules directory (rules/mandate.yaml), when possible."""
    path = Path(file).resolve()
    return path.relative_to(base).as_posix() if path.is_relative_to(base) else file


def rule_record(rule, base: Path = Path("/")) -> dict:
    return {
        "id": rule.id,
        "title": rule.title,
        "file": _shown(rule.file, base),
        "line": rule.line,
        "sections": list(rule.sections),
        "topic": rule.topic,
        "priority": rule.priority,
        "concludes": [c.key for c in rule.conclusions],
    }


def run(args) -> int:
    _imports()
    rb = load_rulebase(args.rules, args.knowledge)
    base = Path(rb.rules_dir).resolve().parent
    records = [rule_record(c.rule, base) for c in rb.plan.rules]
    if args.format == "json":
        out = {"ruleset": {"name": rb.name, "version": rb.version, "sha256": rb.sha256}, "rules": records}
        sys.stdout.write(json.dumps(out, indent=2, ensure_ascii=False) + "\n")
        return 0
    width = max((len(r["id"]) for r in records), default=2)
    lines = [
        f"{r['id']:<{width}}  {r['priority']:>4}  {', '.join('§' + s for s in r['sections']):<22} {r['title']}"
        f"  [{r['file']}:{r['line']}]"
        for r in records
    ]
    lines.append(f"{len(records)} rules, {rb.name} {rb.version}")
    sys.stdout.write("\n".join(lines) + "\n")
    return 0
