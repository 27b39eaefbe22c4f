"""Who may do what. Enforced by the Library itself, so no page or command can skip it.

Single-user (no ADVISOR_ROLES): the local user is admin. Team: roles granted in the database
(`advisor db grant`, Library.grant) come first, then ADVISOR_ROLES, a YAML file mapping user
names to one of ROLES and, under `groups:`, the identity provider's groups (the ID-token claim
`groups_claim`, default `groups`) to roles; the highest of these wins. Anyone in none is a reader.
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from ..errors import AdvisorError

ROLES = ("reader", "planner", "author", "admin")
NEEDS = {"save": "planner", "delete": "planner", "record": "planner", "publish": "author", "grant": "admin"}


class NotAllowed(AdvisorError):
    """The acting user's role does not permit this action."""


@dataclass(frozen=True)
class Actor:
    name: str
    role: str = "admin"

    def __post_init__(self):
        if self.role not in ROLES:
            raise AdvisorError(f"role {self.role!r} for {self.name!r}: allowed roles are {', '.join(ROLES)}")

    def may(self, action: str) -> bool:
        return ROLES.index(self.role) >= ROLES.index(NEEDS[action])

    def require(self, action: str) -> None:
        if not self.may(action):
            article = "an" if self.role[0] in "aeiou" else "a"
            raise NotAllowed(
                f"{self.name!r} is {article} {self.role}; to {action} you need the role {NEEDS[action]} or higher"
            )


GROUPS_KEY, CLAIM_KEY, DEFAULT_CLAIM = "groups", "groups_claim", "groups"
MAX_GROUPS = 1000  # groups taken from one sign-in; why: a hostile token must not cost unbounded work


@dataclass(frozen=True)
class RolesConfig:
    """The roles file: user -> role, identity-provider group -> role, and the claim naming the groups."""

    users: Mapping[str, str]
    groups: Mapping[str, str]
    claim: str = DEFAULT_CLAIM

    def role(self, name: str, groups: Iterable[str] = ()) -> str | None:
        """The highest of the role the file gives `name` and the roles of their groups; None if none."""
        found = [self.users[name]] if name in self.users else []
        found += [self.groups[g] for g in groups if g in self.groups]
        return max(found, key=ROLES.index) if found else None


def load_roles(path: Path) -> RolesConfig:
    """ADVISOR_ROLES: `user: role` lines, optionally `groups: {group: role}` and `groups_claim: NAME`."""
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.stat().st_size < 1_000_000 else None
    except (OSError, yaml.YAMLError) as exc:
        raise AdvisorError(f"{path}: cannot read the roles file: {exc}") from exc
    allowed = ", ".join(ROLES)
    if not isinstance(data, dict):
        raise AdvisorError(f"{path}: the roles file must map user names to one of {allowed}")
    groups = data.pop(GROUPS_KEY, None) or {}
    claim = data.pop(CLAIM_KEY, DEFAULT_CLAIM)
    if not isinstance(groups, dict) or not all(isinstance(k, str) and v in ROLES for k, v in groups.items()):
        raise AdvisorError(f"{path}: field '{GROUPS_KEY}' must map identity-provider groups to one of {allowed}")
    if not isinstance(claim, str) or not claim.strip():
        raise AdvisorError(f"{path}: field '{CLAIM_KEY}' must name the ID-token claim holding the groups")
    bad = next((k for k, v in data.items() if not isinstance(k, str) or v not in ROLES), None)
    if bad is not None:
        raise AdvisorError(
            f"{path}: user {bad!r}: role {data[bad]!r} is not one of {allowed} "
            f"(the keys '{GROUPS_KEY}' and '{CLAIM_KEY}' are the only others allowed)"
        )
    return RolesConfig(data, groups, claim.strip())


def roles_file(path: Path) -> dict[str, str]:
    """The user -> role part of a roles file."""
    return dict(load_roles(path).users)


def configured() -> RolesConfig | None:
    given = os.environ.get("ADVISOR_ROLES")
    return load_roles(Path(given)) if given else None


def file_role(name: str, groups: Iterable[str] = ()) -> str | None:
    """The role ADVISOR_ROLES gives `name` or their groups (the highest), or None."""
    config = configured()
    return config.role(name, groups) if config else None


def groups_of(claims: Mapping[str, object]) -> tuple[str, ...]:
    """The groups in a sign-in's claims (the roles file's `groups_claim`): a list, or one string."""
    config = configured()
    value = claims.get(config.claim if config else DEFAULT_CLAIM)
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)):
        return ()
    return tuple(str(g)[:256] for g in value[:MAX_GROUPS] if isinstance(g, (str, int)))


def actor(name: str | None = None) -> Actor:
    name = name or os.environ.get("ADVISOR_USER") or getpass.getuser()
    config = configured()
    if config is None:
        return Actor(name, "admin")
    return Actor(name, config.role(name) or "reader")
