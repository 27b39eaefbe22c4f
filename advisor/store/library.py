"""The scenario library and briefing records: the only code that writes to the database.

Every save is a new version; a save names the version it started from and is refused
(ConflictError) when someone saved in between, so nothing is overwritten. Records are
append-only: this layer has no update or delete for them, and triggers refuse both.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import func, insert, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from .. import scenario as scenarios
from ..errors import AdvisorError
from ..ruleset import MANIFEST, RuleBase, load_rulebase
from ..scenario import Scenario
from ..service import advise
from . import db
from .roles import ROLES, Actor, file_role
from .rulestore import Published, PublishRefused, RuleStore, bump, check_name, relative, strict_check, with_version
from .tables import audit, drafts, records, versions
from .tables import roles as t_roles
from .tables import scenarios as t_scen


class ConflictError(AdvisorError):
    """Someone saved the scenario after the version this save started from."""


@dataclass(frozen=True)
class Version:
    name: str
    number: int
    tags: tuple[str, ...]
    note: str
    author: str
    created_at: datetime
    ruleset_version: str
    facts: Mapping[str, Any]
    deleted: bool = False

    def scenario(self) -> Scenario:
        return scenarios.from_mapping(dict(self.facts), source=f"library:{self.name}@{self.number}")

    def to_json(self) -> dict:
        return {
            "name": self.name,
            "version": self.number,
            "tags": list(self.tags),
            "note": self.note,
            "author": self.author,
            "created_at": self.created_at.isoformat(),
            "ruleset_version": self.ruleset_version,
            "deleted": self.deleted,
        }


@dataclass(frozen=True)
class Record:
    id: int
    scenario_name: str
    scenario: Mapping[str, Any]
    advice: Mapping[str, Any]
    ruleset_version: str
    ruleset_sha256: str
    marking: str
    author: str
    created_at: datetime
    files: Mapping[str, str]  # file name -> sha256

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "scenario_name": self.scenario_name,
            "scenario": dict(self.scenario),
            "advice": dict(self.advice),
            "ruleset": {"version": self.ruleset_version, "sha256": self.ruleset_sha256},
            "marking": self.marking,
            "author": self.author,
            "created_at": self.created_at.isoformat(),
            "files": dict(self.files),
        }


@dataclass(frozen=True)
class Change:
    """One top-level part of the advice that differs between a record and today's rule base."""

    part: str
    then: Any
    now: Any
    rules_then: tuple[str, ...]
    rules_now: tuple[str, ...]

    def to_json(self) -> dict:
        return {
            "part": self.part,
            "then": self.then,
            "now": self.now,
            "rules_then": list(self.rules_then),
            "rules_now": list(self.rules_now),
        }


@dataclass(frozen=True)
class Recheck:
    record: int
    ruleset_then: str
    ruleset_now: str
    changes: tuple[Change, ...]

    def to_json(self) -> dict:
        return {
            "record": self.record,
            "ruleset_then": self.ruleset_then,
            "ruleset_now": self.ruleset_now,
            "changed": bool(self.changes),
            "changes": [c.to_json() for c in self.changes],
        }


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(when: datetime) -> datetime:  # why: SQLite hands datetimes back without a zone
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _because(value: Any) -> tuple[str, ...]:
    """Every rule id under a `because` key anywhere in a piece of advice JSON."""
    found: list[str] = []
    if isinstance(value, Mapping):
        for key, inner in value.items():
            if key in ("because", "also_supported_by") and isinstance(inner, list):
                found.extend(str(r) for r in inner)
            else:
                found.extend(_because(inner))
    elif isinstance(value, list):
        for inner in value:
            found.extend(_because(inner))
    return tuple(dict.fromkeys(found))


@dataclass(frozen=True)
class Grant:
    identity: str
    role: str
    granted_by: str
    granted_at: datetime


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime
    actor: str
    role: str
    action: str
    subject: str

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "at": self.at.isoformat(),
            "actor": self.actor,
            "role": self.role,
            "action": self.action,
            "subject": self.subject,
        }


