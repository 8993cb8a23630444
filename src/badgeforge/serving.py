"""How badgeforge is served: one uvicorn configuration for ``badgeforge serve``, demo and tests.

Protocol. uvicorn's httptools protocol (with uvloop) parses and writes HTTP in C; its
pure-Python h11 protocol costs about three times as much per request (bench/README.md,
"Serving at scale"). But httptools lower-cases every header name it writes (uvicorn 0.54,
``httptools_impl.py``), and Open Badge Passport's hourly re-check finds ``Content-Type``
only when it is spelled so. :class:`CanonicalHttpToolsProtocol` keeps uvicorn's protocol
and rewrites the names of the one head it writes per response
(:func:`badgeforge.middleware.canonical_header_name`); ``tests/test_wire_headers.py``
reads them from a raw socket.

Nagle. uvicorn writes each response in two ``write`` calls (head, then body). Under
``uvicorn --workers N`` the listening socket is made with protocol number 0, so asyncio
does not set ``TCP_NODELAY`` on accepted connections, and the body waits for the client's
delayed ACK: about 44 ms per request at low concurrency. The protocol sets ``TCP_NODELAY``
on every connection itself, whatever the loop and process model, and writes the head
together with the first body bytes (:class:`CanonicalCycle`): one system call per
response, which on loopback was half of a small document's serving cost.

Processes. ``workers > 1`` runs N processes, each with its own app, engine and caches; the
parent accepts the connections and hands each to the next worker in turn
(:mod:`badgeforge.supervisor`), where one shared socket let the first worker awake take a
whole burst of keep-alive connections. Without descriptor passing (Windows), uvicorn's
supervisor and one shared socket. Nothing in the service relies on being alone:
state lives in the database (and Redis for rate limits when configured).
"""

import asyncio
import importlib.util
import os
import socket
import sys
from contextlib import suppress
from typing import Any

import uvicorn
from starlette.types import ASGIApp
from uvicorn._types import ASGI3Application, ASGISendEvent
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol, RequestResponseCycle

from badgeforge.middleware import canonical_header_name
from badgeforge.settings import Settings

SETTINGS_ENV = "BADGEFORGE_SERVE_SETTINGS"
"""Environment variable carrying the settings (JSON) to the worker processes."""
LOOP = "uvloop" if importlib.util.find_spec("uvloop") else "asyncio"


def canonical_head(head: bytes) -> bytes:
    """A response head (status line and header lines) with every name spelled canonically."""
    lines = head.split(b"\r\n")
    for index in range(1, len(lines)):
        line = lines[index]
        if line:
            name, colon, rest = line.partition(b":")
            lines[index] = canonical_header_name(name) + colon + rest
    return b"\r\n".join(lines)


class _HeldHead:
    """A transport that keeps the response head it is given, with canonical names."""

    def __init__(self, transport: asyncio.Transport) -> None:
        self._transport = transport
        self.head = b""

    def write(self, data: bytes) -> None:
        self.head += canonical_head(data)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


class _WithHead:
    """A transport whose first ``write`` (or ``close``) sends the held head first."""

    def __init__(self, transport: asyncio.Transport, head: bytes) -> None:
        self._transport = transport
        self.head = head

    def flush(self) -> None:
        if self.head:
            self._transport.write(self.head)
            self.head = b""

    def write(self, data: bytes) -> None:
        head, self.head = self.head, b""
        self._transport.write(head + data if head else data)

    def close(self) -> None:
        self.flush()
        self._transport.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


class CanonicalCycle(RequestResponseCycle):
    """uvicorn's request/response cycle: canonical header names, head and body in one write.

    The head is held until the first body message and written with its first bytes: one
    ``send`` system call per response instead of two (on loopback each costs as much as
    the rest of a small request's serving), and no body segment left for Nagle to delay.
    """

    _held = b""

    async def send(self, message: ASGISendEvent) -> None:
        transport = self.transport
        if message["type"] == "http.response.start" and not self.response_started:
            holder = _HeldHead(transport)
            self.transport = holder  # type: ignore[assignment]
            try:
                await super().send(message)
            finally:
                self.transport = transport
            self._held = holder.head
            return
        if not self._held:
            await super().send(message)
            return
        carrier = _WithHead(transport, self._held)
        self._held = b""
        self.transport = carrier  # type: ignore[assignment]
        try:
            await super().send(message)
        finally:
            self.transport = transport
            carrier.flush()  # a HEAD or bodiless answer: the head alone


class CanonicalHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol, writing ``Content-Type`` not ``content-type``, no Nagle."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        connection = transport.get_extra_info("socket")
        if connection is not None:
            with suppress(OSError):
                connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().connection_made(transport)

    def _start_asgi_task(self, cycle: RequestResponseCycle, app: ASGI3Application) -> None:
        cycle.__class__ = CanonicalCycle  # same state; only ``send`` differs
        super()._start_asgi_task(cycle, app)


def _options(**options: Any) -> dict[str, Any]:
    return {
        "http": CanonicalHttpToolsProtocol,
        "loop": LOOP,
        "server_header": False,
        "date_header": True,  # written as ``Date`` by the protocol
        "access_log": False,  # badgeforge.observability writes the access line (JSON)
        **options,
    }


def uvicorn_config(app: ASGIApp, *, host: str, port: int, **options: Any) -> uvicorn.Config:
    """The uvicorn configuration serving `app` on `host`:`port` in this process."""
    return uvicorn.Config(app, host=host, port=port, **_options(**options))


def serve(app: ASGIApp, *, host: str, port: int, **options: Any) -> None:
    """Serve `app` in this process until interrupted."""
    uvicorn.Server(uvicorn_config(app, host=host, port=port, **options)).run()


def serve_workers(
    settings: Settings, *, host: str, port: int, workers: int, **options: Any
) -> None:
    """Serve badgeforge with `settings` in `workers` processes (one when `workers` is 1)."""
    if workers <= 1:
        from badgeforge.app import create_app

        serve(create_app(settings), host=host, port=port, **options)
        return
    os.environ[SETTINGS_ENV] = settings.model_dump_json()
    if hasattr(socket, "send_fds"):  # Unix: the parent deals connections out in turn
        from badgeforge.supervisor import Supervisor

        sys.exit(Supervisor(host, port, workers, options).run())
    uvicorn.run(
        "badgeforge.serving:worker_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        **_options(**options),
    )


def worker_app() -> ASGIApp:
    """The app of one worker process, built from the settings its supervisor passed on."""
    from badgeforge.app import create_app

    raw = os.environ.get(SETTINGS_ENV)
    return create_app(Settings.model_validate_json(raw) if raw else Settings())
