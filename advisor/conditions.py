"""Rule conditions: the tree authors write, its three-valued meaning, and its DNF.

Every scenario test normalises to "leaf value in an allowed set" over a finite domain,
so `not` is the complement set: exact even when a fact is unknown (Kleene logic, a rule
fires only when its condition is true). List fields become one boolean leaf per member.
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import product
from typing import Any, Iterator, Mapping, Union

from . import vocabulary as v
from .errors import Problem, did_you_mean
from .yamlsrc import Document

UNKNOWN = None  # the third truth value
MAX_DISJUNCTS = 64
OPS = ("is", "in", "at_least", "at_most", "above", "below", "contains", "contains_any", "contains_all")
LEAF_SEP = "__"


def leaf_name(path: str, member: str | None = None) -> str:
    """Engine key of a fact: dots and list members become '__' (durable keys stay plain)."""
    base = path.replace(".", LEAF_SEP)
    return f"{base}{LEAF_SEP}{member}" if member is not None else base


@dataclass(frozen=True)
class Test:
    """A scenario test: the leaf's value lies in `allowed`. `path` is the vocabulary path."""

    leaf: str
    path: str
    allowed: frozenset
    domain: tuple
    text: str

    def negate(self) -> "Test":
        rest = frozenset(x for x in self.domain if x not in self.allowed)
        return Test(self.leaf, self.path, rest, self.domain, f"not ({self.text})")

    def evaluate(self, facts: Mapping[str, Any]):
        value = facts.get(self.leaf)
        if value is None:
            return UNKNOWN
        return value in self.allowed


@dataclass(frozen=True)
class Concl:
    """A test on a conclusion: `key` is 'slot:value' (e.g. 'derived:x', 'mandate:none')."""

    key: str
    positive: bool = True

    @property
    def text(self) -> str:
        slot, value = self.key.split(":", 1)
        shown = value if slot == "derived" else f"{slot} {value}"
        return shown if self.positive else f"no {shown}"

    def negate(self) -> "Concl":
        return Concl(self.key, not self.positive)

    def evaluate(self, concluded) -> bool:
        return (self.key in concluded) == self.positive


@dataclass(frozen=True)
class All:
    items: tuple


@dataclass(frozen=True)
class Any_:
    items: tuple


@dataclass(frozen=True)
class Not:
    item: Any


Node = Union[Test, Concl, All, Any_, Not]


def evaluate(node: Node, facts: Mapping[str, Any], concluded) -> bool | None:
    """Kleene three-valued truth of a condition: True, False or None (unknown)."""
    if isinstance(node, Test):
        return node.evaluate(facts)
    if isinstance(node, Concl):
        return node.evaluate(concluded)
    if isinstance(node, Not):
        inner = evaluate(node.item, facts, concluded)
        return None if inner is None else not inner
    if isinstance(node, All):
        result = True
        for item in node.items:
            value = evaluate(item, facts, concluded)
            if value is False:
                return False
            if value is None:
                result = None
        return result
    if isinstance(node, Any_):
        result = False
        for item in node.items:
            value = evaluate(item, facts, concluded)
            if value is True:
                return True
            if value is None:
                result = None
        return result
    raise TypeError(node)


def atoms(node: Node) -> Iterator[Test | Concl]:
    """Every test in a condition, in reading order."""
    if isinstance(node, (Test, Concl)):
        yield node
    elif isinstance(node, Not):
        yield from atoms(node.item)
    else:
        for item in node.items:
            yield from atoms(item)


def nnf(node: Node, negated: bool = False) -> Node:
    """Push every `not` down to the atoms (De Morgan holds in Kleene logic)."""
    if isinstance(node, (Test, Concl)):
        return node.negate() if negated else node
    if isinstance(node, Not):
        return nnf(node.item, not negated)
    items = tuple(nnf(i, negated) for i in node.items)
    if isinstance(node, All):
        return Any_(items) if negated else All(items)
    return All(items) if negated else Any_(items)


@dataclass(frozen=True)
class Conjunct:
    """One alternative of a rule: leaf tests (intersected per leaf) and conclusion tests."""

    tests: tuple[Test, ...]          # at most one per leaf
    positive: tuple[str, ...]        # conclusion keys that must be present
    negative: tuple[str, ...]        # conclusion keys that must be absent

    def holds(self, facts: Mapping[str, Any], concluded) -> bool:
        return (all(t.evaluate(facts) is True for t in self.tests)
                and all(k in concluded for k in self.positive)
                and not any(k in concluded for k in self.negative))


