"""Shared fixtures: a migrated database per backend, a rolled-back session per test, clients.

Every database test runs on SQLite and, when ``BADGEFORGE_TEST_POSTGRES_URL`` is set (the
test command sets it when a server is reachable), on PostgreSQL too. The schema comes from
``alembic upgrade head``, never from ``metadata.create_all``.
"""

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, make_url
from sqlalchemy.orm import Session

from badgeforge.app import create_app
from badgeforge.db import get_reads, get_session, make_engine
from badgeforge.migrate import upgrade
from badgeforge.settings import Settings
from tests.live_server import LiveServer, live_server
from tests.pages.axe import browser, require_chromium

POSTGRES_URL = os.environ.get("BADGEFORGE_TEST_POSTGRES_URL", "")
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)]
TEST_BASE_URL = "http://testserver"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if POSTGRES_URL:
        return
    if os.environ.get("BADGEFORGE_TEST_REQUIRE_POSTGRES"):
        raise pytest.UsageError("BADGEFORGE_TEST_REQUIRE_POSTGRES is set but no PostgreSQL URL")
    skip = pytest.mark.skip(reason="set BADGEFORGE_TEST_POSTGRES_URL to run on PostgreSQL")
    for item in items:
        if "postgresql" in item.keywords:
            item.add_marker(skip)


@contextmanager
def scratch_postgres_database(purpose: str) -> Iterator[str]:
    """A new, empty database on the test server, dropped afterwards.

    Named after the configured database, ``purpose`` and this process, so that test runs
    sharing one server (developers, CI, parallel sessions) never touch each other's data.
    """
    server = make_url(POSTGRES_URL)
    name = f"{server.database}_{purpose}_{os.getpid()}"
    admin = make_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
        yield server.set(database=name).render_as_string(hide_password=False)
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        admin.dispose()


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
        return
    with scratch_postgres_database("suite") as url:
        yield url


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    upgrade(database_url)
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session whose work, commits included, is rolled back after the test."""
    with engine.connect() as connection:
        outer = connection.begin()
        session = Session(
            bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
        )
        try:
            yield session
        finally:
            session.close()
            outer.rollback()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    # No rate limits: their counters commit apart, which the rolled-back test session's
    # SQLite write lock would block (tests/test_ratelimit.py tests them on their own engines).
    return Settings(
        data_dir=tmp_path,
        public_base_url=TEST_BASE_URL,  # type: ignore[arg-type]
        rate_limits=False,
    )


@pytest.fixture
def client(settings: Settings, engine: Engine, session: Session) -> Iterator[TestClient]:
    """An HTTP client on an app whose requests share the test's rolled-back session."""
    app = create_app(settings, engine=engine)

    def test_session() -> Iterator[Session]:
        session.commit()  # keep the test's own set-up; a failing request rolls back only itself
        try:
            yield session
            session.commit()
        except Exception:
            session.rollback()
            raise

    app.dependency_overrides[get_session] = test_session
    app.dependency_overrides[get_reads] = test_session  # the test's rows are uncommitted
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def page_server(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[LiveServer]:
    """A live server for one module's browser tests (Debian's Chromium required)."""
    require_chromium()
    with live_server(
        tmp_path_factory.mktemp(request.module.__name__.rsplit(".", 1)[-1])
    ) as running:
        yield running


@pytest.fixture(scope="module")
def chromium(page_server: LiveServer) -> Iterator[Any]:
    """Debian's headless Chromium under Playwright, for one module's pages."""
    with browser() as launched:
        yield launched
