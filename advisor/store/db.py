"""Where the database lives and how it is brought up to date.

Default: a SQLite file in the user's data directory (platformdirs), overridable with
ADVISOR_DATA_DIR; a team server sets ADVISOR_DATABASE_URL (postgresql+psycopg://...).
Migrations ship inside the package and run whenever a store is opened.
"""

from __future__ import annotations

import os
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine

from ..errors import AdvisorError

MIGRATIONS = Path(__file__).with_name("migrations")


def data_dir() -> Path:
    given = os.environ.get("ADVISOR_DATA_DIR")
    if given:
        return Path(given)
    import platformdirs

    return Path(platformdirs.user_data_dir("ibm-advisor", appauthor=False))


def database_url() -> str:
    url = os.environ.get("ADVISOR_DATABASE_URL")
    if url:
        return url
    folder = data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'advisor.sqlite3'}"


def make_engine(url: str | None = None) -> Engine:
    url = url or database_url()
    if url.startswith("postgresql://"):  # psycopg 3, not the psycopg2 default
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    engine = create_engine(url, future=True)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _pragmas(conn, _record):  # why: FKs off by default; WAL lets readers run beside a writer
            cur = conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.close()

    return engine


def alembic_config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    try:
        command.upgrade(alembic_config(engine), revision)
    except Exception as exc:  # why: a bad URL or unreachable server is a user error, named
        raise AdvisorError(
            f"database {engine.url.render_as_string(hide_password=True)}: cannot migrate to {revision}: {exc}"
        ) from exc


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()