def _merge(parts: list[Test | Concl]) -> Conjunct | None:
    by_leaf: dict[str, Test] = {}
    pos, neg = [], []
    for atom in parts:
        if isinstance(atom, Concl):
            (pos if atom.positive else neg).append(atom.key)
            continue
        seen = by_leaf.get(atom.leaf)
        if seen is None:
            by_leaf[atom.leaf] = atom
        else:
            by_leaf[atom.leaf] = Test(atom.leaf, atom.path, seen.allowed & atom.allowed, atom.domain,
                                      f"{seen.text} and {atom.text}")
    if any(not t.allowed for t in by_leaf.values()) or set(pos) & set(neg):
        return None  # can never hold
    return Conjunct(tuple(by_leaf[k] for k in sorted(by_leaf)), tuple(sorted(set(pos))), tuple(sorted(set(neg))))


def _count(node: Node, cap: int) -> int:
    """How many raw alternatives _dnf_lists would build, saturating at cap + 1.

    Counted before anything is built: an `all` of ten two-way `any`s is 1,024 products,
    and nested ones reach MemoryError from a few kilobytes of YAML.
    """
    if isinstance(node, (Test, Concl)):
        return 1
    if isinstance(node, Any_):
        total = 0
        for item in node.items:
            total += _count(item, cap)
            if total > cap:
                return cap + 1
        return total
    if isinstance(node, All):
        total = 1
        for item in node.items:
            total *= _count(item, cap)
            if total == 0:
                return 0
            if total > cap:
                return cap + 1
        return total
    raise TypeError(node)


def _dnf_lists(node: Node) -> list[list]:
    if isinstance(node, (Test, Concl)):
        return [[node]]
    if isinstance(node, Any_):
        out = []
        for item in node.items:
            out.extend(_dnf_lists(item))
        return out
    if isinstance(node, All):
        out = [[]]
        for item in node.items:
            out = [a + b for a, b in product(out, _dnf_lists(item))]
            if len(out) > MAX_DISJUNCTS * 4:
                raise OverflowError
        return out
    raise TypeError(node)


def dnf(node: Node) -> tuple[Conjunct, ...]:
    """The satisfiable alternatives of a condition. Raises OverflowError when too many."""
    normal = nnf(node)
    if _count(normal, MAX_DISJUNCTS * 4) > MAX_DISJUNCTS * 4:
        raise OverflowError
    conjuncts = []
    for parts in _dnf_lists(normal):
        merged = _merge(parts)
        if merged is not None and merged not in conjuncts:
            conjuncts.append(merged)
    if len(conjuncts) > MAX_DISJUNCTS:
        raise OverflowError
    return tuple(conjuncts)


# ---------------------------------------------------------------- parsing from YAML

