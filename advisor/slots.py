"""What a rule can conclude: the slots, their cardinality and their allowed values."""
from __future__ import annotations

from dataclasses import dataclass

PARTNERS = ("frontex", "europol", "eusc", "un", "undp", "unhcr", "interpol", "iom", "wco", "osce",
            "icmpd", "commission", "eu_delegation", "csdp_military")


@dataclass(frozen=True)
class Slot:
    name: str
    single: bool                      # one value wins (priority), or many collect
    values: tuple[str, ...] = ()      # fixed values, when the contract fixes them
    catalogue: str | None = None      # knowledge catalogue whose ids are the values
    label: str = ""


SLOTS: dict[str, Slot] = {s.name: s for s in (
    Slot("mandate", True, ("strengthening", "substitution", "monitoring", "none"), label="Mandate"),
    Slot("structure", True, ("regional", "functional"), label="Structure"),
    Slot("hq", True, ("capital", "border_sector"), label="HQ location"),
    Slot("function", False, ("strengthening", "substitution", "monitoring"), label="Functions"),
    Slot("mandate_option", False, ("partial_substitution",), label="Mandate options"),
    Slot("partner", False, PARTNERS, catalogue="partners", label="Partners"),
    Slot("objective", False, catalogue="objectives", label="Objectives"),
    Slot("task", False, catalogue="tasks", label="Tasks"),
    Slot("expertise", False, catalogue="expertise", label="Expertise"),
    Slot("planning_step", False, catalogue="planning_steps", label="Planning steps"),
    Slot("warning", False, catalogue="warnings", label="Warnings"),
    Slot("structure_element", False, catalogue="structure_elements", label="Structure elements"),
    Slot("derived", False, label="Derived facts"),
)}

HEADLINE = ("mandate", "structure", "hq")
