"""Alembic environment: the schema of every badgeforge table, on SQLite or PostgreSQL."""

from alembic import context
from sqlalchemy import Connection

from badgeforge.app import import_all_models
from badgeforge.db import Base, make_engine
from badgeforge.settings import Settings

import_all_models()
target_metadata = Base.metadata


def _pragma(connection: Connection, statement: str) -> None:
    """Run a pragma outside any transaction (inside one, SQLite ignores foreign_keys)."""
    if connection.in_transaction():
        connection.commit()
    connection.connection.driver_connection.execute(statement)  # type: ignore[union-attr]


def _run(connection: Connection) -> None:
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        # SQLite alters a table by rebuilding it: dropping the old one must neither cascade
        # nor fail on the rows that reference it. Foreign keys are checked once at the end.
        _pragma(connection, "PRAGMA foreign_keys=OFF")
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=sqlite,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
        if sqlite:
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
            if broken:
                raise RuntimeError(f"the migration broke foreign keys: {broken[:5]}")
    if sqlite:
        _pragma(connection, "PRAGMA foreign_keys=ON")


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
