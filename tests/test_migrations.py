"""Alembic is the only schema source: upgrade from empty, downgrade back, no drift from models."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, select, text

from badgeforge.app import import_all_models
from badgeforge.awards.models import Award
from badgeforge.badge_classes.models import BadgeClass, BadgeClassVersion
from badgeforge.db import Base, make_engine, make_sessionmaker
from badgeforge.migrate import downgrade, upgrade
from badgeforge.settings import Settings
from tests.conftest import BACKENDS, scratch_postgres_database
from tests.factories import create_award, create_badge_class, create_issuer, create_tenant

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


def test_badge_classes_become_version_1_and_their_awards_point_at_it(
    empty_database: str, tmp_path: Path
) -> None:
    """Migration 0010: data made before versions survives a downgrade and comes back."""
    upgrade(empty_database)
    engine = make_engine(empty_database)
    settings = Settings(data_dir=tmp_path, rate_limits=False)
    try:
        with make_sessionmaker(engine)() as session, session.begin():
            tenant = create_tenant(session)
            issuer = create_issuer(session, tenant)
            badge_class = create_badge_class(session, tenant, settings, issuer.id)
            award = create_award(session, tenant, settings, badge_class.id)
            badge_class_id, award_id = badge_class.id, award.id
        downgrade(empty_database, "0009")
        with engine.connect() as connection:
            row = connection.execute(
                text("SELECT name, description, criteria_narrative FROM badge_class")
            ).one()
        assert tuple(row) == (
            "Sécurité et hygiène au travail",
            "Applique les règles de sécurité et d'hygiène.",
            "- Porte les EPI",
        )
        upgrade(empty_database)
        with make_sessionmaker(engine)() as session:
            migrated = session.get_one(BadgeClass, badge_class_id)
            version = session.scalars(select(BadgeClassVersion)).one()
            assert (migrated.state, migrated.published_number, version.number) == (
                "published",
                1,
                1,
            )
            assert version.content["criteria"] == {"narrative": "- Porte les EPI", "url": None}
            assert version.published_at is not None
            assert session.get_one(Award, award_id).badge_class_version_id == version.id
    finally:
        engine.dispose()
