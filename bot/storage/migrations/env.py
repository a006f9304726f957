"""Alembic environment: always handed a connection by bot.storage.migrate, never reads alembic.ini."""

from alembic import context

from bot.storage.orm import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
