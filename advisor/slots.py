"""What a rule can conclude: the slots, their cardinality and their allowed values.

Partner ids are data: the entries of the `partners` catalogue of the rule base's knowledge
(knowledge/partners.yaml), so a planner adds a partner without touching Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

PARTNERS: tuple[str, ...]  # the packaged knowledge's partner ids, in file order (read on first use)

# Priority levels of the focused design, strongest first, and the catalogues they place.
LEVELS = ("core", "supporting", "optional")
PLACED = ("objectives", "tasks", "expertise", "planning_steps")
PLACED_SLOTS = ("objective", "task", "expertise", "planning_step")


@dataclass(frozen=True)
class Conclusion:
    """One thing a rule concludes: a value of a slot. Its key 'slot:value' is how the engine,
    the plan and the JSON spell it; `key` and `of_key` are the only places that know so."""

    slot: str
    value: str

    @property
    def key(self) -> str:
        return f"{self.slot}:{self.value}"

    @property
    def pair(self) -> tuple[str, str]:
        return self.slot, self.value

    @classmethod
    def of_key(cls, key: str) -> Conclusion:
        slot, _, value = key.partition(":")
        return cls(slot, value)


@dataclass(frozen=True)
class Slot:
    name: str
    single: bool  # one value wins (priority), or many collect
    values: tuple[str, ...] = ()  # fixed values, when the contract fixes them
    catalogue: str | None = None  # knowledge catalogue whose ids are the values
    label: str = ""
    # Design slots place items of several catalogues (an objective, a task, ...) at a level.
    catalogues: tuple[str, ...] = ()

    def ids(self, knowledge) -> tuple[str, ...]:
        """The values this slot may take under a knowledge base: the one place that says so."""
        if self.values:
            return self.values
        names = (self.catalogue,) if self.catalogue else self.catalogues
        return tuple(i for name in names for i in knowledge.ids(name))


SLOTS: dict[str, Slot] = {
    s.name: s
    for s in (
        Slot("mandate", True, ("strengthening", "substitution", "monitoring", "none"), label="Mandate"),
        Slot("structure", True, ("regional", "functional"), label="Structure"),
        Slot("hq", True, ("capital", "border_sector"), label="HQ location"),
        Slot("function", False, ("strengthening", "substitution", "monitoring"), label="Functions"),
        Slot("mandate_option", False, ("partial_substitution",), label="Mandate options"),
        Slot("partner", False, catalogue="partners", label="Partners"),
        Slot("objective", False, catalogue="objectives", label="Objectives"),
        Slot("task", False, catalogue="tasks", label="Tasks"),
        Slot("expertise", False, catalogue="expertise", label="Expertise"),
        Slot("planning_step", False, catalogue="planning_steps", label="Planning steps"),
        Slot("warning", False, catalogue="warnings", label="Warnings"),
        Slot("structure_element", False, catalogue="structure_elements", label="Structure elements"),
        Slot("derived", False, label="Derived facts"),
        # The focused design (advisor/design.py): where each concluded item stands in this mission.
        *(Slot(level, False, label=f"{level.capitalize()} items", catalogues=PLACED) for level in LEVELS),
        Slot("size", True, catalogue="sizes", label="Mission size"),
    )
}

HEADLINE = ("mandate", "structure", "hq")


def _default_partners() -> tuple[str, ...]:
    from .errors import AdvisorError, Problem
    from .knowledge import load_knowledge
    from .ruleset import DEFAULT_KNOWLEDGE

    problems: list[Problem] = []
    knowledge = load_knowledge(DEFAULT_KNOWLEDGE, problems)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise AdvisorError(errors)
    return knowledge.ids("partners")


def __getattr__(name: str) -> Any:
    # PEP 562: columns and tests that name "the partners" without a rule base in hand get the
    # packaged knowledge's; advice itself always asks its own rule base (Slot.ids).
    if name == "PARTNERS":
        globals()["PARTNERS"] = _default_partners()
        return globals()["PARTNERS"]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
