"""Predict durable-rules' error 303 from the compiled rules, before anything is evaluated.

durable-rules walks its alpha network for each asserted fact depth first, keeping the nodes
still to visit on a fixed stack of 64 (`MAX_STACK_SIZE` in `handleAlpha`, src/rules/events.c
of jruizgit/rules 2.0.28); one more pending node is error 303, and that scenario's session is
lost. Whether a fact gets there depends on its values, so a compile cannot tell. What the
network looks like is fixed by our JSON patterns, so we rebuild it here the way
`createAlpha`/`findAlpha`/`linkAlpha` (src/rules/rete.c) do and bound the stack for every
possible fact:

- an equality test `{p: v}` is one node per (parent, p, v), shared by every rule that tests it
  from the same parent; a fact has one value per property, so of a node's equality children
  at most one per property can match;
- `{"$or": [...]}` adds a *forward* node of its own (never shared, even between identical
  `$or`s), linked into the "not exists" list of each branch node; the walk pushes every
  entry of that list whatever the fact says, and the rest of the rule hangs below it;
- a node popped with `k` other nodes pending pushes its matching children, and each child
  is visited with the children pushed before it still pending.

The bound takes, at every node, all children that one fact could match and the worst visiting
order, so it never underestimates (whatever it accepts evaluates); it may refuse a base that
a particular fact order would have survived. Tests: tests/test_hostile_input.py.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from . import vocabulary as v
from .compile import Plan
from .conditions.model import leaf_name
from .engine_protocol import durable_rules
from .errors import Problem

MAX_PENDING = 64  # durable-rules' MAX_STACK_SIZE
_SHOWN = 6  # rule ids named in a message before "and N more"


class _Node:
    """One alpha node: equality children by (property, value), forward nodes, rules through it."""

    __slots__ = ("test", "children", "forward", "rules")

    def __init__(self, test: tuple[str, object] | None = None):
        self.test = test  # (property, value); None for the root and forward nodes
        self.children: dict[tuple[str, str], _Node] = {}
        self.forward: list[_Node] = []
        self.rules: set[str] = set()

    def pushed(self) -> list[_Node]:
        """Every child one fact could make the walk push (forward nodes always are)."""
        return self.forward + list(self.children.values())

    def width(self) -> int:
        """At most how many children one fact pushes: every forward node, one per property."""
        return len(self.forward) + len({prop for prop, _ in self.children})


def _add(parent: _Node, expr: dict, rule: str) -> _Node:
    """The node a pattern expression ends at, creating nodes as rete.c's createAlpha does."""
    ((key, value),) = expr.items()  # our patterns are one-key objects (advisor/compile.py)
    if key == "$and":
        node = parent
        for part in value:
            node = _add(node, part, rule)
        return node
    if key == "$or":
        forward = _Node()
        forward.rules.add(rule)
        for part in value:
            _add(parent, part, rule).forward.append(forward)
        return forward
    if key.startswith("$"):  # compile.py emits no other operator; if it ever does, extend the model
        raise ValueError(f"enginelimits: no model for operator {key!r} in rule {rule}")
    ident = (key, json.dumps(value, sort_keys=True))
    child = parent.children.get(ident)
    if child is None:
        child = parent.children[ident] = _Node((key, value))
    child.rules.add(rule)
    return child


def network(plan: Plan) -> _Node:
    """The alpha network durable-rules builds for the plan's engine rules."""
    root = _Node()
    for name, (_, _, body) in durable_rules(plan).items():
        for pattern in body["all"]:
            ((_, expr),) = pattern.items()
            _add(root, expr, name)
    return root


@dataclass(frozen=True)
class Peak:
    """The most nodes one fact can keep pending, and where: the path and its widest node."""

    pending: int
    path: tuple[tuple[str, object], ...]  # the tests a fact passes to get there (kind excluded)
    widest: int  # how many children the widest node on that path pushes
    rules: tuple[str, ...]  # engine rules below the widest node


def _groups(node: _Node) -> dict[str, dict[str, _Node]]:
    out: dict[str, dict[str, _Node]] = {}
    for (prop, value), child in node.children.items():
        out.setdefault(prop, {})[value] = child
    return out


def _fact_order() -> dict[str, tuple[int, int | None]]:
    """Where each leaf sits in the scenario fact we assert (advisor/conditions/flatten.py).

    Fields come in vocabulary order (scenario.from_mapping orders them) and list members in
    the field's value order; capacity areas keep the document's order, so the leaves of one
    mapping share a rank (`None`: any order among them). tests/test_hostile_input.py checks
    this against facts_of on scrambled documents.
    """
    order: dict[str, tuple[int, int | None]] = {"sid": (-2, 0), "kind": (-1, 0)}
    for index, field in enumerate(v.FIELDS):
        if field.kind == v.MAPPING:
            for area in v.AREAS:
                order[leaf_name(f"{field.name}.{area}")] = (index, None)
        elif field.kind == v.LIST:
            for sub, member in enumerate(field.values):
                order[leaf_name(field.name, member)] = (index, sub)
        else:
            order[leaf_name(field.name)] = (index, 0)
    return order