class _Parser:
    def __init__(self, doc: Document, rule_id: str | None, problems: list[Problem]):
        self.doc = doc
        self.rule_id = rule_id
        self.problems = problems

    def fail(self, where, message, key=False, **extra) -> None:
        self.problems.append(self.doc.problem(where, message, key=key, rule_id=self.rule_id, **extra))

    def parse(self, data: Any, where: tuple) -> Node | None:
        if not isinstance(data, dict) or not data:
            self.fail(where, "a condition must be a mapping: all, any, not, fact, derived or concluded",
                      allowed=("all", "any", "not", "fact", "derived", "concluded"))
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
        unknown = sorted(str(k) for k in keys)[0]
        choices = ("all", "any", "not", "fact", "derived", "concluded")
        self.fail(where + (unknown,), f"unknown condition key '{unknown}'", key=True,
                  allowed=choices, suggestion=did_you_mean(unknown, choices))
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
        (slot, val), = value.items()
        if isinstance(val, bool) or not isinstance(val, str):
            self.fail(where + ("concluded", slot), f"the value of '{slot}' must be a name")
            return None
        return Concl(f"{slot}:{val}")

    def _fact(self, data, where) -> Node | None:
        name = data["fact"]
        if not isinstance(name, str) or name not in v.PATHS:
            known = tuple(v.PATHS)
            hint = ""
            if isinstance(name, str) and name in v.FIELDS_BY_NAME and v.FIELDS_BY_NAME[name].kind == v.MAPPING:
                hint = f": name an area, e.g. {name}.legislative"
            self.fail(where + ("fact",), f"unknown fact '{name}'{hint}", field=str(name), value=name,
                      allowed=known, suggestion=did_you_mean(name, known))
            return None
        path = v.PATHS[name]
        ops = [k for k in data if k != "fact"]
        if len(ops) != 1:
            self.fail(where, f"a fact test needs exactly one of: {', '.join(OPS)}" +
                      (f"; found {', '.join(map(str, ops))}" if ops else ""), allowed=OPS, field=name)
            return None
        op = ops[0]
        if op not in OPS:
            self.fail(where + (op,), f"unknown test '{op}'", key=True, allowed=OPS,
                      suggestion=did_you_mean(op, OPS), field=name)
            return None
        return self._test(path, op, data[op], where + (op,))

    def _value(self, path: v.Path, value: Any, where) -> Any:
        domain = path.field.values if path.field.kind == v.LIST else path.domain
        if value in domain and not (isinstance(value, bool) != isinstance(domain[0], bool)):
            return value
        shown = tuple(str(d).lower() if isinstance(d, bool) else str(d) for d in domain)
        self.fail(where, f"'{value}' is not a value of {path.name}", field=path.name, value=value,
                  allowed=shown, suggestion=did_you_mean(value, shown))
        return None

    def _test(self, path: v.Path, op: str, operand: Any, where) -> Node | None:
        kind = path.field.kind
        shown = _as_yaml(operand)
        text = f"{path.name} {op.replace('_', ' ')} {shown}"
        if op.startswith("contains"):
            if kind != v.LIST:
                self.fail(where, f"'{op}' applies to list fields; {path.name} takes 'is' or 'in'",
                          key=True, field=path.name)
                return None
            members = [operand] if op == "contains" else operand
            if not isinstance(members, list) or not members:
                self.fail(where, f"'{op}' takes a non-empty list of values", field=path.name)
                return None
            checked = [self._value(path, m, where) for m in members]
            if any(c is None for c in checked):
                return None
            tests = tuple(Test(leaf_name(path.name, m), path.name, frozenset({True}), (False, True),
                               f"{path.name} contains {m}") for m in checked)
            if op == "contains_any":
                return Any_(tests)
            return All(tests) if len(tests) > 1 else tests[0]
        if kind == v.LIST:
            self.fail(where, f"{path.name} is a list: use contains, contains_any or contains_all",
                      key=True, field=path.name, allowed=("contains", "contains_any", "contains_all"))
            return None
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
        if not path.ordinal:
            self.fail(where, f"'{op}' needs an ordered scale; {path.name} has none: use 'is' or 'in'",
                      key=True, field=path.name)
            return None
        value = self._value(path, operand, where)
        if value is None:
            return None
        rank = path.domain.index(value)
        chosen = {
            "at_least": path.domain[rank:],
            "at_most": path.domain[:rank + 1],
            "above": path.domain[rank + 1:],
            "below": path.domain[:rank],
        }[op]
        if not chosen:
            self.fail(where, f"'{op} {value}' can never hold on the scale {' < '.join(path.domain)}",
                      field=path.name)
            return None
        return Test(leaf, path.name, frozenset(chosen), path.domain, text)


def _as_yaml(value: Any) -> str:
    """A test operand as an author wrote it: true/false, [a, b]."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list):
        return "[" + ", ".join(_as_yaml(v) for v in value) + "]"
    return str(value)


def parse_condition(data: Any, doc: Document, where: tuple, rule_id: str | None,
                    problems: list[Problem]) -> Node | None:
    """Parse a condition, appending located problems; None when it is malformed."""
    return _Parser(doc, rule_id, problems).parse(data, where)


def facts_of(scenario) -> dict[str, Any]:
    """A scenario's known facts keyed by leaf (lists opened into one boolean per member)."""
    out: dict[str, Any] = {}
    for path, value in scenario.paths():
        field = v.PATHS[path].field if path in v.PATHS else None
        if field is not None and field.kind == v.LIST:
            present = set(value)
            for member in field.values:
                out[leaf_name(path, member)] = member in present
        else:
            out[leaf_name(path)] = value
    return out
