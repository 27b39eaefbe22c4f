"""advisor verify: whole-rule-base checks, each finding with a counter-example scenario.

Conditions are unfolded into regions of fully known scenarios (`regions.py`), so the
checks cover every combination of facts, not a sample. Every counter-example is then
run through an evaluator (the reference evaluator by default: pure Python, the oracle
the durable-rules adapter is tested against) and kept only if the finding shows there:
a finding is never a guess. Unknown facts are outside this analysis (see docs/authoring.md).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from math import prod

from .. import vocabulary as v
from ..advice import Advice
from ..conditions import dnf, leaf_name
from ..decisiontable import tables_of
from ..ruleset import RuleBase
from ..scenario import Scenario, from_mapping
from ..service import advise
from ..slots import HEADLINE, SLOTS, Conclusion
from .regions import Region, TooComplex, Unfolder, box_of, join, meet, negate
from .tablecheck import TableReport, table_reports

ERROR_KINDS = ("conflict", "incomplete", "cycle")
MAX_TRIES = 8  # boxes tried per finding before giving up on a counter-example


@dataclass(frozen=True)
class Finding:
    kind: str  # conflict | incomplete | cycle | never-fires | shadowed | undecided
    message: str
    rules: tuple[str, ...] = ()
    slot: str | None = None
    location: str = ""
    scenario: Mapping | None = None  # the counter-example, as scenario-file data

    @property
    def severity(self) -> str:
        return "error" if self.kind in ERROR_KINDS else "warning"

    def to_dict(self) -> dict:
        return {
            "kind": self.kind,
            "severity": self.severity,
            "message": self.message,
            "rules": list(self.rules),
            "slot": self.slot,
            "location": self.location,
            "scenario": dict(self.scenario) if self.scenario is not None else None,
        }


@dataclass(frozen=True)
class Report:
    findings: tuple[Finding, ...]
    rules: int
    headline_leaves: tuple[str, ...]
    headline_space: int  # combinations of the headline facts' distinguishable values
    checks: tuple[str, ...] = field(default=())
    tables: tuple[TableReport, ...] = ()

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == "error")

    def to_dict(self) -> dict:
        return {
            "rules": self.rules,
            "checks": list(self.checks),
            "headline_facts": list(self.headline_leaves),
            "headline_space": self.headline_space,
            "errors": len(self.errors),
            "warnings": len(self.findings) - len(self.errors),
            "findings": [f.to_dict() for f in self.findings],
            "tables": [t.to_dict() for t in self.tables],
        }


def leaf_domains() -> dict[str, tuple]:
    """Every engine leaf with its finite domain (list members are booleans)."""
    out: dict[str, tuple] = {}
    for name, path in v.PATHS.items():
        if path.field.kind == v.LIST:
            for member in path.field.values:
                out[leaf_name(name, member)] = (False, True)
        else:
            out[leaf_name(name)] = path.domain
    return out


def _leaf_paths() -> dict[str, tuple[str, str | None]]:
    out: dict[str, tuple[str, str | None]] = {}
    for name, path in v.PATHS.items():
        if path.field.kind == v.LIST:
            for member in path.field.values:
                out[leaf_name(name, member)] = (name, member)
        else:
            out[leaf_name(name)] = (name, None)
    return out


LEAF_PATHS = _leaf_paths()


def _data(choice: Mapping[str, object]) -> dict:
    """Scenario-file data from leaf values (lists rebuilt from their member leaves)."""
    data: dict = {}
    for leaf, value in choice.items():
        path, member = LEAF_PATHS[leaf]
        if member is not None:
            items = data.setdefault(path, [])
            if value is True:
                items.append(member)
        elif "." in path:
            fld, area = path.split(".", 1)
            data.setdefault(fld, {})[area] = value
        else:
            data[path] = value
    return data


class _Checker:
    def __init__(self, rulebase: RuleBase, engine: str = "reference"):
        self.rb = rulebase
        self.engine = engine
        self.plan = rulebase.plan
        self.domains = leaf_domains()
        self.unfold = Unfolder(self.plan, self.domains)
        self.read_leaves = sorted({t.leaf for c in self.plan.rules for conj in c.conjuncts for t in conj.tests})
        self.tables = {t.slot: t for t in tables_of(rulebase.rules)}

    # ---- counter-examples
    def scenario(self, box, name: str) -> Scenario:
        d = dict(box)
        choice = {
            leaf: sorted(d[leaf], key=self.domains[leaf].index)[0] if leaf in d else self.domains[leaf][0]
            for leaf in sorted(set(self.read_leaves) | set(d))
        }
        return from_mapping({"name": name, **_data(choice)}, f"<verify {name}>")

    def witness(self, region: Region, name: str, shows: Callable[[Advice], bool]) -> Scenario | None:
        """A scenario of the region on which the engine shows the finding, kept small."""
        # Canonical order: regions are built from sets, and the witness must not depend on the hash seed.
        ordered = sorted(region, key=lambda b: sorted((leaf, sorted(map(str, vals))) for leaf, vals in b))
        for box in ordered[:MAX_TRIES]:
            scenario = self.scenario(box, name)
            if not shows(advise(self.rb, scenario, self.engine)):
                continue
            fixed = {LEAF_PATHS[leaf][0] for leaf, _ in box}
            for path in sorted(p for p, _ in scenario.paths()):  # sorted: the same witness under any hash seed
                if path in fixed:
                    continue
                trial = scenario.with_value(path, None)
                if shows(advise(self.rb, trial, self.engine)):
                    scenario = trial
            return scenario
        return None

    # ---- helpers
    def fires(self, rule_id: str) -> Region:
        return self.unfold.rule(rule_id)

    def producers(self, slot: str, above: int | None = None, other_than: str | None = None) -> list[str]:
        out = []
        for key, ids in self.plan.producers.items():
            c = Conclusion.of_key(key)
            if c.slot != slot or c.value == other_than:
                continue
            out += [r for r in ids if above is None or self.rb.rule(r).priority > above]
        return sorted(set(out))

    def proposes(self, slot: str, above: int | None = None, other_than: str | None = None) -> Region:
        return join(*(self.fires(r) for r in self.producers(slot, above, other_than)))

    def location(self, rule_id: str) -> str:
        return self.rb.rule(rule_id).location

    def holds(self, condition) -> Region:
        """Scenarios in which a condition holds (derived facts unfolded), e.g. a row as written."""
        alternatives = []
        for conj in dnf(condition):
            region: Region = (box_of(conj.tests),)
            for key in conj.positive:
                region = meet(region, self.unfold.key(key))
            for key in conj.negative:
                region = meet(region, negate(self.unfold.key(key), self.domains))
            alternatives.append(region)
        return join(*alternatives)


def _fired(advice: Advice) -> frozenset:
    return advice.evaluation.fired_ids()


def check_never_fires(c: _Checker) -> list[Finding]:
    out = []
    for compiled in c.plan.rules:
        rule = compiled.rule
        if c.fires(rule.id):
            continue
        why = (
            "its condition contradicts itself"
            if not compiled.conjuncts
            else "the conclusions it needs are never drawn together with its fact tests"
        )
        out.append(
            Finding(
                "never-fires", f"can never fire with any combination of facts: {why}", (rule.id,), None, rule.location
            )
        )
    return out


def check_conflicts(c: _Checker) -> list[Finding]:
    out = []
    for slot, spec in SLOTS.items():
        if not spec.single:
            continue
        concluded = {key: Conclusion.of_key(key) for key in c.plan.producers}
        proposals = [
            (r, concluded[key].value)
            for key, ids in c.plan.producers.items()
            if concluded[key].slot == slot
            for r in ids
        ]
        for i, (r1, a) in enumerate(proposals):
            for r2, b in proposals[i + 1 :]:
                p = c.rb.rule(r1).priority
                if a == b or c.rb.rule(r2).priority != p:
                    continue
                region = meet(meet(c.fires(r1), c.fires(r2)), negate(c.proposes(slot, above=p), c.domains))
                if not region:
                    continue
                shows = lambda adv, s=slot, x=(r1, r2): (
                    any(k.slot == s for k in adv.conflicts) and set(x) <= _fired(adv)
                )
                found = c.witness(region, f"conflict {r1} / {r2}", shows)
                if found is None:
                    continue
                out.append(
                    Finding(
                        "conflict",
                        f"{slot} '{a}' ({r1}) and '{b}' ({r2}) at equal priority {p} "
                        "can hold together, and nothing of higher priority decides",
                        (r1, r2),
                        slot,
                        c.location(r1),
                        found.to_dict(),
                    )
                )
    return out


def check_shadowed(c: _Checker) -> list[Finding]:
    out = []
    for compiled in c.plan.rules:
        rule = compiled.rule
        for concl in rule.conclusions:
            if not SLOTS[concl.slot].single:
                continue
            mine = c.fires(rule.id)
            if not mine:
                continue
            beaters = c.proposes(concl.slot, above=rule.priority, other_than=concl.value)
            if meet(mine, negate(beaters, c.domains)):
                continue
            others = [x for x in rule.conclusions if x != concl]
            shows = lambda adv, r=rule.id, s=concl.slot, val=concl.value: (
                r in _fired(adv) and adv.one(s) is not None and adv.one(s).value != val
            )
            found = c.witness(mine, f"shadowed {rule.id}", shows)
            note = "" if others else "; the rule has no other conclusion, so it never changes the advice"
            beaten_by = ", ".join(c.producers(concl.slot, rule.priority, concl.value)[:4])
            text = (
                f"row {rule.row} of the {rule.table} table never decides: whenever it holds, a row above with "
                f"another value holds ({beaten_by}); move it up or drop it"
                if rule.table == concl.slot
                else f"its {concl.slot} '{concl.value}' always loses to a higher-priority rule ({beaten_by}){note}"
            )
            out.append(
                Finding("shadowed", text, (rule.id,), concl.slot, rule.location, found.to_dict() if found else None)
            )
    return out


def check_cycles(c: _Checker) -> list[Finding]:
    """Rules that (through positive chaining) read their own conclusions: circular grounds."""
    graph = {
        cr.rule.id: sorted(
            {p for conj in cr.conjuncts for k in conj.positive + conj.negative for p in c.plan.producers.get(k, ())}
        )
        for cr in c.plan.rules
    }
    index, low, stack, on, sccs = {}, {}, [], set(), []
    counter = [0]

    def visit(node):  # Tarjan; rule bases are small, recursion depth is fine
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on.add(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            comp = []
            while True:
                top = stack.pop()
                on.discard(top)
                comp.append(top)
                if top == node:
                    break
            if len(comp) > 1 or node in graph[node]:
                sccs.append(sorted(comp))

    for node in graph:
        if node not in index:
            visit(node)
    return [
        Finding(
            "cycle",
            "these rules conclude what they read from each other: " + " -> ".join(comp + [comp[0]]),
            tuple(comp),
            None,
            c.location(comp[0]),
        )
        for comp in sccs
    ]


def check_completeness(c: _Checker) -> list[Finding]:
    out = []
    mandate = c.proposes("mandate")
    gap = negate(mandate, c.domains)
    if gap:
        found = c.witness(gap, "no mandate", lambda adv: adv.one("mandate") is None and not adv.conflicts)
        if found is not None:
            out.append(
                Finding(
                    "incomplete",
                    _gap_text(
                        c, "mandate", "no rule concludes a mandate (not even 'none' with its reason) for these facts"
                    ),
                    (),
                    "mandate",
                    _table_at(c, "mandate"),
                    found.to_dict(),
                )
            )
    supported = negate(c.unfold.key("mandate:none"), c.domains)
    for slot in HEADLINE[1:]:
        gap = meet(supported, negate(c.proposes(slot), c.domains))
        if not gap:
            continue
        shows = lambda adv, s=slot: adv.mandate not in (None, "none") and adv.one(s) is None and not adv.conflicts
        found = c.witness(gap, f"no {slot}", shows)
        if found is not None:
            out.append(
                Finding(
                    "incomplete",
                    _gap_text(c, slot, f"a mission is recommended but no rule concludes its {slot}"),
                    (),
                    slot,
                    _table_at(c, slot),
                    found.to_dict(),
                )
            )
    return out


def _table_at(c: _Checker, slot: str) -> str:
    table = c.tables.get(slot)
    return table.location if table else ""


def _gap_text(c: _Checker, slot: str, text: str) -> str:
    """The completeness message; for a table, which table has the gap and how to close it."""
    table = c.tables.get(slot)
    if table is None:
        return text
    return (
        f"{text}: no row of the {slot} table holds (a gap); add a last row that holds whenever the table "
        "applies, or widen a row"
    )


def headline_space(c: _Checker) -> tuple[tuple[str, ...], int]:
    """Facts the headline rules read (through chaining) and how many distinguishable combinations."""
    todo = [r for slot in HEADLINE for r in c.producers(slot)]
    seen: set[str] = set()
    tests: dict[str, set] = {}
    while todo:
        rule_id = todo.pop()
        if rule_id in seen:
            continue
        seen.add(rule_id)
        for conj in c.plan.by_id[rule_id].conjuncts:
            for t in conj.tests:
                tests.setdefault(t.leaf, set()).add(frozenset(t.allowed))
            for key in conj.positive + conj.negative:
                todo += c.plan.producers.get(key, ())
    classes = {}
    for leaf, sets in tests.items():
        # values a leaf can take that no test tells apart count once
        classes[leaf] = len({tuple(x in s for s in sorted(sets, key=sorted)) for x in c.domains[leaf]})
    names = sorted(LEAF_PATHS[leaf][0] + (f"[{LEAF_PATHS[leaf][1]}]" if LEAF_PATHS[leaf][1] else "") for leaf in tests)
    return tuple(names), prod(classes.values()) if classes else 1


CHECKS = (
    ("conflicts", check_conflicts),
    ("completeness", check_completeness),
    ("cycles", check_cycles),
    ("never-fires", check_never_fires),
    ("shadowed", check_shadowed),
)


def verify(rulebase: RuleBase, engine: str = "reference") -> Report:
    """Run every check; a check too large to decide becomes an 'undecided' finding."""
    c = _Checker(rulebase, engine)
    findings: list[Finding] = []
    for name, check in CHECKS:
        try:
            findings += check(c)
        except TooComplex:
            findings.append(
                Finding(
                    "undecided",
                    f"the {name} check grew too large to decide; split the rules with the widest conditions",
                )
            )
    leaves, space = headline_space(c)
    return Report(
        tuple(findings),
        len(rulebase.rules),
        leaves,
        space,
        tuple(n for n, _ in CHECKS),
        table_reports(c, {f.slot for f in findings if f.kind == "incomplete"}),
    )


def render_text(report: Report) -> str:
    import yaml

    lines = [
        f"verified {report.rules} rules: {', '.join(report.checks)}",
        f"headline facts ({len(report.headline_leaves)} leaves): {report.headline_space} distinguishable "
        "combinations, all checked symbolically",
    ]
    for f in report.findings:
        where = f"{f.location}: " if f.location else ""
        rules = f"rule {', '.join(f.rules)}: " if f.rules else ""
        lines.append(f"{f.severity}: {f.kind}: {where}{rules}{f.message}")
        if f.scenario:
            lines.append("  counter-example:")
            lines += ["    " + ln for ln in yaml.safe_dump(dict(f.scenario), sort_keys=False).splitlines()]
    for t in report.tables:
        lines.append(
            f"table {t.slot} ({t.location}): {len(t.rows)} rows, the first that holds decides; "
            + ("a gap (see 'incomplete')" if t.gap else "no gap")
        )
        if t.undecided:
            lines.append("  overlaps: too large to decide")
        for o in t.overlaps:
            lines.append(
                f"  overlap: {o.row} ({o.value}) can hold together with {', '.join(o.above)} above, which decide there"
            )
    errors, warnings = len(report.errors), len(report.findings) - len(report.errors)
    lines.append(
        f"{errors} error(s), {warnings} warning(s)"
        if report.findings
        else "no conflict, complete over the headline facts, no cycle, every rule can fire and matter"
    )
    return "\n".join(lines) + "\n"
