"""The compiled rule base as JSON and back, into the advisor's own value types only.

The layout of advisor/rulecache.py's files. Each reader builds one of our frozen values from
exactly the layout its writer made; any other shape raises TypeError, KeyError, IndexError
or ValueError, which the cache turns into a miss. Nothing here can run code named by the
data (no pickle, no marshal, no class looked up by name). The field lists are checked
against the dataclasses on every write, so a field added to Rule (or Entry, Problem, ...)
without a layout here is never cached wrong.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import fields
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from .compile import CompiledRule, Plan, assemble_plan
from .conditions import All, Any_, Concl, Conjunct, Node, Not, Test
from .errors import Problem
from .knowledge import Entry, Knowledge
from .rulefile import Rule
from .slots import Conclusion
from .yamlsrc import Document

if TYPE_CHECKING:
    from .ruleset import RuleBase

FORMAT = 2  # bump when the layout below changes


class Unencodable(Exception):
    """A value the JSON layout cannot carry exactly (a date, a tuple in plain data, NaN):
    such a rule base is simply not cached."""


def _check_fields(cls: type, names: tuple[str, ...]) -> None:
    if tuple(f.name for f in fields(cls)) != names:
        raise Unencodable(f"{cls.__name__} fields changed")


_SCALARS = (str, int, bool, type(None))


def _scalar(value: Any) -> Any:
    if isinstance(value, _SCALARS) or (isinstance(value, float) and math.isfinite(value)):
        return value
    raise Unencodable(type(value).__name__)


def _plain(value: Any) -> Any:
    """YAML data (dicts with text keys, lists, scalars) as is; anything JSON would alter refused."""
    if isinstance(value, dict):
        for k, item in value.items():
            if not isinstance(k, str):
                raise Unencodable("a mapping key that is not text")
            _plain(item)
    elif isinstance(value, list):
        for item in value:
            _plain(item)
    else:
        _scalar(value)
    return value


def _node_json(node: Node, tests: dict[Test, int]) -> Any:
    """A condition as nested lists; a fact test is its index in the rule base's table of tests
    (96 distinct ones in the shipped rules, written ~550 times over conditions and plan)."""
    if isinstance(node, Test):
        return tests.setdefault(node, len(tests))
    if isinstance(node, Concl):
        return ["C", node.key, node.positive]
    if isinstance(node, Not):
        return ["N", _node_json(node.item, tests)]
    if isinstance(node, All):
        return ["A", [_node_json(i, tests) for i in node.items]]
    if isinstance(node, Any_):
        return ["O", [_node_json(i, tests) for i in node.items]]
    raise Unencodable(type(node).__name__)


def _test_json(test: Test) -> list:
    _check_fields(Test, ("leaf", "path", "allowed", "domain", "text"))
    return [test.leaf, test.path, [_scalar(x) for x in test.allowed], [_scalar(x) for x in test.domain], test.text]


def _test(data: list) -> Test:
    leaf, path, allowed, domain, text = data
    return Test(_text(leaf), _text(path), frozenset(allowed), tuple(domain), _text(text))


def _node(data: Any, tests: list[Test]) -> Node:
    if type(data) is int:  # noqa: E721 - not a bool
        return tests[_index(data)]
    tag = data[0]
    if tag == "C":
        _, key, positive = data
        return Concl(_text(key), _bool(positive))
    if tag == "N":
        return Not(_node(data[1], tests))
    if tag == "A":
        return All(tuple(_node(i, tests) for i in data[1]))
    if tag == "O":
        return Any_(tuple(_node(i, tests) for i in data[1]))
    raise ValueError(f"unknown condition node {tag!r}")


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError("expected text")
    return value


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError("expected true or false")
    return value


def _texts(values: Any) -> tuple[str, ...]:
    return tuple(_text(x) for x in values)


_RULE_FIELDS = (
    "id",
    "title",
    "condition",
    "conclusions",
    "rationale",
    "sections",
    "priority",
    "file",
    "line",
    "topic",
    "spots",
    "table",
    "row",
    "written",
    "guards",
)


def _rule_json(rule: Rule, tests: dict[Test, int]) -> list:
    _check_fields(Rule, _RULE_FIELDS)
    spots = {}
    for name, spot in rule.spots.items():
        if not isinstance(name, str) or not isinstance(spot, tuple) or len(spot) != 2:
            raise Unencodable("a rule spot")
        spots[name] = [_scalar(spot[0]), _scalar(spot[1])]
    # `written` is the condition itself for every rule but a decision table's rows.
    written = 0 if rule.written is None else 1 if rule.written is rule.condition else _node_json(rule.written, tests)
    return [
        rule.id,
        rule.title,
        _node_json(rule.condition, tests),
        [[c.slot, c.value] for c in rule.conclusions],
        rule.rationale,
        list(rule.sections),
        _scalar(rule.priority),
        rule.file,
        _scalar(rule.line),
        rule.topic,
        spots,
        _scalar(rule.table),
        _scalar(rule.row),
        written,
        list(rule.guards),
    ]


def _rule(data: list, tests: list[Test]) -> Rule:
    (rid, title, cond, concl, rationale, sections, priority, file, line, topic, spots, table, row, written, guards) = (
        data
    )
    condition = _node(cond, tests)
    return Rule(
        _text(rid),
        _text(title),
        condition,
        tuple(Conclusion(_text(s), _text(v)) for s, v in concl),
        _text(rationale),
        _texts(sections),
        priority,
        _text(file),
        line,
        _text(topic),
        MappingProxyType({_text(k): (line, column) for k, (line, column) in spots.items()}),
        table=table,
        row=row,
        written=None if written == 0 else condition if written == 1 else _node(written, tests),
        guards=_texts(guards),
    )


def _conjunct_json(conj: Conjunct, tests: dict[Test, int]) -> list:
    return [[tests.setdefault(t, len(tests)) for t in conj.tests], list(conj.positive), list(conj.negative)]


def _conjunct(data: list, tests: list[Test]) -> Conjunct:
    indices, positive, negative = data
    return Conjunct(tuple(tests[_index(i)] for i in indices), _texts(positive), _texts(negative))


def _index(value: Any) -> int:
    if type(value) is not int or value < 0:  # noqa: E721 - not a bool
        raise TypeError("expected an index")
    return value


_ENTRY_FIELDS = ("id", "catalogue", "title", "summary", "sections", "extra", "file", "line")


def _entry_json(entry: Entry) -> list:
    _check_fields(Entry, _ENTRY_FIELDS)
    return [
        entry.id,
        entry.catalogue,
        entry.title,
        entry.summary,
        list(entry.sections),
        _plain(dict(entry.extra)),
        entry.file,
        _scalar(entry.line),
    ]


def _entry(data: list) -> Entry:
    eid, catalogue, title, summary, sections, extra, file, line = data
    if not isinstance(extra, dict):
        raise TypeError("an entry's extra fields are a mapping")
    return Entry(
        _text(eid),
        _text(catalogue),
        _text(title),
        _text(summary),
        _texts(sections),
        MappingProxyType(extra),
        file,
        line,
    )


def _positions_json(table: Mapping) -> list:
    out = []
    for where, spot in table.items():
        if not isinstance(where, tuple) or not all(isinstance(w, (str, int)) for w in where):
            raise Unencodable("a document position key")
        out.append([*where, _scalar(spot[0]), _scalar(spot[1])])
    return out


def _positions(data: list) -> MappingProxyType:
    return MappingProxyType({tuple(e[:-2]): (e[-2], e[-1]) for e in data})


def _document_json(doc: Document) -> list:
    _check_fields(Document, ("data", "file", "values", "keys"))
    return [_plain(doc.data), doc.file, _positions_json(doc.values), _positions_json(doc.keys)]


def _document(data: list) -> Document:
    body, file, values, keys = data
    return Document(body, _text(file), _positions(values), _positions(keys))


def _knowledge_json(knowledge: Knowledge) -> dict:
    _check_fields(Knowledge, ("entries", "catalogues", "special", "files"))
    docs: list[Document] = []
    special = {}
    for kind, items in knowledge.special.items():
        rows = []
        for item, doc, where in items:
            # A special entry is a part of its document: kept as (document, place), read back from it.
            if _walk(doc.data, where) is not item:
                raise Unencodable("a special entry that is not part of its document")
            index = next((i for i, d in enumerate(docs) if d is doc), None)
            if index is None:
                docs.append(doc)
                index = len(docs) - 1
            rows.append([index, list(where)])
        special[kind] = rows
    return {
        "entries": [_entry_json(e) for e in knowledge.entries.values()],
        "keys": list(knowledge.entries),
        "catalogues": {k: list(ids) for k, ids in knowledge.catalogues.items()},
        "documents": [_document_json(d) for d in docs],
        "special": special,
        "files": list(knowledge.files),
    }


def _walk(data: Any, where: tuple) -> Any:
    for step in where:
        data = data[step]
    return data


def _knowledge(data: dict) -> Knowledge:
    entries = [_entry(e) for e in data["entries"]]
    keys = _texts(data["keys"])
    if len(keys) != len(entries):
        raise ValueError("one key per entry")
    docs = [_document(d) for d in data["documents"]]
    special = {}
    for kind, rows in data["special"].items():
        items = []
        for index, where in rows:
            doc = docs[index]
            where = tuple(where)
            items.append((_walk(doc.data, where), doc, where))
        special[_text(kind)] = tuple(items)
    return Knowledge(
        MappingProxyType(dict(zip(keys, entries))),
        MappingProxyType({_text(k): _texts(ids) for k, ids in data["catalogues"].items()}),
        MappingProxyType(special),
        _texts(data["files"]),
    )


_PROBLEM_FIELDS = (
    "message",
    "file",
    "line",
    "column",
    "rule_id",
    "field",
    "value",
    "allowed",
    "suggestion",
    "severity",
)


def _problem_json(p: Problem) -> list:
    _check_fields(Problem, _PROBLEM_FIELDS)
    return [_plain(getattr(p, name)) if name != "allowed" else list(p.allowed) for name in _PROBLEM_FIELDS]


def _problem(data: list) -> Problem:
    if len(data) != len(_PROBLEM_FIELDS):
        raise ValueError("a problem has ten fields")
    values = dict(zip(_PROBLEM_FIELDS, data))
    values["allowed"] = _texts(values["allowed"])
    return Problem(**values)


def to_json(rb: RuleBase) -> dict:
    from .ruleset import RuleBase

    _check_fields(RuleBase, RULEBASE_FIELDS)
    _check_fields(CompiledRule, ("rule", "conjuncts", "stratum"))
    _check_fields(Plan, ("rules", "by_id", "producers", "read_keys", "strata", "phased"))
    if len(rb.plan.rules) != len(rb.rules) or any(c.rule is not r for c, r in zip(rb.plan.rules, rb.rules)):
        raise Unencodable("the plan's rules are not the rule base's")
    # The plan is rebuilt from its rules on reading: it must come out the same.
    if assemble_plan(rb.plan.rules) != rb.plan:
        raise Unencodable("a plan assemble_plan does not rebuild")
    tests: dict[Test, int] = {}
    rules = [_rule_json(r, tests) for r in rb.rules]
    plan = [[[_conjunct_json(c, tests) for c in cr.conjuncts], _scalar(cr.stratum)] for cr in rb.plan.rules]
    return {
        "name": rb.name,
        "version": rb.version,
        "sha256": rb.sha256,
        "tests": [_test_json(t) for t in tests],
        "rules": rules,
        "plan": plan,
        "knowledge": _knowledge_json(rb.knowledge),
        "warnings": [_problem_json(p) for p in rb.warnings],
        "rules_dir": rb.rules_dir,
        "knowledge_dir": rb.knowledge_dir,
    }


RULEBASE_FIELDS = ("name", "version", "sha256", "rules", "knowledge", "plan", "warnings", "rules_dir", "knowledge_dir")


def from_json(data: dict) -> RuleBase:
    from .ruleset import RuleBase

    tests = [_test(t) for t in data["tests"]]
    rules = tuple(_rule(r, tests) for r in data["rules"])
    planned = data["plan"]
    if len(planned) != len(rules):
        raise ValueError("one plan entry per rule")
    compiled = tuple(
        CompiledRule(rule, tuple(_conjunct(c, tests) for c in conjuncts), stratum)
        for rule, (conjuncts, stratum) in zip(rules, planned)
    )
    return RuleBase(
        _text(data["name"]),
        _text(data["version"]),
        _text(data["sha256"]),
        rules,
        _knowledge(data["knowledge"]),
        assemble_plan(compiled),
        tuple(_problem(p) for p in data["warnings"]),
        _text(data["rules_dir"]),
        _text(data["knowledge_dir"]),
    )
