"""The one or two changes of the known facts that would alter the mission design.

Computed, never guessed: every single change of a known fact (each other value of a
scalar, each member of a list added or removed) is evaluated by the reference evaluator and
compared with the advice on the headline (mandate, structure, HQ) and on the set of core
lines of effort (phase 1). A change alters the design when it moves either.

Cost: per change, the stratified fixpoint of the reference evaluator for which rules fire
(`fired_rules`, without recording what each alternative matched: that record was most of a
reference run), on the old facts updated with the changed ones, over the rules in reach of
the change and behind the design only (`Graph.reach`, `design_feeders`; the others fire as
before, or conclude nothing the comparison reads). The headline and the core lines are then
read off the fired rules (`design.headline_and_core`, without building advice and design), once
per different set of design rules fired and host capacity (which ranks the lines): with both the
same, they are the same by construction. The skip in advisor/unknowns.py (try only values that make a new rule
fire) does not carry over: changing a known fact can also stop a rule firing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from . import vocabulary as v
from .fixpoint import changed_leaves, fired_rules, graph_of
from .lifetimes import per_version

SHOWN = 2  # the "one or two changes"
_SLOT_WORDS = {"mandate": "mandate", "structure": "structure", "hq": "HQ"}


@dataclass(frozen=True)
class Alteration:
    """One change of a known fact and what it does to the design."""

    path: str
    before: Any
    after: Any
    headline: tuple[tuple[str, str | None, str | None], ...]  # (slot, now, after the change)
    lines_added: tuple[str, ...]  # objective ids of core lines
    lines_removed: tuple[str, ...]

    @property
    def ends_mission(self) -> bool:
        return any(s == "mandate" and a not in (None, "none") and b == "none" for s, a, b in self.headline)

    @property
    def rank(self) -> tuple[int, int, int, int]:
        """Smaller first. Withdrawing consent comes last: the concept makes consent the
        precondition of any mission (§5.4), so a planner gains nothing from being told; a
        change that reshapes the mission is what to watch. Then mandate, other headline
        slots, lines of effort moved."""
        slots = {s for s, _, _ in self.headline}
        withdrawn = self.ends_mission and self.path == "host_consent"
        return (withdrawn, -("mandate" in slots), -len(slots), -(len(self.lines_added) + len(self.lines_removed)))

    def change_words(self) -> str:
        """'host consent: yes → no', 'threats: add terrorism'."""
        from .explain.words import fact_label, word

        label = fact_label(self.path)
        if v.PATHS[self.path].field.kind == v.LIST:
            added = [m for m in self.after if m not in self.before]
            removed = [m for m in self.before if m not in self.after]
            return f"{label}: " + (f"add {word(added[0])}" if added else f"remove {word(removed[0])}")
        return f"{label}: {word(self.before)} → {word(self.after)}"

    def effect_words(self, knowledge, most: int = 3) -> str:
        """'mandate strengthening → monitoring; structure functional → regional; adds ...'."""
        from .explain.words import word

        if self.ends_mission:
            return "no CSDP border mission (mandate none)"
        # A slot left without a conclusion is a change too: dropping it left "fact: a → b:" with
        # nothing after the colon on the Workspace.
        out = [f"{_SLOT_WORDS[s]} {_or_none(word, a)} → {_or_none(word, b)}" for s, a, b in self.headline]

        def listed(verb: str, ids) -> str:
            titles = [knowledge.title(o) for o in ids]
            noun = f"line{'s' if len(titles) > 1 else ''} of effort"
            if most == 0:  # counts only, for the briefing's one-row summary
                return f"{verb} {len(titles)} {noun}"
            more = f" and {len(titles) - most} more" if len(titles) > most else ""
            return f"{verb} {noun} " + "; ".join(titles[:most]) + more

        if self.lines_added:
            out.append(listed("adds", self.lines_added))
        if self.lines_removed:
            out.append(listed("drops", self.lines_removed))
        return "; ".join(out)

    def to_json(self, knowledge) -> dict:
        return {
            "fact": self.path,
            "from": _plain(self.before),
            "to": _plain(self.after),
            "change": self.change_words(),
            "effect": self.effect_words(knowledge),
            "headline": [{"slot": s, "from": a, "to": b} for s, a, b in self.headline],
            "lines_added": list(self.lines_added),
            "lines_removed": list(self.lines_removed),
        }


def _plain(value):
    return list(value) if isinstance(value, tuple) else value


def changes_of(path: str, value) -> list:
    """Every single change of a known fact: other values, or one list member in or out."""
    p = v.PATHS[path]
    if p.field.kind == v.LIST:
        now = tuple(value)
        return [tuple(x for x in now if x != m) if m in now else now + (m,) for m in p.field.values]
    return [x for x in p.domain if x != value]


def core_lines(advice, with_reasons: bool = False) -> frozenset:
    from .design import build_design

    design = advice.design if with_reasons else build_design(advice, with_reasons=False)
    return frozenset(line.objective for line in design.lines if line.phase == 1)


def every_alteration(advice) -> tuple[Alteration, ...]:
    """Every single change of a known fact that alters the design, strongest first."""
    from .conditions import facts_of
    from .design import headline_and_core
    from .unknowns import _readers

    rb, scenario = advice.rulebase, advice.scenario
    read = _readers(rb)
    graph = graph_of(rb)
    facts = facts_of(scenario)
    fired = fired_rules(graph, facts)
    # Only the rules behind headline and core lines are compared: a change that moves partners or
    # warnings alone is not an alteration, and rebuilding advice and design for each variant was
    # most of the cost (a first visit to a scenario of the real rule base spent ~115 ms here).
    design_fired = fired & graph.design_rules
    capacity = tuple(scenario.get(f"host_capacity.{area}") for area in v.AREAS)

    def outcome(now_fired: frozenset, areas: tuple) -> tuple[dict, frozenset]:
        return headline_and_core(rb, now_fired, dict(zip(v.AREAS, areas)))

    head, lines = outcome(design_fired, capacity)
    order = {p: i for i, p in enumerate(v.PATHS)}
    tests = _tests_by_leaf(rb)
    found: list[Alteration] = []
    # Headline and core lines are a function of (rules fired, host capacity): variants that
    # agree on both share one outcome.
    seen: dict[tuple, tuple] = {}
    reach: dict[frozenset, frozenset] = {}
    for path, value in scenario.paths():
        if path not in read:
            continue
        in_capacity = path.startswith("host_capacity.")
        for other in changes_of(path, value):
            changed = changed_leaves(path, other)
            if not in_capacity and _same_tests(tests, facts, changed):
                continue  # every fact test keeps its truth value: the same rules fire, nothing moves
            leaves = frozenset(leaf for leaf, x in changed.items() if facts.get(leaf) != x)
            if leaves not in reach:
                reach[leaves] = graph.reach(leaves) & graph.design_feeders
            if not reach[leaves] and not in_capacity:
                continue  # no rule behind the design reads the changed facts
            # Rules outside design_feeders keep their old state here, which no design rule reads.
            now_fired = fired_rules(graph, {**facts, **changed}, fired, reach[leaves]) & graph.design_rules
            if now_fired == design_fired and not in_capacity:
                continue
            area = path.partition(".")[2]
            key = (now_fired, tuple(other if in_capacity and a == area else c for a, c in zip(v.AREAS, capacity)))
            if key not in seen:
                seen[key] = outcome(*key)
            there_head, new_lines = seen[key]
            moved = tuple((s, head[s], b) for s, b in there_head.items() if b != head[s])
            if moved or new_lines != lines:
                found.append(
                    Alteration(
                        path, value, other, moved, tuple(sorted(new_lines - lines)), tuple(sorted(lines - new_lines))
                    )
                )
    found.sort(key=lambda a: (a.rank, order.get(a.path, 0)))
    return tuple(found)


@per_version
def _tests_by_leaf(rb) -> Mapping[str, tuple]:
    """Every fact test of the rule base by the leaf it reads; once per version, not per scenario."""
    from .conditions import Test, atoms

    tests: dict[str, list] = {}
    for compiled in rb.plan.rules:
        for atom in dict.fromkeys(atoms(compiled.rule.condition)):
            if isinstance(atom, Test):
                tests.setdefault(atom.leaf, []).append(atom)
    return {leaf: tuple(found) for leaf, found in tests.items()}


def _same_tests(tests, facts, changed) -> bool:
    """True when no fact test changes its (three-valued) truth value with the `changed` facts.

    Conditions are Kleene combinations of fact tests and concluded keys, so then every rule
    evaluates alike in every state of the fixpoint: the reference run is the same, step by step.
    """
    for leaf, value in changed.items():
        if facts.get(leaf) != value:
            if any(t.evaluate(facts) != t.evaluate(changed) for t in tests.get(leaf, ())):
                return False
    return True


def alterations(advice, limit: int = SHOWN) -> tuple[Alteration, ...]:
    """The strongest `limit` changes, at most one per fact; computed once per advice."""
    cache = advice.__dict__  # Advice is frozen; this is where its cached_property values live too
    if "_alterations" not in cache:
        cache["_alterations"] = every_alteration(advice)
    out: list[Alteration] = []
    for a in cache["_alterations"]:
        if a.path not in {x.path for x in out}:
            out.append(a)
        if len(out) == limit:
            break
    return tuple(out)


def _or_none(word, value) -> str:
    return "no conclusion" if value is None else word(value)
