"""Reading a condition from YAML into the tree, with located problems for every mistake."""

from __future__ import annotations

from typing import Any

from .. import vocabulary as v
from ..errors import Problem, did_you_mean
from ..slots import Conclusion
from ..yamlsrc import Document
from .model import OPS, All, Any_, Concl, Node, Not, Test, leaf_name


class _Parser:
    def __init__(self, doc: Document, rule_id: str | None, problems: list[Problem]):
        self.doc = doc
        self.rule_id = rule_id
        self.problems = problems

    def fail(self, where, message, key=False, **extra) -> None:
        self.problems.append(self.doc.problem(where, message, key=key, rule_id=self.rule_id, **extra))

    def parse(self, data: Any, where: tuple) -> Node | None:
        if not isinstance(data, dict) or not data:
            self.fail(
                where,
                "a condition must be a mapping: all, any, not, fact, derived or concluded",
                allowed=("all", "any", "not", "fact", "derived", "concluded"),
            )
            return None
        keys = set(data)
        for combinator, cls in (("all", All), ("any", Any_)):
            if combinator in keys:
                if len(keys) > 1:
                    self.fail(where, f"'{combinator}' must stand alone; found also {sorted(keys - {combinator})}")
                    return None
                items = data[combinator]
                if not isinstance(items, list) or not items:
                    self.fail(where + (combinator,), f"'{combinator}' takes a non-empty list of conditions")
                    return None
                parsed = [self.parse(item, where + (combinator, i)) for i, item in enumerate(items)]
                return None if any(p is None for p in parsed) else cls(tuple(parsed))
        if "not" in keys:
            if len(keys) > 1:
                self.fail(where, f"'not' must stand alone; found also {sorted(keys - {'not'})}")
                return None
            inner = self.parse(data["not"], where + ("not",))
            return None if inner is None else Not(inner)
        if "derived" in keys:
            return self._derived(data, where)
        if "concluded" in keys:
            return self._concluded(data, where)
        if "fact" in keys:
            return self._fact(data, where)
        unknown = min(str(k) for k in keys)
        choices = ("all", "any", "not", "fact", "derived", "concluded")
        self.fail(
            where + (unknown,),
            f"unknown condition key '{unknown}'",
            key=True,
            allowed=choices,
            suggestion=did_you_mean(unknown, choices),
        )
        return None

    def _derived(self, data, where) -> Node | None:
        if len(data) > 1:
            self.fail(where, "'derived' takes just the name of a derived fact")
            return None
        name = data["derived"]
        if not isinstance(name, str) or not name:
            self.fail(where + ("derived",), "'derived' needs the name of a derived fact")
            return None
        return Concl(f"derived:{name}")

    def _concluded(self, data, where) -> Node | None:
        value = data["concluded"]
        if len(data) > 1 or not isinstance(value, dict) or len(value) != 1:
            self.fail(where, "'concluded' takes one 'slot: value' pair, e.g. {concluded: {mandate: none}}")
            return None
        ((slot, val),) = value.items()
        if isinstance(val, bool) or not isinstance(val, str):
            self.fail(where + ("concluded", slot), f"the value of '{slot}' must be a name")
            return None
        return Concl(Conclusion(slot, val).key)

    def _fact(self, data, where) -> Node | None:
        name = data["fact"]
        if not isinstance(name, str) or name not in v.PATHS:
            known = tuple(v.PATHS)
            hint = ""
            if isinstance(name, str) and name in v.FIELDS_BY_NAME and v.FIELDS_BY_NAME[name].kind == v.MAPPING:
                hint = f": name an area, e.g. {name}.legislative"
            self.fail(
                where + ("fact",),
                f"unknown fact '{name}'{hint}",
                field=str(name),
                value=name,
                allowed=known,
                suggestion=did_you_mean(name, known),
            )
            return None
        path = v.PATHS[name]
        ops = [k for k in data if k != "fact"]
        if len(ops) != 1:
            self.fail(
                where,
                f"a fact test needs exactly one of: {', '.join(OPS)}"
                + (f"; found {', '.join(map(str, ops))}" if ops else ""),
                allowed=OPS,
                field=name,
            )
            return None
        op = ops[0]
        if op not in OPS:
            self.fail(
                where + (op,),
                f"unknown test '{op}'",
                key=True,
                allowed=OPS,
                suggestion=did_you_mean(op, OPS),
                field=name,
            )
            return None
        return self._test(path, op, data[op], where + (op,))

    def _value(self, path: v.Path, value: Any, where) -> Any:
        domain = path.field.values if path.field.kind == v.LIST else path.domain
        if value in domain and isinstance(value, bool) == isinstance(domain[0], bool):
            return value
        shown = tuple(str(d).lower() if isinstance(d, bool) else str(d) for d in domain)
        self.fail(
            where,
            f"'{value}' is not a value of {path.name}",
            field=path.name,
            value=value,
            allowed=shown,
            suggestion=did_you_mean(value, shown),
        )
        return None

    def _test(self, path: v.Path, op: str, operand: Any, where) -> Node | None:
        if op.startswith("contains"):
            return self._contains(path, op, operand, where)
        if path.field.kind == v.LIST:
            self.fail(
                where,
                f"{path.name} is a list: use contains, contains_any or contains_all",
                key=True,
                field=path.name,
                allowed=("contains", "contains_any", "contains_all"),
            )
            return None
        text = f"{path.name} {op.replace('_', ' ')} {_as_yaml(operand)}"
        leaf = leaf_name(path.name)
        if op == "is":
            value = self._value(path, operand, where)
            return None if value is None else Test(leaf, path.name, frozenset({value}), path.domain, text)
        if op == "in":
            if not isinstance(operand, list) or not operand:
                self.fail(where, "'in' takes a non-empty list of values", field=path.name)
                return None
            checked = [self._value(path, m, where) for m in operand]
            if any(c is None for c in checked):
                return None
            return Test(leaf, path.name, frozenset(checked), path.domain, text)
        return self._ordered(path, op, operand, where, text)

    def _contains(self, path: v.Path, op: str, operand: Any, where) -> Node | None:
        """contains / contains_any / contains_all: one boolean leaf per list member."""
        if path.field.kind != v.LIST:
            self.fail(
                where, f"'{op}' applies to list fields; {path.name} takes 'is' or 'in'", key=True, field=path.name
            )
            return None
        members = [operand] if op == "contains" else operand
        if not isinstance(members, list) or not members:
            self.fail(where, f"'{op}' takes a non-empty list of values", field=path.name)
            return None
        checked = [self._value(path, m, where) for m in members]
        if any(c is None for c in checked):
            return None
        tests = tuple(
            Test(leaf_name(path.name, m), path.name, frozenset({True}), (False, True), f"{path.name} contains {m}")
            for m in checked
        )
        if op == "contains_any":
            return Any_(tests)
        return All(tests) if len(tests) > 1 else tests[0]

    def _ordered(self, path: v.Path, op: str, operand: Any, where, text: str) -> Node | None:
        """at_least / at_most / above / below: the matching slice of an ordered scale."""
        if not path.ordinal:
            self.fail(
                where,
                f"'{op}' needs an ordered scale; {path.name} has none: use 'is' or 'in'",
                key=True,
                field=path.name,
            )
            return None
        value = self._value(path, operand, where)
        if value is None:
            return None
        rank = path.domain.index(value)
        chosen = {
            "at_least": path.domain[rank:],
            "at_most": path.domain[: rank + 1],
            "above": path.domain[rank + 1 :],
            "below": path.domain[:rank],
        }[op]
        if not chosen:
            self.fail(
                where,
                f"'{op} {value}' can never hold on the scale {' < '.join(str(d) for d in path.domain)}",
                field=path.name,
            )
            return None
        return Test(leaf_name(path.name), path.name, frozenset(chosen), path.domain, text)


def _as_yaml(value: Any) -> str:
    """A test operand as an author wrote it: true/false, [a, b]."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list):
        return "[" + ", ".join(_as_yaml(v) for v in value) + "]"
    return str(value)


def parse_condition(
    data: Any, doc: Document, where: tuple, rule_id: str | None, problems: list[Problem]
) -> Node | None:
    """Parse a condition, appending located problems; None when it is malformed."""
    return _Parser(doc, rule_id, problems).parse(data, where)