class Library:
    def __init__(self, engine: Engine | None = None, migrate: bool = True, actor: Actor | None = None):
        self.engine = engine or db.make_engine()
        self.actor = actor or Actor("local", "admin")
        if migrate:
            db.upgrade(self.engine)

    def as_actor(self, actor: Actor) -> Library:
        """The same database acting for someone else (one engine per server, one actor per session)."""
        return Library(self.engine, migrate=False, actor=actor)

    # -- who may do what ---------------------------------------------------------
    def _audit(self, conn, action: str, subject: str) -> None:
        conn.execute(
            insert(audit).values(
                at=_now(), actor=self.actor.name, role=self.actor.role, action=action, subject=subject[:2000]
            )
        )

    def log(self, action: str, subject: str = "") -> None:
        """An audit entry on its own (a sign-in); saves and records write theirs in their own transaction."""
        with self.engine.begin() as conn:
            self._audit(conn, action, subject)

    def audit_log(self, limit: int = 1000) -> tuple[AuditEntry, ...]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(audit).order_by(audit.c.id.desc()).limit(limit)).mappings().all()
        return tuple(
            AuditEntry(r["id"], _aware(r["at"]), r["actor"], r["role"], r["action"], r["subject"])
            for r in reversed(rows)
        )

    def role_of(self, identity: str) -> str | None:
        with self.engine.connect() as conn:
            return conn.execute(select(t_roles.c.role).where(t_roles.c.identity == identity)).scalar()

    def actor_for(self, identity: str, groups: Iterable[str] = ()) -> Actor:
        """The signed-in identity's role: granted in the database (an admin's decision for this one
        identity), else the highest ADVISOR_ROLES gives the identity or its identity-provider groups,
        else reader."""
        return Actor(identity, self.role_of(identity) or file_role(identity, groups) or "reader")

    def grant(self, identity: str, role: str) -> Grant:
        self.actor.require("grant")
        identity = identity.strip()
        if not identity or len(identity) > 320:
            raise AdvisorError(
                f"grant: an identity (e-mail or OIDC subject) must be 1 to 320 characters; got {len(identity)}"
            )
        if role not in ROLES:
            raise AdvisorError(f"grant: role {role!r} for {identity!r}: allowed roles are {', '.join(ROLES)}")
        when = _now()
        row: dict[str, Any] = dict(role=role, granted_by=self.actor.name, granted_at=when)
        with self.engine.begin() as conn:
            if conn.execute(select(t_roles.c.identity).where(t_roles.c.identity == identity)).first():
                conn.execute(update(t_roles).where(t_roles.c.identity == identity).values(**row))
            else:
                conn.execute(insert(t_roles).values(identity=identity, **row))
            self._audit(conn, "grant", f"{identity} -> {role}")
        return Grant(identity, role, self.actor.name, when)

    def grants(self) -> tuple[Grant, ...]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(t_roles).order_by(t_roles.c.identity)).mappings().all()
        return tuple(Grant(r["identity"], r["role"], r["granted_by"], _aware(r["granted_at"])) for r in rows)

    # -- the shared rule base (advisor/store/rulestore.py) ---------------------------
    def publish(
        self,
        store: RuleStore,
        files: Mapping[str, str],
        *,
        expected: int | None,
        knowledge_dir: str | Path,
        seed: str | Path | None = None,
        replace: bool = False,
        note: str = "",
    ) -> Published:
        """A new version of the shared rule base: the one in service (or `seed` before the first
        publish) with `files` (rule file name -> text) written over it, or only `files` and the
        manifest when `replace`. Validated strictly and its rule tests run before it serves.

        `expected`: the version number the draft started from (0 before the first publish);
        a publish made meanwhile refuses this one (ConflictError). None skips the check.
        """
        self.actor.require("publish")
        for name in files:
            if name != MANIFEST:
                check_name(Path(name).name)
        return self._new_rules(store, files, expected, Path(knowledge_dir), seed, replace, note, "publish")

    def restore_rules(
        self, store: RuleStore, number: int, *, expected: int | None, knowledge_dir: str | Path, note: str = ""
    ) -> Published:
        """Serve an earlier version again, as a new version (history is never rewritten)."""
        self.actor.require("publish")
        old = store.path(store.get(number).number)
        files = {
            p.relative_to(old).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(old.rglob("*"))
            if p.is_file() and p.name != MANIFEST
        }
        return self._new_rules(
            store, files, expected, Path(knowledge_dir), None, True, note or f"restored version {number}", "restore"
        )

    def _new_rules(
        self,
        store: RuleStore,
        files: Mapping[str, str],
        expected: int | None,
        knowledge_dir: Path,
        seed: str | Path | None,
        replace: bool,
        note: str,
        action: str,
    ) -> Published:
        with store.locked():
            store.sweep_stages()
            number = store.current()
            if expected is not None and expected != number:
                raise ConflictError(
                    f"rule base {store.root}: version {number} is in service, but this draft started "
                    f"from version {expected}; nothing was published — reload the rule base and publish again"
                )
            base = store.path(number) if number else (Path(seed) if seed is not None else None)
            if base is None:
                raise AdvisorError(f"rule base {store.root}: nothing published yet; give the rule base to start from")
            before = load_rulebase(base, knowledge_dir) if number or seed is not None else None
            staged = store.stage(base, files, replace)
            try:
                manifest = staged / MANIFEST
                text = manifest.read_text(encoding="utf-8") if manifest.is_file() else ""
                old_version = before.version if before else "none"
                stated = _stated_version(text)
                if (number or files) and (stated is None or stated == old_version):  # a change, a new version
                    manifest.write_text(with_version(text, bump(old_version)), encoding="utf-8")
                try:
                    rb, tests = strict_check(staged, knowledge_dir)
                except PublishRefused as err:
                    raise relative(err, staged) from None
                changed = _changed(base, staged) if number else tuple(files)
                meta = Published(
                    number=store.next_number(),
                    action=action if number or files else "init",
                    version=rb.version,
                    sha256=rb.sha256,
                    previous_version=old_version,
                    previous_sha256=before.sha256 if before else "",
                    author=self.actor.name,
                    at=_now(),
                    files=changed,
                    note=note,
                    tests=tests,
                )
                with self.engine.begin() as conn:  # why: the audit entry commits only if the swap happened
                    self._audit(
                        conn,
                        meta.action if meta.action != "init" else "publish",
                        f"rule base version {meta.number}: {meta.previous_version} "
                        f"(sha256 {meta.previous_sha256 or '-'}) -> {meta.version} (sha256 {meta.sha256})"
                        + (f"; {note}" if note else ""),
                    )
                    store.commit(staged, meta)
            except BaseException:
                store.discard(staged)
                raise
        return meta

    def rule_history(self, store: RuleStore) -> tuple[Published, ...]:
        return store.history()

    # -- private drafts (the Rule lab's editor, kept across reloads) --------------
    def keep_draft(self, kind: str, content: Any) -> None:
        """The acting user's draft of `kind` (one per user and kind), replaced on every call."""
        when = _now()
        with self.engine.begin() as conn:
            key = (drafts.c.owner == self.actor.name) & (drafts.c.kind == kind)
            if conn.execute(select(drafts.c.kind).where(key)).first():
                conn.execute(update(drafts).where(key).values(content=content, saved_at=when))
            else:
                conn.execute(insert(drafts).values(owner=self.actor.name, kind=kind, content=content, saved_at=when))

    def draft(self, kind: str) -> tuple[Any, datetime] | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(drafts.c.content, drafts.c.saved_at).where(
                    (drafts.c.owner == self.actor.name) & (drafts.c.kind == kind)
                )
            ).first()
        return (row[0], _aware(row[1])) if row else None

    # -- scenarios ---------------------------------------------------------------
    def save(
        self,
        scenario: Scenario,
        *,
        name: str | None = None,
        tags: Iterable[str] = (),
        note: str = "",
        author: str | None = None,
        ruleset_version: str = "",
        expected: int | None = None,
    ) -> Version:
        """Store a new version. `expected`: the version this edit started from (0 for a new
        scenario); None skips the check (imports, scripts)."""
        self.actor.require("save")
        author = author or self.actor.name
        name = (name or scenario.name).strip()
        if not name or len(name) > 200:
            raise AdvisorError(f"library: a scenario name must be 1 to 200 characters; got {len(name)}")
        tags = tuple(dict.fromkeys(str(t).strip() for t in tags if str(t).strip()))
        facts = scenario.to_dict()
        when = _now()
        try:
            with self.engine.begin() as conn:
                sid = conn.execute(select(t_scen.c.id).where(t_scen.c.name == name)).scalar()
                if sid is None:
                    sid = _new_id(conn.execute(insert(t_scen).values(name=name)).inserted_primary_key)
                else:
                    conn.execute(update(t_scen).where(t_scen.c.id == sid).values(deleted_at=None))
                latest = (
                    conn.execute(select(func.max(versions.c.number)).where(versions.c.scenario_id == sid)).scalar() or 0
                )
                if expected is not None and expected != latest:
                    raise ConflictError(
                        f"library: {name!r} is at version {latest}, but this edit started "
                        f"from version {expected}; nothing was overwritten — open both and "
                        f"save again"
                    )
                conn.execute(
                    insert(versions).values(
                        scenario_id=sid,
                        number=latest + 1,
                        facts=facts,
                        tags=list(tags),
                        note=note,
                        author=author,
                        created_at=when,
                        ruleset_version=ruleset_version,
                    )
                )
                self._audit(conn, "save", f"{name} v{latest + 1}")
        except IntegrityError as exc:  # a concurrent writer took the same version number first
            raise ConflictError(
                f"library: {name!r} was saved by someone else at the same moment; "
                f"nothing was overwritten — open it and save again"
            ) from exc
        return self.version(name, latest + 1)

    def _rows(self, *where, include_deleted: bool = False):
        q = (
            select(t_scen.c.name, t_scen.c.deleted_at, versions)
            .join(versions, versions.c.scenario_id == t_scen.c.id)
            .where(*where)
            .order_by(t_scen.c.name, versions.c.number)
        )
        if not include_deleted:
            q = q.where(t_scen.c.deleted_at.is_(None))
        with self.engine.connect() as conn:
            for row in conn.execute(q).mappings():
                yield Version(
                    name=row["name"],
                    number=row["number"],
                    tags=tuple(row["tags"]),
                    note=row["note"],
                    author=row["author"],
                    created_at=_aware(row["created_at"]),
                    ruleset_version=row["ruleset_version"],
                    facts=row["facts"],
                    deleted=row["deleted_at"] is not None,
                )

    def versions(self, name: str, include_deleted: bool = False) -> tuple[Version, ...]:
        found = tuple(self._rows(t_scen.c.name == name, include_deleted=include_deleted))
        if not found:
            known = [v.name for v in self.list(include_deleted=True)]
            from ..errors import did_you_mean

            hint = did_you_mean(name, known)
            raise AdvisorError(f"library: no scenario named {name!r}" + (f"; did you mean {hint!r}?" if hint else ""))
        return found

    def version(self, name: str, number: int | None = None) -> Version:
        found = self.versions(name)
        if number is None:
            return found[-1]
        for ver in found:
            if ver.number == number:
                return ver
        raise AdvisorError(f"library: {name!r} has versions 1 to {found[-1].number}; there is no version {number}")

    def list(self, include_deleted: bool = False) -> tuple[Version, ...]:
        latest: dict[str, Version] = {}
        for ver in self._rows(include_deleted=include_deleted):
            latest[ver.name] = ver
        return tuple(latest.values())

    def _set_deleted(self, name: str, when: datetime | None) -> None:
        self.actor.require("delete")
        self.versions(name, include_deleted=True)  # names the scenario when it does not exist
        with self.engine.begin() as conn:
            conn.execute(update(t_scen).where(t_scen.c.name == name).values(deleted_at=when))
            self._audit(conn, "delete" if when else "undelete", name)

    def delete(self, name: str) -> None:
        self._set_deleted(name, _now())

    def undelete(self, name: str) -> None:
        self._set_deleted(name, None)

    def search(
        self, text: str = "", tag: str | None = None, facts: Mapping[str, Any] | None = None
    ) -> tuple[Version, ...]:
        """Latest versions whose name contains `text`, carrying `tag`, with every given fact value."""
        out = []
        for ver in self.list():
            if text and text.lower() not in ver.name.lower():
                continue
            if tag and tag not in ver.tags:
                continue
            if facts:
                scen = ver.scenario()
                if any(str(scen.get(path)) != str(want) for path, want in facts.items()):
                    continue
            out.append(ver)
        return tuple(out)

    def diff(self, name: str, a: int, b: int, rulebase: RuleBase):
        """Facts and advice that differ between two versions, with the rules behind each."""
        from ..explain.diff import compare

        first, second = self.version(name, a).scenario(), self.version(name, b).scenario()
        return compare(rulebase, (first, second))

    def export(self, name: str | None, target: Path) -> tuple[Path, ...]:
        """One scenario to a .yaml file, or (name None) every scenario into a folder."""
        chosen = [self.version(name)] if name else list(self.list())
        if name and target.suffix in (".yaml", ".yml"):
            paths = [target]
        else:
            target.mkdir(parents=True, exist_ok=True)
            paths = [target / (_file_stem(v.name) + ".yaml") for v in chosen]
        for ver, path in zip(chosen, paths):
            data = {"name": ver.name, **{k: val for k, val in ver.facts.items() if k != "name"}}
            path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
        return tuple(paths)

    def import_(
        self, source: Path, *, author: str | None = None, tags: Iterable[str] = (), ruleset_version: str = ""
    ) -> tuple[Version, ...]:
        """Every scenario file given (one file or a folder's *.yaml); all load before any is saved."""
        files = sorted(source.glob("*.yaml")) + sorted(source.glob("*.yml")) if source.is_dir() else [source]
        if not files:
            raise AdvisorError(f"library import: {source} holds no .yaml files")
        self.actor.require("save")
        loaded = [scenarios.load(path) for path in files]  # why: nothing half-imports on a bad file
        return tuple(
            self.save(s, tags=tags, note=f"imported from {path.name}", author=author, ruleset_version=ruleset_version)
            for s, path in zip(loaded, files)
        )

    # -- briefing records --------------------------------------------------------
    def record(
        self,
        scenario: Scenario,
        rulebase: RuleBase,
        *,
        marking: str = "",
        author: str | None = None,
        files: Mapping[str, bytes] | None = None,
    ) -> Record:
        self.actor.require("record")
        author = author or self.actor.name
        advice = advise(rulebase, scenario)
        hashes = {fname: hashlib.sha256(data).hexdigest() for fname, data in (files or {}).items()}
        with self.engine.begin() as conn:
            rid = _new_id(
                conn.execute(
                    insert(records).values(
                        scenario_name=scenario.name,
                        scenario=scenario.to_dict(),
                        advice=advice.to_json(),
                        ruleset_version=rulebase.version,
                        ruleset_sha256=rulebase.sha256,
                        marking=marking,
                        author=author,
                        created_at=_now(),
                        files=hashes,
                    )
                ).inserted_primary_key
            )
            self._audit(conn, "record", f"record {rid}: {scenario.name}")
        return self.get_record(rid)

    def records(self) -> tuple[Record, ...]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(records).order_by(records.c.id)).mappings().all()
        return tuple(_record(r) for r in rows)

    def get_record(self, rid: int) -> Record:
        with self.engine.connect() as conn:
            row = conn.execute(select(records).where(records.c.id == rid)).mappings().first()
        if row is None:
            raise AdvisorError(f"records: there is no record {rid}")
        return _record(row)

    def recheck(self, rid: int, rulebase: RuleBase) -> Recheck:
        rec = self.get_record(rid)
        now = advise(rulebase, scenarios.from_mapping(dict(rec.scenario), source=f"record:{rid}")).to_json()
        then = dict(rec.advice)
        changes = []
        for part in dict.fromkeys([*then, *now]):
            if part in ("ruleset", "scenario"):
                continue
            if then.get(part) != now.get(part):
                changes.append(
                    Change(part, then.get(part), now.get(part), _because(then.get(part)), _because(now.get(part)))
                )
        return Recheck(
            rid,
            f"{rec.ruleset_version} ({rec.ruleset_sha256[:12]})",
            f"{rulebase.version} ({rulebase.sha256[:12]})",
            tuple(changes),
        )