def _earlier(prop: str, than: str, order) -> bool:
    """Can the walk push `prop`'s child before `than`'s (so it is still pending when `than`'s is visited)?"""
    a, b = order.get(prop), order.get(than)
    if a is None or b is None or (a[0] == b[0] and (a[1] is None or b[1] is None)):
        return True  # order unknown: assume the worst
    return a < b


def _pushes(node: _Node, groups, fixed: dict[str, str], nxt: _Node | None, order) -> int:
    """Children of `node` still pending when `nxt` is visited (`None`: all it pushes), for a
    fact consistent with `fixed`.

    handleAlpha pushes the forward nodes first (all of them, whatever the fact), then the
    equality children in the order of the fact's properties; the last pushed is visited
    first. Of the children testing one property at most one matches, and none when the
    path fixes that property to a value no child tests.
    """
    if nxt is not None and nxt.test is None:
        return len(node.forward) - 1  # later forward nodes went first; equality children too
    than = nxt.test[0] if nxt is not None and nxt.test is not None else None
    count = len(node.forward)
    for prop, by_value in groups.items():
        if than is not None and (prop == than or not _earlier(prop, than, order)):
            continue
        if prop in fixed:
            count += fixed[prop] in by_value
        else:
            count += 1
    return count


def peak(root: _Node) -> Peak:
    """Upper bound on handleAlpha's stack over every fact and visiting order, and where.

    For each node, the fact that reaches it fixes the properties tested on the way; the
    stack after its children are pushed holds, at each node above, every other child that
    fact could match (visited later in the worst order), plus its own children.
    """
    groups: dict[int, dict] = {}
    order = _fact_order()
    best: tuple[int, tuple[_Node, ...]] = (0, ())
    # Depth-first over paths with an explicit stack; `fixed` is the path's assignment.
    path: list[_Node] = []
    owned: list[str | None] = []  # the property each path node fixed (None: fixed above or no test)
    fixed: dict[str, str] = {}
    todo: list[tuple[_Node, int]] = [(root, 0)]
    while todo:
        node, depth = todo.pop()
        while len(path) > depth:  # back up to this node's parent
            path.pop()
            prop = owned.pop()
            if prop is not None:
                del fixed[prop]
        mine = None
        if node.test is not None:
            prop, value = node.test[0], json.dumps(node.test[1], sort_keys=True)
            if fixed.get(prop, value) != value:
                continue  # tests one property twice with different values: no fact gets here
            if prop not in fixed:
                fixed[prop], mine = value, prop
        path.append(node)
        owned.append(mine)
        for n in path:
            if id(n) not in groups:
                groups[id(n)] = _groups(n)
        pending = sum(_pushes(n, groups[id(n)], fixed, nxt, order) for n, nxt in zip(path, path[1:]))
        pending += _pushes(node, groups[id(node)], fixed, None, order)
        if pending > best[0]:
            best = (pending, tuple(path))
        todo.extend((child, depth + 1) for child in node.pushed())
    pending, on_path = best
    tests = tuple(n.test for n in on_path if n.test is not None and n.test[0] != "kind")
    widest = max(on_path, key=_Node.width) if on_path else root
    rules = sorted({r for c in widest.pushed() for r in c.rules})
    return Peak(pending, tests, widest.width(), tuple(rules))


def check(plan: Plan, rules, problems: list[Problem]) -> None:
    """Append an error when some fact could overflow durable-rules' alpha stack (error 303).

    Skipped when the rule base already has errors: its plan is incomplete.
    """
    if any(p.severity == "error" for p in problems):
        return
    found = peak(network(plan))
    if found.pending <= MAX_PENDING:
        return
    ids = list(dict.fromkeys(name.split("#")[0] for name in found.rules))
    by_id = {r.id: r for r in rules}
    first = by_id.get(ids[0]) if ids else None
    topics = sorted({by_id[i].topic for i in ids if i in by_id})
    named = ", ".join(ids[:_SHOWN]) + (f" and {len(ids) - _SHOWN} more" if len(ids) > _SHOWN else "")
    facts = ", ".join(f"{prop} = {json.dumps(value)}" for prop, value in found.path) or "any scenario"
    problems.append(
        Problem(
            f"the engine could fail on some scenarios (durable-rules error 303): it keeps at most "
            f"{MAX_PENDING} tests pending for one fact, and a scenario with {facts} can leave up to "
            f"{found.pending} pending; {found.widest} of them branch from one test, read by "
            f"{len(ids)} rules ({named}) in topic(s) {', '.join(topics[:_SHOWN])}. Every rule that tests "
            "a fact against several values adds a test of its own there: merge rules with the same "
            "condition into one (list their conclusions together), or split the rule base",
            first.file if first else None,
            first.line if first else None,
            rule_id=first.id if first else None,
            field="engine pending tests",
            value=found.pending,
            allowed=(f"at most {MAX_PENDING}",),
        )
    )
