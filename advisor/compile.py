"""From checked rules to an evaluation plan: DNF alternatives and strata.

The plan is pure, engine-neutral data shared by the durable-rules adapter (whose pattern
format is advisor/engine_protocol.py) and the reference evaluator.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from .conditions import Concl, Conjunct, atoms, dnf
from .errors import Problem
from .rulefile import Rule
from .slots import Conclusion


@dataclass(frozen=True)
class CompiledRule:
    rule: Rule
    conjuncts: tuple[Conjunct, ...]
    stratum: int

    @property
    def reads(self) -> frozenset:
        return frozenset(a.key for a in atoms(self.rule.condition) if isinstance(a, Concl))


@dataclass(frozen=True)
class Plan:
    rules: tuple[CompiledRule, ...]
    by_id: Mapping[str, CompiledRule]
    producers: Mapping[str, tuple[str, ...]]  # conclusion key -> rule ids concluding it
    read_keys: frozenset  # conclusion keys some rule tests
    strata: int  # number of strata (>= 1)
    phased: tuple[int, ...]  # strata that open with a phase fact

    def concluded_values(self, slot: str) -> tuple[str, ...]:
        """The values some rule concludes for a slot, sorted."""
        return tuple(sorted({c.value for c in map(Conclusion.of_key, self.producers) if c.slot == slot}))


def _strata(
    rules: tuple[Rule, ...],
    conjuncts: Mapping[str, tuple[Conjunct, ...]],
    producers: Mapping[str, tuple[str, ...]],
    problems: list[Problem],
) -> dict[str, int]:
    """Least strata with: positive read >= producer, negated read > producer.

    Polarity is read from the DNF, where every `not` has been pushed onto its atom.
    """
    deps: dict[str, list[tuple[str, int]]] = {}
    for rule in rules:
        edges = []
        for conj in conjuncts[rule.id]:
            for key in conj.positive:
                edges += [(p, 0) for p in producers.get(key, ())]
            for key in conj.negative:
                edges += [(p, 1) for p in producers.get(key, ())]
        deps[rule.id] = edges
    stratum = {r.id: 0 for r in rules}
    limit = len(rules) + 1
    changed = True
    while changed:
        changed = False
        for rule_id, edges in deps.items():
            for producer, step in edges:
                need = stratum[producer] + step
                if need > stratum[rule_id]:
                    stratum[rule_id] = need
                    changed = True
                    if need > limit:
                        cycle = sorted(r for r, s in stratum.items() if s > limit - 1)
                        rule = next(r for r in rules if r.id == rule_id)
                        problems.append(
                            Problem(
                                "rules depend on the negation of their own conclusions (a cycle through 'not'): "
                                + ", ".join(cycle[:8]),
                                rule.file,
                                rule.line,
                                rule_id=rule_id,
                            )
                        )
                        return {r.id: 0 for r in rules}
    return stratum


def make_plan(rules: tuple[Rule, ...], problems: list[Problem]) -> Plan:
    """Normalise conditions and stratify; problems are appended (tables, overflow, cycles)."""
    from .decisiontable import check_tables  # loading only: a plan read from the cache skips it

    check_tables(rules, problems)
    conjuncts: dict[str, tuple[Conjunct, ...]] = {}
    for rule in rules:
        try:
            conjuncts[rule.id] = dnf(rule.condition)
        except OverflowError:
            problems.append(
                Problem(
                    "condition has too many alternatives (over 64 after expanding any/not); "
                    "split it into several rules",
                    rule.file,
                    rule.line,
                    rule_id=rule.id,
                )
            )
            conjuncts[rule.id] = ()
        else:
            if not conjuncts[rule.id]:
                problems.append(
                    Problem(
                        "condition can never hold (it contradicts itself)",
                        rule.file,
                        rule.line,
                        rule_id=rule.id,
                        severity="warning",
                    )
                )
    strata = _strata(rules, conjuncts, _producers(rules), problems)
    return assemble_plan(tuple(CompiledRule(r, conjuncts[r.id], strata[r.id]) for r in rules))


def _producers(rules) -> dict[str, tuple[str, ...]]:
    producers: dict[str, list[str]] = {}
    for rule in rules:
        for c in rule.conclusions:
            producers.setdefault(c.key, []).append(rule.id)
    return {k: tuple(v) for k, v in producers.items()}


def assemble_plan(compiled: tuple[CompiledRule, ...]) -> Plan:
    """The plan of rules already normalised and stratified: what make_plan builds last, and
    what the rule-base cache (advisor/rulecache.py) rebuilds from the stored alternatives."""
    read = frozenset(k for c in compiled for conj in c.conjuncts for k in conj.positive + conj.negative)
    phased = sorted({c.stratum for c in compiled if any(conj.negative for conj in c.conjuncts)})
    return Plan(
        compiled,
        MappingProxyType({c.rule.id: c for c in compiled}),
        MappingProxyType(_producers(c.rule for c in compiled)),
        read,
        max((c.stratum for c in compiled), default=0) + 1,
        tuple(phased),
    )
