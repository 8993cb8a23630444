"""``badgeforge worker`` processes on PostgreSQL: killed mid-delivery, and two at once.

Real processes against a scratch database, and a real receiver verifying signatures.
"""

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from badgeforge.core.keys import KeyVault
from badgeforge.db import make_engine, make_sessionmaker
from badgeforge.migrate import upgrade
from badgeforge.webhooks.models import WebhookDelivery
from tests.conftest import scratch_postgres_database
from tests.webhooks.conftest import Org, fast_settings
from tests.webhooks.receiver import Receiver, receiving

pytestmark = pytest.mark.postgresql
MASTER_KEY = KeyVault.generate_master_key()


@dataclass
class Database:
    url: str
    sessions: sessionmaker[Session]


@pytest.fixture
def database() -> Iterator[Database]:
    with scratch_postgres_database("worker") as url:
        upgrade(url)
        engine = make_engine(url)
        yield Database(url, make_sessionmaker(engine, writer=True))
        engine.dispose()


@pytest.fixture
def org(database: Database, tmp_path: Path) -> Org:
    from tests.factories import create_badge_class, create_issuer, create_tenant

    settings = fast_settings(tmp_path, master_keys=MASTER_KEY, webhook_timeout_seconds=2.0)
    with database.sessions() as session, session.begin():
        tenant = create_tenant(session)
        issuer = create_issuer(session, tenant)
        badge_class = create_badge_class(session, tenant, settings, issuer.id)
    return Org(database.sessions, settings, KeyVault((MASTER_KEY,)), tenant, badge_class.id)


def start_worker(database: Database, tmp_path: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "BADGEFORGE_DATABASE_URL": database.url,
        "BADGEFORGE_DATA_DIR": str(tmp_path),
        "BADGEFORGE_MASTER_KEYS": MASTER_KEY,
        "BADGEFORGE_OUTBOUND_ALLOW_LOOPBACK": "true",
        "BADGEFORGE_WEBHOOK_TIMEOUT_SECONDS": "2",
        "BADGEFORGE_WEBHOOK_RETRY_DELAYS_SECONDS": "[0.1, 0.1, 0.1]",
        "BADGEFORGE_WORKER_POLL_SECONDS": "0.05",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "badgeforge", "worker"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def statuses(org: Org) -> list[str]:
    with org.sessions() as session:
        return list(session.scalars(select(WebhookDelivery.status)))


def test_a_worker_killed_mid_delivery_is_taken_over_with_the_same_id(
    org: Org, database: Database, tmp_path: Path
) -> None:
    arrived = threading.Event()

    def answer(number: int) -> tuple[int, float]:
        if number == 0:
            arrived.set()
            return 200, 1.5  # the worker is killed while it waits for this answer
        return 200, 0.0

    with receiving(Receiver(secrets=[], answer=answer)) as receiver:
        _, secret = org.endpoint(receiver.url)
        receiver.secrets.append(secret)
        org.award()
        first = start_worker(database, tmp_path)
        try:
            assert arrived.wait(30), "the first worker never delivered"
            first.send_signal(signal.SIGKILL)
            first.wait(10)
        finally:
            first.kill()
        assert statuses(org) == ["pending"]  # the killed worker recorded nothing
        second = start_worker(database, tmp_path)
        try:
            receiver.wait_for(2, timeout=30)  # once the lease (2 x 2 s + 5 s) has expired
            deadline = time.monotonic() + 10
            while statuses(org) != ["delivered"] and time.monotonic() < deadline:
                time.sleep(0.05)
            second.send_signal(signal.SIGTERM)
            assert second.wait(15) == 0  # graceful: finishes its round, exits 0
        finally:
            second.kill()
    assert statuses(org) == ["delivered"]
    (webhook_id,) = set(receiver.ids())
    assert len(receiver.received) == 2
    assert all(item.verified_with == [0] for item in receiver.received)
    assert webhook_id
    assert receiver.overlaps == []


def test_two_workers_never_send_the_same_delivery_at_once(
    org: Org, database: Database, tmp_path: Path
) -> None:
    receiver = Receiver(secrets=[], answer=lambda _n: (200, 0.02))
    with receiving(receiver):
        _, secret = org.endpoint(receiver.url)
        receiver.secrets.append(secret)
        for number in range(120):
            org.award(f"learner{number}@example.org")
        workers = [start_worker(database, tmp_path) for _ in range(2)]
        try:
            receiver.wait_for(120, timeout=60)
            time.sleep(0.5)  # any duplicate would arrive now
        finally:
            for worker in workers:
                worker.send_signal(signal.SIGTERM)
            for worker in workers:
                assert worker.wait(15) == 0
    ids = receiver.ids()
    assert len(ids) == 120
    assert len(set(ids)) == 120  # each event exactly once: 2xx at once, no retry needed
    assert receiver.overlaps == []
    assert all(item.verified_with == [0] for item in receiver.received)
    assert set(statuses(org)) == {"delivered"}
