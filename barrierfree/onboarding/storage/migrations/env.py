"""Alembic environment: runs on the engine that :func:`db.upgrade` passes in."""

from alembic import context
from sqlalchemy import create_engine

from barrierfree.onboarding.storage.db import Base

config = context.config
engine = config.attributes.get("engine") or create_engine(config.get_main_option("sqlalchemy.url"))

with engine.connect() as connection:
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
