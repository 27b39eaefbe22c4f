"""Storage: a scenario library and append-only briefing records on SQLAlchemy 2 + Alembic."""
