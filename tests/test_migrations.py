"""Alembic is the only schema source: upgrade from empty, downgrade back, no drift from models."""

from collections.abc import Iterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from badgeforge.app import import_all_models
from badgeforge.db import Base, make_engine
from badgeforge.migrate import downgrade, upgrade
from tests.conftest import BACKENDS, scratch_postgres_database

TABLES = {"organisation", "api_key", "issuer", "badge_class", "award", "idempotent_request"}


@pytest.fixture(params=BACKENDS)
def empty_database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('migrations') / 'm.db'}"
        return
    with scratch_postgres_database("migrations") as url:
        yield url


def test_upgrade_from_empty_then_downgrade_to_empty(empty_database: str) -> None:
    upgrade(empty_database)
    engine = make_engine(empty_database)
    try:
        assert set(inspect(engine).get_table_names()) >= TABLES
        import_all_models()
        with engine.connect() as connection:
            drift = compare_metadata(MigrationContext.configure(connection), Base.metadata)
        assert drift == [], f"models and migrations differ: {drift}"
        downgrade(empty_database, "base")
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        upgrade(empty_database)
        assert set(inspect(engine).get_table_names()) >= TABLES
    finally:
        engine.dispose()
