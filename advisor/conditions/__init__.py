"""Rule conditions: the tree authors write, its three-valued meaning, and its DNF.

Split by job: `model` (the tree and leaf names), `logic` (Kleene evaluation, atoms,
negation normal form), `normal` (DNF into Conjuncts), `parse` (from YAML, with located
problems) and `flatten` (scenario facts keyed by leaf). Everything is re-exported here
because most of the code imports `from advisor.conditions import ...`.
"""

from __future__ import annotations

from .flatten import facts_of
from .logic import atoms, evaluate, holds, nnf
from .model import LEAF_SEP, OPS, UNKNOWN, All, Any_, Concl, Node, Not, Test, leaf_name
from .normal import MAX_DISJUNCTS, Conjunct, dnf
from .parse import parse_condition

__all__ = [
    "LEAF_SEP",
    "MAX_DISJUNCTS",
    "OPS",
    "UNKNOWN",
    "All",
    "Any_",
    "Concl",
    "Conjunct",
    "Node",
    "Not",
    "Test",
    "atoms",
    "dnf",
    "evaluate",
    "holds",
    "facts_of",
    "leaf_name",
    "nnf",
    "parse_condition",
]
