"""advisor db upgrade|backup|restore: the library database (ADVISOR_DATABASE_URL or the SQLite file)."""
from __future__ import annotations

from pathlib import Path


def register(sub, common) -> None:
    p = sub.add_parser("db", parents=[common], help="the library database: upgrade, backup, restore")
    acts = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    acts.add_parser("upgrade", parents=[common], help="run the migrations up to the newest schema")
    a = acts.add_parser("backup", parents=[common], help="write every scenario and record to a JSON file")
    a.add_argument("file")
    a = acts.add_parser("restore", parents=[common], help="load a backup into an empty database")
    a.add_argument("file")
    p.set_defaults(func=run)


def run(args) -> int:
    from ..store import backup, db
    engine = db.make_engine()
    if args.action == "upgrade":
        db.upgrade(engine)
        print(f"{engine.url.render_as_string(hide_password=True)}: at revision {db.current_revision(engine)}")
    else:
        counts = getattr(backup, args.action)(engine, Path(args.file))
        print(f"{args.action}: " + ", ".join(f"{n} {t}" for t, n in counts.items()))
    return 0
