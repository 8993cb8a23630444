"""An API key's last use is recorded at most once a minute, outside the request's transaction."""

import sqlite3
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event, select
from sqlalchemy.orm import Session

from badgeforge.access.keys import ApiKeyStore
from badgeforge.access.models import ApiKey
from badgeforge.app import create_app
from badgeforge.db import make_engine, make_sessionmaker, utcnow
from badgeforge.key_usage import KeyUsage, key_usage
from badgeforge.migrate import upgrade
from badgeforge.security import Scope, parse_prefix
from badgeforge.settings import Settings
from tests.factories import create_key, create_tenant

START = datetime(2026, 11, 27, 9, 0, tzinfo=utcnow().tzinfo)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


def key_of(session: Session, token: str) -> ApiKey:
    key = session.scalar(
        select(ApiKey)
        .where(ApiKey.prefix == parse_prefix(token))
        .execution_options(populate_existing=True)
    )
    assert key is not None
    return key


@pytest.fixture
def clock(client: TestClient) -> Clock:
    clock = Clock()
    usage = KeyUsage(ApiKeyStore(), clock=clock)
    client.app.dependency_overrides[key_usage] = lambda: usage  # type: ignore[attr-defined]
    return clock


@pytest.fixture
def writes(engine: Engine, session: Session) -> Iterator[list[str]]:
    """Every UPDATE of api_key sent to the database, and every flush of a changed key."""
    seen: list[str] = []

    def on_execute(*args: Any) -> None:
        statement = str(args[2])
        if statement.lstrip().upper().startswith("UPDATE API_KEY"):
            seen.append(statement)

    def on_flush(flushing: Session, *_: Any) -> None:
        seen.extend(f"flush {key.id}" for key in flushing.dirty if isinstance(key, ApiKey))

    event.listen(engine, "before_cursor_execute", on_execute)
    event.listen(session, "before_flush", on_flush)
    yield seen
    event.remove(engine, "before_cursor_execute", on_execute)
    event.remove(session, "before_flush", on_flush)


def test_last_use_is_recorded_at_most_once_a_minute(
    client: TestClient, session: Session, clock: Clock, writes: list[str]
) -> None:
    tenant = create_tenant(session)
    token = create_key(session, tenant, Scope.READ)
    headers = {"Authorization": f"Bearer {token}"}

    assert client.get("/api/v1/awards", headers=headers).status_code == 200
    assert key_of(session, token).last_used_at == START
    assert len(writes) == 1
    assert not writes[0].startswith("flush")

    for seconds in (1, 30, 59):
        clock.now = START + timedelta(seconds=seconds)
        assert client.get("/api/v1/awards", headers=headers).status_code == 200
    assert key_of(session, token).last_used_at == START
    assert len(writes) == 1  # reads within the minute wrote nothing

    clock.now = START + timedelta(seconds=60)
    assert client.get("/api/v1/organisation", headers=headers).status_code == 200
    assert key_of(session, token).last_used_at == clock.now
    assert len(writes) == 2


def test_a_recent_stored_use_is_not_written_again(
    client: TestClient, session: Session, clock: Clock, writes: list[str]
) -> None:
    tenant = create_tenant(session)
    token = create_key(session, tenant, Scope.READ)
    key_of(session, token).last_used_at = START - timedelta(seconds=30)  # another process
    session.commit()
    writes.clear()

    response = client.get("/api/v1/awards", headers={"Authorization": f"Bearer {token}"})

    assert response.status_code == 200
    assert writes == []
    assert key_of(session, token).last_used_at == START - timedelta(seconds=30)


def test_last_use_of_the_key_that_revokes_another(
    client: TestClient, session: Session, clock: Clock, writes: list[str]
) -> None:
    tenant = create_tenant(session)
    target = key_of(session, create_key(session, tenant, Scope.ADMIN))

    response = client.delete(f"/api/v1/api-keys/{target.id}", headers=tenant.headers)

    assert response.status_code == 200, response.text
    assert key_of(session, tenant.token).last_used_at == START
    assert f"flush {tenant.principal.api_key_id}" not in writes  # only the target was changed


class TestOnSQLite:
    """A read takes no write lock, and a use that cannot be recorded fails nothing."""

    @pytest.fixture
    def database(self, tmp_path: Path) -> Iterator[tuple[Engine, str, UUID, Path]]:
        path = tmp_path / "badgeforge.db"
        url = f"sqlite:///{path}"
        upgrade(url)
        # a short busy timeout: a request that wanted the write lock would fail fast
        engine = make_engine(url, connect_args={"check_same_thread": False, "timeout": 0.5})
        with make_sessionmaker(engine)() as session, session.begin():
            tenant = create_tenant(session, scopes=(Scope.READ,))
        yield engine, tenant.token, tenant.principal.api_key_id, path
        engine.dispose()

    def last_used(self, engine: Engine, key_id: UUID) -> datetime | None:
        with make_sessionmaker(engine)() as session:
            key = session.get(ApiKey, key_id)
            assert key is not None
            return key.last_used_at

    def test_reads_while_another_writer_holds_the_database(
        self, database: tuple[Engine, str, UUID, Path], tmp_path: Path
    ) -> None:
        engine, token, key_id, path = database
        settings = Settings(data_dir=tmp_path, public_base_url="http://testserver")
        app = create_app(settings, engine=engine)
        clock = Clock()
        usage = KeyUsage(ApiKeyStore(), clock=clock)
        app.dependency_overrides[key_usage] = lambda: usage
        headers = {"Authorization": f"Bearer {token}"}
        writer = sqlite3.connect(path, isolation_level=None)
        with TestClient(app) as client:
            writer.execute("BEGIN IMMEDIATE")
            # due: recording it fails (database locked), the answer does not
            assert client.get("/api/v1/awards", headers=headers).status_code == 200
            clock.now += timedelta(seconds=5)
            assert client.get("/api/v1/organisation", headers=headers).status_code == 200
            writer.execute("ROLLBACK")
            assert self.last_used(engine, key_id) is None

            clock.now += timedelta(seconds=5)
            assert client.get("/api/v1/awards", headers=headers).status_code == 200
            assert self.last_used(engine, key_id) == clock.now  # retried: not remembered

            writer.execute("BEGIN IMMEDIATE")
            clock.now += timedelta(seconds=30)  # not due: nothing to write
            assert client.get("/api/v1/awards", headers=headers).status_code == 200
            writer.execute("ROLLBACK")
        writer.close()
