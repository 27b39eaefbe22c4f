"""Alembic environment: the engine is handed in by advisor.store.db, never read from an ini file."""
from alembic import context

engine = context.config.attributes["engine"]
with engine.begin() as connection:
    context.configure(connection=connection, target_metadata=None)
    with context.begin_transaction():
        context.run_migrations()
