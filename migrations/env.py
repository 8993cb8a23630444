"""Alembic environment: the schema of every badgeforge table, on SQLite or PostgreSQL."""

from alembic import context
from sqlalchemy import Connection

from badgeforge.app import import_all_models
from badgeforge.db import Base, make_engine
from badgeforge.settings import Settings

import_all_models()
target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = context.config.get_main_option("sqlalchemy.url") or Settings().resolved_database_url
    engine = make_engine(url)
    try:
        with engine.connect() as new_connection:
            _run(new_connection)
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("badgeforge migrations run online only (alembic upgrade head).")
run_migrations_online()
