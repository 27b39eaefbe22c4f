"""The scenario fact vocabulary of the contract (§1), as data.

Every fact a rule may test is a *path*: a top-level field (`host_authority`) or a
capacity area (`host_capacity.legislative`). Each path has a finite domain, so any
test on it normalises to "value in a subset of the domain".
"""
from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Mapping

CHOICE = "choice"      # one value from a list (ordered when `ordinal`)
BOOL = "bool"
LIST = "list"          # a subset of a list of values
TEXT = "text"          # free text, never tested by rules
MAPPING = "mapping"    # host_capacity: area -> capacity level

CAPACITY = ("absent", "weak", "partial", "adequate")
AREAS = ("legislative", "institutional", "capacity_building", "operational", "infrastructure")
LOW_HIGH = ("low", "medium", "high")


@dataclass(frozen=True)
class Field:
    """One scenario field: its kind, its values in order, and the concept section."""

    name: str
    kind: str
    values: tuple[str, ...] = ()
    ordinal: bool = False
    section: str = ""
    label: str = ""
    help: str = ""


def _f(name, kind, values=(), ordinal=False, section="", label="", help=""):
    return Field(name, kind, tuple(values), ordinal, section, label, help)


FIELDS: tuple[Field, ...] = (
    _f("name", TEXT, label="Scenario name"),
    _f("region", CHOICE, ("western_balkans", "eastern_europe", "south_caucasus", "central_asia",
                          "middle_east", "north_africa", "sahel", "west_africa", "horn_of_africa",
                          "east_africa", "other"), section="§10 Commission, §11 UNDP, OSCE, ICMPD",
       label="Region"),
    _f("conflict_status", CHOICE, ("stable", "tension", "active_conflict", "ceasefire", "post_conflict"),
       section="§5.3, §6.3, §10", label="Conflict status"),
    _f("host_authority", CHOICE, ("absent", "limited", "functioning"), ordinal=True, section="§6.2",
       label="Host border authority", help="Can the host state exercise its border powers?"),
    _f("interim_administration", BOOL, section="§6.2", label="Interim administration",
       help="The international community or the EU runs an interim administration or part of it."),
    _f("host_consent", BOOL, section="§5.4", label="Host consent",
       help="The host authorities invite or accept the mission."),
    _f("host_commitment", CHOICE, ("weak", "moderate", "strong"), ordinal=True, section="§5.4",
       label="Host political commitment", help="Political commitment and local ownership."),
    _f("host_capacity", MAPPING, CAPACITY, ordinal=True, section="§3, §6, §9.1",
       label="Host capacity by intervention area"),
    _f("absorption_capacity", CHOICE, LOW_HIGH, ordinal=True, section="§9.1",
       label="Absorption capacity"),
    _f("agreements", LIST, ("ceasefire", "cessation_of_hostilities", "peace_agreement", "bcp_agreement",
                            "border_management_agreement", "demarcation_agreement",
                            "status_of_mission_agreement"), section="§6.3", label="Agreements in force"),
    _f("disputed_border", BOOL, section="§6.3", label="Disputed or fragile border",
       help="Disputed or fragile border, mistrust between the parties."),
    _f("mediation_process", BOOL, section="§6.3", label="Mediation or dialogue process"),
    _f("scope", CHOICE, ("national", "border_sector", "single_crossing_point"), section="§7",
       label="Scope of the mission"),
    _f("border_types", LIST, ("land", "sea", "air"), section="§6.1 D", label="Border types"),
    _f("host_structure", CHOICE, ("none", "regional", "functional"), section="§7",
       label="Host's established border-management structure"),
    _f("country_size", CHOICE, ("small", "medium", "large"), ordinal=True, section="§7",
       label="Country size"),
    _f("threats", LIST, ("irregular_migration", "human_trafficking", "smuggling", "arms_trafficking",
                         "drug_trafficking", "terrorism", "organised_crime", "public_health"),
       section="§1.1, §6", label="Threats"),
    _f("threat_to_eu", BOOL, section="§10 EUROPOL", label="Threat to EU interests",
       help="Organised-crime threats from the region affect EU interests."),
    _f("displacement", CHOICE, ("none", "refugees", "idps", "both"), section="§5.3, §6.3, §11 UNHCR",
       label="Displacement"),
    _f("mixed_migration", BOOL, section="§11 UNHCR", label="Mixed migration flows"),
    _f("customs_in_scope", BOOL, section="§4, §11 WCO", label="Customs in scope"),
    _f("human_rights_risk", CHOICE, LOW_HIGH, ordinal=True, section="§5.3",
       label="Human-rights risk at the border"),
    _f("neighbour_cooperation", CHOICE, ("hostile", "limited", "good"), ordinal=True, section="§5.1",
       label="Cooperation with neighbours"),
    _f("surveillance_gaps", BOOL, section="§10 EUSC", label="Surveillance gaps",
       help="Long or remote green/blue borders that are hard to watch."),
    _f("eu_delegation", BOOL, section="§9", label="EU Delegation in the country"),
    _f("commission_ibm_support", BOOL, section="§5.1, §10", label="Commission IBM projects under way"),
    _f("un_presence", CHOICE, ("none", "agencies", "peacekeeping"), section="§11", label="UN presence"),
    _f("osce_participating_state", BOOL, section="§11 OSCE", label="OSCE participating state"),
    _f("csdp_military_in_theatre", BOOL, section="§10 CIV/MIL", label="CSDP military operation in theatre"),
    _f("military_controls_border", BOOL, section="§10", label="Local military controls the border"),
    _f("military_to_civilian_transfer", BOOL, section="§10",
       label="Border management passing from military to civilian"),
    _f("expected_duration", CHOICE, ("short", "medium", "long"), ordinal=True, section="§5.1",
       label="Expected duration"),
    _f("public_trust", CHOICE, LOW_HIGH, ordinal=True, section="§9.1",
       label="Public trust in border authorities"),
    _f("donors_active", BOOL, section="§6.1 B", label="Other donors active"),
    _f("ssr_process", BOOL, section="§5.3", label="Security sector reform under way"),
    _f("mission_security_risk", CHOICE, LOW_HIGH, ordinal=True, section="§6.2 E",
       label="Security risk to mission staff"),
)

FIELDS_BY_NAME: Mapping[str, Field] = MappingProxyType({f.name: f for f in FIELDS})


@dataclass(frozen=True)
class Path:
    """A testable fact: a field, or one area of a mapping field, with its domain."""

    name: str            # "host_authority" or "host_capacity.legislative"
    field: Field
    domain: tuple[object, ...]

    @property
    def ordinal(self) -> bool:
        return self.field.ordinal and self.field.kind in (CHOICE, MAPPING)


def _paths() -> dict[str, Path]:
    paths: dict[str, Path] = {}
    for f in FIELDS:
        if f.kind == TEXT:
            continue
        if f.kind == MAPPING:
            for area in AREAS:
                paths[f"{f.name}.{area}"] = Path(f"{f.name}.{area}", f, f.values)
        elif f.kind == BOOL:
            paths[f.name] = Path(f.name, f, (False, True))
        else:
            paths[f.name] = Path(f.name, f, f.values)
    return paths


PATHS: Mapping[str, Path] = MappingProxyType(_paths())


def field_names() -> tuple[str, ...]:
    return tuple(FIELDS_BY_NAME)
