"""What is missing: the unknown facts, ranked by how much of the advice they could change.

Each unknown fact that some rule reads is given each of its values in turn (one per
class of equivalent values, see probe.py); the advice of each variant is compared with
the advice as it stands. A fact ranks higher when it can change a headline conclusion
(mandate, structure, HQ, partner set), then by the most conclusions one value changes.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import vocabulary as v
from ..ruleset import RuleBase
from ..scenario import Scenario
from .jsonish import plain
from .probe import HEADLINE_KEYS, Change, Prober


@dataclass(frozen=True)
class ValueImpact:
    """What the advice would be with the fact at one value."""

    change: Change
    added: tuple[tuple[str, str], ...]
    removed: tuple[tuple[str, str], ...]
    headline: tuple[tuple[str, object, object], ...]  # (slot, now, then) for each headline change

    @property
    def size(self) -> int:
        return len(self.added) + len(self.removed)

    def to_json(self) -> dict:
        return {
            "change": self.change.to_json(),
            "added": [{"slot": s, "value": x} for s, x in self.added],
            "removed": [{"slot": s, "value": x} for s, x in self.removed],
            "headline": [{"slot": s, "now": plain(a), "then": plain(b)} for s, a, b in self.headline],
        }


@dataclass(frozen=True)
class MissingFact:
    path: str
    label: str
    section: str
    impacts: tuple[ValueImpact, ...]

    @property
    def headline_slots(self) -> tuple[str, ...]:
        found = {s for i in self.impacts for s, _, _ in i.headline}
        return tuple(s for s in HEADLINE_KEYS if s in found)

    @property
    def max_changes(self) -> int:
        return max((i.size for i in self.impacts), default=0)

    def to_json(self) -> dict:
        return {
            "path": self.path,
            "label": self.label,
            "section": self.section,
            "headline_slots": list(self.headline_slots),
            "max_changes": self.max_changes,
            "values": [i.to_json() for i in self.impacts],
        }


@dataclass(frozen=True)
class MissingReport:
    scenario: str
    ruleset: str
    facts: tuple[MissingFact, ...]  # ranked, those that can change something
    no_effect: tuple[str, ...]  # unknown facts whose value would change nothing
    evaluations: int

    def to_json(self) -> dict:
        return {
            "kind": "missing",
            "scenario": self.scenario,
            "ruleset": self.ruleset,
            "facts": [f.to_json() for f in self.facts],
            "no_effect": list(self.no_effect),
            "evaluations": self.evaluations,
        }


def _label(path: str) -> str:
    field = v.PATHS[path].field
    if "." in path:
        return f"{field.label}: {path.split('.', 1)[1].replace('_', ' ')}"
    return field.label or path


def missing_facts(rulebase: RuleBase, scenario: Scenario, prober: Prober | None = None) -> MissingReport:
    """Unknown facts ranked by how much of the advice knowing them could change."""
    prober = prober or Prober(rulebase)
    start = prober.evaluations
    base = prober.outcome(scenario)
    by_path: dict[str, list[ValueImpact]] = {}
    unknown = [p for p in v.PATHS if not scenario.known(p)]
    for move, change in prober.moves(scenario, paths=unknown):
        out = prober.outcome(prober.apply(scenario, (move,)))
        added = tuple(sorted(out.items - base.items))
        removed = tuple(sorted(base.items - out.items))
        heads = tuple((s, base.get(s), out.get(s)) for s in HEADLINE_KEYS if base.get(s) != out.get(s))
        by_path.setdefault(move.path, []).append(ValueImpact(change, added, removed, heads))
    facts = [
        MissingFact(p, _label(p), v.PATHS[p].field.section, tuple(impacts))
        for p, impacts in by_path.items()
        if any(i.size or i.headline for i in impacts)
    ]
    order = {p: i for i, p in enumerate(v.PATHS)}
    facts.sort(key=lambda f: (-len(f.headline_slots), -f.max_changes, order[f.path]))
    ranked = {f.path for f in facts}
    return MissingReport(
        scenario.name,
        rulebase.label,
        tuple(facts),
        tuple(p for p in unknown if p not in ranked),
        prober.evaluations - start,
    )
