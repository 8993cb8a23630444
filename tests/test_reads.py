"""Single-statement reads (``db.Reads``): autocommit connections never serve stale rows, never
leave a transaction open, and give the pool's connections back as they found them."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from badgeforge.access import service as access_service
from badgeforge.app import create_app
from badgeforge.db import HeldReads, make_engine, make_sessionmaker, read_engine
from badgeforge.migrate import upgrade
from badgeforge.security import Scope
from badgeforge.settings import Settings
from tests.conftest import BACKENDS, TEST_BASE_URL, scratch_postgres_database

COUNT = text("SELECT count(*) FROM note")


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A scratch database of each backend (its own file or PostgreSQL database)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'reads.db'}"
        return
    with scratch_postgres_database("reads") as url:
        yield url


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """An engine on a scratch database with one table, ``note``."""
    engine = make_engine(database_url)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE note (id INTEGER PRIMARY KEY)"))
    yield engine
    engine.dispose()


def add_note(engine: Engine, identifier: int) -> None:
    with make_sessionmaker(engine, writer=True)() as session, session.begin():
        session.execute(text("INSERT INTO note (id) VALUES (:id)"), {"id": identifier})


def in_transaction(driver_connection: Any) -> bool:
    """Whether the driver's connection has a transaction open (sqlite3 or psycopg)."""
    if hasattr(driver_connection, "in_transaction"):
        return bool(driver_connection.in_transaction)
    return str(driver_connection.info.transaction_status.name) != "IDLE"


class TestHeldReads:
    def test_a_held_connection_reads_what_was_committed_after_it_opened(
        self, engine: Engine
    ) -> None:
        held = HeldReads(engine)
        connection = held.connection()
        assert connection.scalar(COUNT) == 0
        add_note(engine, 1)
        assert held.connection() is connection
        assert held.connection().scalar(COUNT) == 1
        add_note(engine, 2)
        assert held.connection().execute(COUNT).first() == (2,)
        held.close()

    def test_a_read_leaves_no_transaction_open(self, engine: Engine) -> None:
        held = HeldReads(engine)
        connection = held.connection()
        connection.execute(text("SELECT id FROM note")).all()
        connection.scalar(COUNT)
        assert not in_transaction(connection.connection.driver_connection)
        held.close()

    def test_discard_opens_a_new_connection_and_close_returns_them_all(
        self, engine: Engine
    ) -> None:
        held = HeldReads(engine)
        first = held.connection()
        held.discard()
        assert first.closed
        second = held.connection()
        assert second is not first
        assert engine.pool.checkedout() == 1  # type: ignore[attr-defined]
        held.close()
        assert second.closed
        assert engine.pool.checkedout() == 0  # type: ignore[attr-defined]


def test_pooled_connections_get_their_transactions_back(engine: Engine) -> None:
    """Autocommit is undone when a read connection returns to the pool that sessions share."""
    with read_engine(engine).connect() as connection:
        connection.scalar(COUNT)
        assert not in_transaction(connection.connection.driver_connection)
    with make_sessionmaker(engine)() as session:
        session.execute(COUNT)
        driver_connection = session.connection().connection.driver_connection
        assert in_transaction(driver_connection)


@pytest.fixture
def app(database_url: str, tmp_path: Path) -> Iterator[tuple[TestClient, Engine]]:
    """The service on a migrated scratch database, without test overrides, and a client
    holding an admin key."""
    upgrade(database_url)
    engine = make_engine(database_url)
    with make_sessionmaker(engine)() as session, session.begin():
        organisation = access_service.create_organisation(session, "ESAT Lectures")
        _, token = access_service.create_key(session, organisation.id, "tests", [Scope.ADMIN])
    settings = Settings(
        data_dir=tmp_path,
        database_url=database_url,
        public_base_url=TEST_BASE_URL,  # type: ignore[arg-type]
        rate_limits=False,
    )
    with TestClient(create_app(settings, engine=engine)) as client:
        client.headers["Authorization"] = f"Bearer {token}"
        yield client, engine
    engine.dispose()


def test_public_reads_answer_the_latest_state_without_a_unit_of_work(
    app: tuple[TestClient, Engine],
) -> None:
    client, engine = app
    issuer = client.post(
        "/api/v1/issuers",
        json={"name": "ESAT Lectures", "url": "https://lectures.example.fr", "email": "a@b.fr"},
    ).json()
    badge_class = client.post(
        "/api/v1/badge-classes",
        json={
            "issuer_id": issuer["id"],
            "name": "Accueillir un visiteur",
            "description": "Accueille et oriente les visiteurs.",
            "criteria": {"narrative": "Observé en situation."},
            "publish": True,
        },
    ).json()
    body = {"badge_class_id": badge_class["id"], "recipient_email": "lou@example.org"}
    award = client.post("/api/v1/awards", json=body).json()
    paths = [
        f"/ob2/assertions/{award['id']}",
        f"/ob2/assertions/{award['id']}/baked.png",
        f"/ob3/credentials/{award['id']}",
        "/health",
    ]
    for _ in range(3):
        for path in paths:
            assert client.get(path).status_code == 200, path
    # SQLite: one connection held by the loop's thread; PostgreSQL: every one given back.
    sqlite = engine.dialect.name == "sqlite"
    assert engine.pool.checkedout() == (1 if sqlite else 0)  # type: ignore[attr-defined]

    revoked = client.post(f"/api/v1/awards/{award['id']}/revoke", json={"reason": "Erreur."})
    assert revoked.status_code == 200, revoked.text
    gone = client.get(paths[0])
    assert gone.status_code == 410
    assert gone.json() == {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "Assertion",
        "id": f"{TEST_BASE_URL}/ob2/assertions/{award['id']}",
        "revoked": True,
        "revocationReason": "Erreur.",
    }
    assert client.get(paths[1]).status_code == 410
    assert client.get(f"/ob2/assertions/{award['id']}/signed").status_code == 200
    missing = client.get("/ob2/assertions/00000000-0000-4000-8000-000000000000")
    assert missing.status_code == 404
    assert missing.headers["Content-Type"] == "application/problem+json"


def test_a_broken_held_connection_is_replaced(app: tuple[TestClient, Engine]) -> None:
    client, engine = app
    if engine.dialect.name != "sqlite":
        pytest.skip("connections are held on SQLite only (reads run on the loop's thread)")
    held: HeldReads = client.app.state.held_reads  # type: ignore[attr-defined]
    assert client.get("/health").status_code == 200
    (served,) = held.opened
    served.connection.driver_connection.close()  # type: ignore[union-attr]
    assert client.get("/health").status_code == 200  # answered again on a pooled connection
    assert served.closed
    assert held.opened == ()
    assert client.get("/health").status_code == 200
    (replacement,) = held.opened
    assert replacement is not served
