"""advisor db upgrade|backup|restore|grant|roles|audit: the library database (ADVISOR_DATABASE_URL or the SQLite file)."""

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
    a = acts.add_parser("grant", parents=[common], help="give a signed-in identity (e-mail or OIDC subject) a role")
    a.add_argument("identity")
    a.add_argument("role", help="reader, planner, author or admin")
    acts.add_parser("roles", parents=[common], help="the roles granted in the database")
    a = acts.add_parser("audit", parents=[common], help="the audit log: saves, records, grants, sign-ins")
    a.add_argument("--limit", type=int, default=100)
    p.set_defaults(func=run)


def run(args) -> int:
    from ..store import backup, db

    engine = db.make_engine()
    if args.action in ("grant", "roles", "audit"):
        return _team(args, engine)
    if args.action == "upgrade":
        db.upgrade(engine)
        print(f"{engine.url.render_as_string(hide_password=True)}: at revision {db.current_revision(engine)}")
    else:
        counts = getattr(backup, args.action)(engine, Path(args.file))
        print(f"{args.action}: " + ", ".join(f"{n} {t}" for t, n in counts.items()))
    return 0


def _team(args, engine) -> int:
    from ..store.library import Library
    from ..store.roles import actor

    lib = Library(engine, actor=actor())  # why: the shell user's own role (admin unless ADVISOR_ROLES)
    if args.action == "grant":
        g = lib.grant(args.identity, args.role)
        print(f"{g.identity}: {g.role} (granted by {g.granted_by})")
    elif args.action == "roles":
        for g in lib.grants():
            print(f"{g.identity}\t{g.role}\t{g.granted_by}\t{g.granted_at:%Y-%m-%d %H:%M}")
    else:
        for e in lib.audit_log(max(1, args.limit)):
            print(f"{e.at:%Y-%m-%d %H:%M:%S}\t{e.actor} ({e.role})\t{e.action}\t{e.subject}")
    return 0
