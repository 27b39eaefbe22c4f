"""advisor schema rules|scenario: JSON Schemas for editors."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING

from ..errors import AdvisorError, Problem

if TYPE_CHECKING:  # the names _imports() binds at run time, for mypy
    from ..authoring.schema import rules_schema, scenario_schema
    from ..knowledge import load_knowledge


def _imports() -> None:
    """What the command needs, imported when it runs: `advisor --help` and the other commands
    build their parsers without paying for the engine, fpdf2, pandas and the rule loader."""
    global rules_schema, scenario_schema, load_knowledge
    from ..authoring.schema import rules_schema, scenario_schema
    from ..knowledge import load_knowledge


def register(sub, common) -> None:
    p = sub.add_parser(
        "schema",
        parents=[common],
        help="print the JSON Schema of rule or scenario files",
        description="Print a JSON Schema (draft 2020-12) for rule files or scenario files, generated "
        "from the fact vocabulary and the knowledge catalogues, for editors to "
        "autocomplete and flag mistakes while typing. Example (VS Code YAML "
        "extension): advisor schema rules > .vscode/rules.schema.json",
    )
    p.add_argument("kind", choices=("rules", "scenario"))
    p.set_defaults(func=run)


def run(args) -> int:
    _imports()
    if args.kind == "scenario":
        schema = scenario_schema()
    else:
        problems: list[Problem] = []
        knowledge = load_knowledge(args.knowledge, problems)
        errors = [p for p in problems if p.severity == "error"]
        if errors:
            raise AdvisorError(errors)
        schema = rules_schema(knowledge)
    sys.stdout.write(json.dumps(schema, indent=2, ensure_ascii=False) + "\n")
    return 0
