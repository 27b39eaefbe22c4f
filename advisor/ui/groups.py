"""The scenario fields grouped as a planner thinks about a host country.

Every contract field appears exactly once (tested), so the editor covers the contract.
"""

from __future__ import annotations

GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "Context and conflict",
        (
            "region",
            "conflict_status",
            "expected_duration",
            "displacement",
            "mixed_migration",
            "human_rights_risk",
            "mission_security_risk",
            "ssr_process",
        ),
    ),
    (
        "Host authority and consent",
        (
            "host_authority",
            "interim_administration",
            "host_consent",
            "host_commitment",
            "absorption_capacity",
            "public_trust",
        ),
    ),
    ("Host capacity per intervention area", ("host_capacity",)),
    ("Agreements and dialogue", ("agreements", "disputed_border", "mediation_process")),
    (
        "Border and threats",
        (
            "scope",
            "border_types",
            "host_structure",
            "country_size",
            "surveillance_gaps",
            "customs_in_scope",
            "threats",
            "threat_to_eu",
            "neighbour_cooperation",
        ),
    ),
    (
        "Actors present",
        (
            "eu_delegation",
            "commission_ibm_support",
            "un_presence",
            "osce_participating_state",
            "csdp_military_in_theatre",
            "military_controls_border",
            "military_to_civilian_transfer",
            "donors_active",
        ),
    ),
)
