"""Who may do what. Enforced by the Library itself, so no page or command can skip it.

Single-user (no ADVISOR_ROLES): the local user is admin. Team: roles granted in the database
(`advisor db grant`, Library.grant) come first, then ADVISOR_ROLES, a YAML file mapping user
names to one of ROLES; anyone in neither is a reader.
"""

from __future__ import annotations

import getpass
import os
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


def roles_file(path: Path) -> dict[str, str]:
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.stat().st_size < 1_000_000 else None
    except (OSError, yaml.YAMLError) as exc:
        raise AdvisorError(f"{path}: cannot read the roles file: {exc}") from exc
    if not isinstance(data, dict) or not all(isinstance(k, str) and v in ROLES for k, v in data.items()):
        raise AdvisorError(f"{path}: the roles file must map user names to one of {', '.join(ROLES)}")
    return data


def file_role(name: str) -> str | None:
    """The role ADVISOR_ROLES gives `name`, or None (no file, or not listed)."""
    given = os.environ.get("ADVISOR_ROLES")
    return roles_file(Path(given)).get(name) if given else None


def actor(name: str | None = None) -> Actor:
    name = name or os.environ.get("ADVISOR_USER") or getpass.getuser()
    given = os.environ.get("ADVISOR_ROLES")
    if not given:
        return Actor(name, "admin")
    return Actor(name, roles_file(Path(given)).get(name, "reader"))
