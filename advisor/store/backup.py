"""Backup and restore as one JSON file, the same on SQLite and PostgreSQL (and between them)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from sqlalchemy import DateTime, func, insert, select, text
from sqlalchemy.engine import Engine

from ..errors import AdvisorError
from . import db
from .tables import metadata

FORMAT = "advisor-backup/1"
ORDER = ("scenarios", "scenario_versions", "records", "roles", "audit", "drafts")  # parents before children


def backup(engine: Engine, target: Path) -> dict[str, int]:
    db.upgrade(engine)
    out: dict = {"format": FORMAT, "revision": db.current_revision(engine), "tables": {}}
    with engine.connect() as conn:  # one read transaction: a consistent snapshot
        for name in ORDER:
            table = metadata.tables[name]
            rows = conn.execute(select(table).order_by(*table.primary_key.columns)).mappings().all()
            out["tables"][name] = [
                {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in r.items()} for r in rows
            ]
    tmp = target.with_name(target.name + ".part")
    tmp.write_text(json.dumps(out, ensure_ascii=False), encoding="utf-8")
    tmp.replace(target)  # why: a crash mid-write never leaves a truncated backup under the real name
    return {k: len(v) for k, v in out["tables"].items()}


def restore(engine: Engine, source: Path) -> dict[str, int]:
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise AdvisorError(f"{source}: not a readable advisor backup: {exc}") from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise AdvisorError(f"{source}: not an advisor backup (expected format {FORMAT!r})")
    db.upgrade(engine)
    with engine.begin() as conn:  # all or nothing
        for name in ORDER:
            if conn.execute(select(func.count()).select_from(metadata.tables[name])).scalar():
                raise AdvisorError(f"db restore: table {name} is not empty; restore into an empty database")
        for name in ORDER:
            table = metadata.tables[name]
            rows = data.get("tables", {}).get(name, [])
            stamps = [c.name for c in table.columns if isinstance(c.type, DateTime)]
            for row in rows:
                for col in stamps:
                    if row.get(col):
                        row[col] = datetime.fromisoformat(row[col])
            if rows:
                conn.execute(insert(table), rows)
            if engine.dialect.name == "postgresql" and "id" in table.c:  # why: explicit ids leave the sequence behind
                conn.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                        f"COALESCE((SELECT MAX(id) FROM {name}), 0) + 1, false)"
                    )
                )
    return {name: len(data.get("tables", {}).get(name, [])) for name in ORDER}
