"""Table shapes as the migrations leave them (one place for the code to name columns)."""

from sqlalchemy import JSON, Column, DateTime, ForeignKey, Integer, MetaData, String, Table, Text

metadata = MetaData()

scenarios = Table(
    "scenarios",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("deleted_at", DateTime(timezone=True)),
)

versions = Table(
    "scenario_versions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("scenario_id", Integer, ForeignKey("scenarios.id"), nullable=False),
    Column("number", Integer, nullable=False),
    Column("facts", JSON, nullable=False),
    Column("tags", JSON, nullable=False),
    Column("note", Text, nullable=False),
    Column("author", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("ruleset_version", String(200), nullable=False),
)

records = Table(
    "records",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("scenario_name", String(200), nullable=False),
    Column("scenario", JSON, nullable=False),
    Column("advice", JSON, nullable=False),
    Column("ruleset_version", String(200), nullable=False),
    Column("ruleset_sha256", String(64), nullable=False),
    Column("marking", String(200), nullable=False),
    Column("author", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("files", JSON, nullable=False),
)

roles = Table(
    "roles",
    metadata,
    Column("identity", String(320), primary_key=True),
    Column("role", String(20), nullable=False),
    Column("granted_by", String(320), nullable=False),
    Column("granted_at", DateTime(timezone=True), nullable=False),
)

audit = Table(
    "audit",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", String(320), nullable=False),
    Column("role", String(20), nullable=False),
    Column("action", String(40), nullable=False),
    Column("subject", Text, nullable=False),
)

drafts = Table(
    "drafts",
    metadata,
    Column("owner", String(320), primary_key=True),
    Column("kind", String(40), primary_key=True),
    Column("content", JSON, nullable=False),
    Column("saved_at", DateTime(timezone=True), nullable=False),
)
