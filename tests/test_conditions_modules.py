"""conditions is split by job into small modules, and the old import path still offers every name."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import advisor.conditions as conditions

PACKAGE = Path(conditions.__file__).resolve().parent
MAX_MODULE_LINES = 350
MAX_FUNCTION_LINES = 60
# Names the rest of the code imports from advisor.conditions (grep of advisor/, app_pages/, tests/).
USED = (
    "LEAF_SEP",
    "All",
    "Any_",
    "Concl",
    "Conjunct",
    "Node",
    "Test",
    "atoms",
    "dnf",
    "evaluate",
    "facts_of",
    "leaf_name",
    "nnf",
    "parse_condition",
)


@pytest.mark.parametrize("name", USED)
def test_old_import_path_still_works(name):
    assert hasattr(conditions, name), f"from advisor.conditions import {name} no longer works"


@pytest.mark.parametrize("module", sorted(p.name for p in PACKAGE.glob("*.py")))
def test_modules_and_functions_stay_small(module):
    text = (PACKAGE / module).read_text(encoding="utf-8")
    assert len(text.splitlines()) <= MAX_MODULE_LINES
    long = [
        f"{n.name} ({n.end_lineno - n.lineno + 1} lines)"
        for n in ast.walk(ast.parse(text))
        if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.end_lineno - n.lineno + 1 > MAX_FUNCTION_LINES
    ]
    assert not long, f"{module}: functions over {MAX_FUNCTION_LINES} lines: {long}"


def test_one_job_per_module():
    # The parser and the normal form must not need each other: each can change alone.
    for module, forbidden in (("normal.py", ".parse"), ("parse.py", ".normal"), ("logic.py", ".parse")):
        tree = ast.parse((PACKAGE / module).read_text(encoding="utf-8"))
        imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.level == 1}
        assert forbidden.lstrip(".") not in imported, f"{module} imports {forbidden}"
