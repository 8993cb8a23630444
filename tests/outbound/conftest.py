"""A scripted HTTP server on 127.0.0.1 and a network layer that can only reach loopback.

No test here sends a packet outside 127.0.0.0/8: every fetcher is built with
:class:`LoopbackOnly` as its socket opener, which records each address it is asked to
connect to, connects ``PRETEND_PUBLIC`` addresses to the local server instead, and fails
the test on anything else. DNS is scripted with :class:`ScriptedDns`.
"""

import gzip
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import httpcore
import pytest

from badgeforge.outbound import OutboundFetcher

PUBLIC_V4 = "93.184.215.14"  # looks public; tests map it to 127.0.0.1, never reach it
PUBLIC_V6 = "2606:2800:21f:cb07:6820:80da:af6b:8b2c"
PRETEND_PUBLIC = frozenset({PUBLIC_V4, PUBLIC_V6})
LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})


class LoopbackOnly(httpcore.NetworkBackend):
    """Opens sockets to loopback only; 'public' test addresses are redirected to it."""

    def __init__(self) -> None:
        self.connected: list[str] = []
        self._system = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        self.connected.append(host)
        if host in PRETEND_PUBLIC:
            host = "127.0.0.1"
        if host not in LOOPBACK and not host.startswith("127."):
            pytest.fail(f"the fetcher tried to connect to {host}")
        return self._system.connect_tcp(host, port, timeout, local_address, socket_options)


class ScriptedDns:
    """Answers each lookup of a name with the next scripted answer (the last one repeats)."""

    def __init__(self, answers: dict[str, Sequence[Sequence[str]]], delay: float = 0.0) -> None:
        self.answers = {name: list(script) for name, script in answers.items()}
        self.lookups: list[str] = []
        self.delay = delay

    def __call__(self, host: str, port: int) -> list[str]:
        self.lookups.append(host)
        time.sleep(self.delay)
        script = self.answers.get(host)
        if not script:
            raise OSError(f"[Errno -2] Name or service not known: {host}")
        return list(script.pop(0) if len(script) > 1 else script[0])


Route = Callable[[BaseHTTPRequestHandler, dict[str, list[str]]], None]


def send(
    handler: BaseHTTPRequestHandler,
    status: int,
    body: bytes = b"",
    headers: dict[str, str] | None = None,
    length: bool = True,
) -> None:
    handler.send_response(status)
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    if length:
        handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def _slow(handler: BaseHTTPRequestHandler, query: dict[str, list[str]]) -> None:
    time.sleep(float(query.get("s", ["3"])[0]))
    send(handler, 200, b"{}", {"Content-Type": "application/json"})


def _drip(handler: BaseHTTPRequestHandler, query: dict[str, list[str]]) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "application/json")
    handler.end_headers()
    for _ in range(100):
        handler.wfile.write(b" ")
        handler.wfile.flush()
        time.sleep(0.05)


def _redirect(handler: BaseHTTPRequestHandler, query: dict[str, list[str]]) -> None:
    left = int(query.get("n", ["0"])[0])
    if left <= 0:
        send(handler, 200, b'{"arrived": true}', {"Content-Type": "application/json"})
        return
    status = int(query.get("status", ["302"])[0])
    send(handler, status, headers={"Location": f"redirect?n={left - 1}&status={status}"})


def _cached(handler: BaseHTTPRequestHandler, query: dict[str, list[str]]) -> None:
    control = {"Cache-Control": query["cc"][0]} if "cc" in query else {}
    send(handler, int(query.get("status", ["200"])[0]), b"{}", {**JSON, **control})


JSON = {"Content-Type": "application/json"}
BOMB = gzip.compress(b"\0" * (8 * 1024 * 1024))
ROUTES: dict[str, Route] = {
    "/json": lambda h, q: send(h, 200, b'{"ok": 1}', {"Content-Type": "application/json"}),
    "/ld": lambda h, q: send(h, 200, b"{}", {"Content-Type": "Application/LD+JSON; charset=utf-8"}),
    "/html": lambda h, q: send(h, 200, b"<p>hi</p>", {"Content-Type": "text/html"}),
    "/png": lambda h, q: send(h, 200, b"\x89PNG", {"Content-Type": "image/png"}),
    "/untyped": lambda h, q: send(h, 200, b"{}"),
    "/gone": lambda h, q: send(h, 410, b'{"revoked": true}', {"Content-Type": "application/json"}),
    "/missing": lambda h, q: send(h, 404, b"<h1>no</h1>", {"Content-Type": "text/html"}),
    "/to": lambda h, q: send(h, int(q.get("status", ["302"])[0]), headers={"Location": q["u"][0]}),
    "/redirect": _redirect,
    "/nolocation": lambda h, q: send(h, 302, b"moved?", {"Content-Type": "text/plain"}),
    "/cached": _cached,
    "/big": lambda h, q: send(h, 200, b"x" * int(q["n"][0]), JSON, length="nolength" not in q),
    "/bomb": lambda h, q: send(h, 200, BOMB, {**JSON, "Content-Encoding": "gzip"}),
    "/slow": _slow,
    "/drip": _drip,
}


class Server:
    def __init__(self, host: str = "127.0.0.1") -> None:
        self.hits: Counter[str] = Counter()
        self.hosts: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                server.hits[parts.path] += 1
                server.hosts.append(self.headers.get("Host", ""))
                route = ROUTES.get(parts.path)
                try:
                    if route is None:
                        send(self, 404)
                    else:
                        route(self, parse_qs(parts.query))
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer((host, 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    running = Server()
    running.thread.start()
    yield running
    running.httpd.shutdown()
    running.httpd.server_close()


@pytest.fixture
def network() -> LoopbackOnly:
    return LoopbackOnly()


@pytest.fixture
def make_fetcher(network: LoopbackOnly) -> Iterator[Callable[..., OutboundFetcher]]:
    made: list[OutboundFetcher] = []

    def make(**options: object) -> OutboundFetcher:
        fetcher = OutboundFetcher(network=network, **options)  # type: ignore[arg-type]
        made.append(fetcher)
        return fetcher

    yield make
    for fetcher in made:
        fetcher.close()
