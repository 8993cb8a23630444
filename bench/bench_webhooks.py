"""Webhook deliveries per second to a local receiver, through the real worker.

Usage::

    .venv/bin/python bench/bench_webhooks.py [--events N] [--workers W] [--database-url URL]

A fresh migrated SQLite file in a temporary folder (or, with ``--database-url`` naming a
PostgreSQL server, a scratch database created then dropped), one organisation with one
endpoint on a threaded HTTP receiver at 127.0.0.1 that answers 204. ``N`` events are
written to the outbox (``webhooks.events.emit``, one transaction each, as an award does),
then ``W`` workers (threads, each with its own engine and connection pool; one on SQLite)
drain the queue: claim with a lease, sign (``standardwebhooks``), POST through the
SSRF-safe network layer, record the attempt. Prints deliveries per second and the check
that every event arrived exactly once.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from sqlalchemy import func, make_url, select

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from badgeforge.access import service as access_service
from badgeforge.db import make_engine, make_sessionmaker
from badgeforge.jobs.worker import Worker
from badgeforge.migrate import upgrade
from badgeforge.security import Principal, Scope, effective_scopes
from badgeforge.settings import Settings
from badgeforge.signing.vault import vault_from_settings
from badgeforge.webhooks import events, service
from badgeforge.webhooks.delivery import deliver_webhooks
from badgeforge.webhooks.models import WebhookDelivery
from badgeforge.webhooks.schemas import WebhookEndpointCreate

received: list[str] = []
lock = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("content-length", "0")))
        with lock:
            received.append(self.headers.get("webhook-id", ""))
        self.send_response(204)
        self.send_header("Content-Length", "0")
        self.end_headers()


def _scratch(server_url: str) -> tuple[str, Any]:
    admin = make_engine(server_url, isolation_level="AUTOCOMMIT")
    name = f"{make_url(server_url).database}_webhooks_bench"
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = make_url(server_url).set(database=name).render_as_string(hide_password=False)

    def drop() -> None:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()

    return url, drop


def run(events_count: int, workers: int, database_url: str, data_dir: Path) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    settings = Settings(data_dir=data_dir, database_url=database_url, outbound_allow_loopback=True)
    upgrade(settings.resolved_database_url)
    engine = make_engine(settings.resolved_database_url)
    sessions = make_sessionmaker(engine, writer=True)
    with sessions() as session, session.begin():
        organisation = access_service.create_organisation(session, "Bench")
        key, _ = access_service.create_key(session, organisation.id, "bench", [Scope.ADMIN])
        principal = Principal(organisation.id, key.id, effective_scopes(key.scopes))
        service.create(
            session,
            principal,
            WebhookEndpointCreate(url=url),
            settings=settings,
            vault=vault_from_settings(settings),
        )
    started = time.perf_counter()
    for number in range(events_count):
        with sessions() as session, session.begin():
            events.emit(session, organisation.id, "award.issued", {"n": number})
    written = time.perf_counter() - started
    engines = [make_engine(settings.resolved_database_url) for _ in range(workers)]
    pool = [
        Worker(make_sessionmaker(e, writer=True), settings, [deliver_webhooks]) for e in engines
    ]
    started = time.perf_counter()
    threads = [threading.Thread(target=worker.drain, args=(10**6,)) for worker in pool]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    with sessions() as session:
        delivered = session.scalar(
            select(func.count()).where(WebhookDelivery.status == "delivered")
        )
    for each in [engine, *engines]:
        each.dispose()
    server.shutdown()
    backend = "PostgreSQL" if database_url.startswith("postgresql") else "SQLite"
    print(
        "| backend | events | workers | outbox writes/s | deliveries/s | delivered | unique ids |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- |")
    print(
        f"| {backend} | {events_count} | {workers} | {events_count / written:.0f} | "
        f"{events_count / elapsed:.0f} | {delivered} | {len(set(received))}/{len(received)} |"
    )
    assert delivered == events_count
    assert len(set(received)) == events_count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--database-url", default="")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        if arguments.database_url:
            url, drop = _scratch(arguments.database_url)
            try:
                run(arguments.events, arguments.workers, url, Path(folder))
            finally:
                drop()
        else:
            run(arguments.events, 1, "", Path(folder))


if __name__ == "__main__":
    main()
