"""A real badgeforge server on 127.0.0.1, for third-party verifiers that fetch over HTTP."""

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import uvicorn

from badgeforge.access import service as access_service
from badgeforge.app import create_app
from badgeforge.db import make_engine, make_sessionmaker
from badgeforge.migrate import upgrade
from badgeforge.security import Scope
from badgeforge.serving import uvicorn_config
from badgeforge.settings import Settings


@dataclass(frozen=True)
class LiveServer:
    base_url: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def live_server(data_dir: Path, database_url: str = "") -> Iterator[LiveServer]:
    """Serve a migrated badgeforge with one organisation; yields its URL and admin key.

    The database is SQLite under ``data_dir`` unless ``database_url`` names another one
    (an empty scratch PostgreSQL database, for instance).
    """
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    settings = Settings(
        data_dir=data_dir,
        database_url=database_url,
        public_base_url=base_url,  # type: ignore[arg-type]
    )
    upgrade(settings.resolved_database_url)
    engine = make_engine(settings.resolved_database_url)
    with make_sessionmaker(engine)() as session, session.begin():
        organisation = access_service.create_organisation(session, "ESAT Conformité")
        _, token = access_service.create_key(session, organisation.id, "tests", [Scope.ADMIN])
    config = uvicorn_config(
        create_app(settings, engine=engine), host="127.0.0.1", port=port, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the live server did not start")
        time.sleep(0.02)
    try:
        yield LiveServer(base_url, token)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        engine.dispose()


def api(server: LiveServer) -> httpx.Client:
    return httpx.Client(base_url=server.base_url, headers=server.headers, timeout=30)