def _record(row) -> Record:
    return Record(
        id=row["id"],
        scenario_name=row["scenario_name"],
        scenario=row["scenario"],
        advice=row["advice"],
        ruleset_version=row["ruleset_version"],
        ruleset_sha256=row["ruleset_sha256"],
        marking=row["marking"],
        author=row["author"],
        created_at=_aware(row["created_at"]),
        files=row["files"],
    )


def _new_id(key) -> int:
    """The primary key an INSERT made (SQLAlchemy types it optional: None only for a table without one)."""
    if key is None:
        raise AdvisorError("the database returned no id for a new row")
    return int(key[0])


def _stated_version(manifest_text: str) -> str | None:
    try:
        data = yaml.safe_load(manifest_text) if len(manifest_text) < 100_000 else None
    except yaml.YAMLError:
        return None  # strict_check names the broken manifest
    version = data.get("version") if isinstance(data, dict) else None
    return None if version is None else str(version)


def _changed(old: Path, new: Path) -> tuple[str, ...]:
    """Files added, changed or removed between two rules directories (the manifest left out)."""

    def files(root: Path) -> dict[str, bytes]:
        return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}

    a, b = files(old), files(new)
    return tuple(sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k) and k != MANIFEST))


def _file_stem(name: str) -> str:
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in name).strip("_")
    return (safe or "scenario")[:80]
