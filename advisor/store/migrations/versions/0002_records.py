"""Briefing records: append-only; on PostgreSQL a trigger refuses UPDATE and DELETE."""
from alembic import op
import sqlalchemy as sa

revision = "0002"
down_revision = "0001"


def upgrade():
    op.create_table(
        "records",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("scenario_name", sa.String(200), nullable=False),
        sa.Column("scenario", sa.JSON, nullable=False),
        sa.Column("advice", sa.JSON, nullable=False),
        sa.Column("ruleset_version", sa.String(200), nullable=False),
        sa.Column("ruleset_sha256", sa.String(64), nullable=False),
        sa.Column("marking", sa.String(200), nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("files", sa.JSON, nullable=False),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("""
            CREATE FUNCTION records_append_only() RETURNS trigger AS $$
            BEGIN RAISE EXCEPTION 'briefing records are append-only'; END $$ LANGUAGE plpgsql""")
        op.execute("""CREATE TRIGGER records_append_only BEFORE UPDATE OR DELETE ON records
                      FOR EACH ROW EXECUTE FUNCTION records_append_only()""")
    else:
        for what in ("UPDATE", "DELETE"):
            op.execute(f"""CREATE TRIGGER records_no_{what.lower()} BEFORE {what} ON records
                           BEGIN SELECT RAISE(ABORT, 'briefing records are append-only'); END""")
