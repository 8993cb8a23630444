"""A small keep-alive HTTP/1.1 GET client: sockets, and httptools' C parser for answers.

The fetcher's hot path: a verification makes three or four fetches one after another, and
httpx spent about 0.3 ms of CPU on each (h11's header checks, its models); the standard
library's ``http.client`` half as much, most of it parsing headers with the email package
(``bench/README.md``, "Verification side by side"). Here the request is one ``sendall`` of
bytes we format, and the answer is parsed by ``httptools`` (llhttp, the parser uvicorn
already runs on). What makes it safe:

- every connection is opened by :class:`~badgeforge.outbound.network.GuardedBackend`,
  which resolves the name, checks every address and connects to the checked IP literal;
  TLS then runs on that socket with the original host name (SNI and certificate check);
- every send and every receive waits at most until the fetch's deadline
  (:func:`~badgeforge.outbound.network.deadline`), so a server dripping one byte at a time
  cannot hold a worker past it;
- the request line and headers are refused if they carry a control character; an answer
  may have at most 100 headers in 64 KiB, and its body stops at the caller's cap.

Idle connections are kept per origin (a few, for ``keepalive_expiry`` seconds) and reused;
a reused connection the server had already closed is retried once on a new one (GET is
idempotent). One instance is shared by the threads of a process.
"""

import re
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import certifi
import httpcore
import httptools

from badgeforge.core.fetching import FetchError, FetchTimeout, ResponseTooLarge, Unreachable
from badgeforge.outbound.network import GuardedBackend, bounded

Origin = tuple[str, str, int]
"""Scheme, host name (ASCII, IPv6 without brackets) and port."""

MAX_HEADERS = 100
MAX_HEADER_BYTES = 64 * 1024
RECEIVE_SIZE = 64 * 1024
_UNSAFE = re.compile(r"[\x00-\x1f\x7f]")


class Closed(ConnectionError):
    """The server closed the connection before answering."""


class MalformedAnswer(Unreachable):
    """The answer is not HTTP/1.x, or breaks our limits on headers."""


class _Parsed:
    """httptools' callbacks: the status, headers and body of the answer. An interim answer
    (``100 Continue``) is forgotten when complete, so the final one is what remains."""

    def __init__(self, body_limit: int) -> None:
        self.body_limit = body_limit
        self.parser = httptools.HttpResponseParser(self)
        self._start()

    def _start(self) -> None:
        self.headers: list[tuple[str, str]] = []
        self.header_bytes = 0
        self.headers_complete = False
        self.interim = False
        self.status = 0
        self.keep_alive = False
        self.body: list[bytes] = []
        self.body_size = 0
        self.complete = False

    def on_header(self, name: bytes, value: bytes) -> None:
        self.header_bytes += len(name) + len(value) + 4
        self.headers.append((name.decode("latin-1"), value.decode("latin-1")))

    def on_headers_complete(self) -> None:
        self.status = self.parser.get_status_code()
        self.interim = 100 <= self.status < 200
        self.headers_complete = not self.interim
        # read here: once the message is complete, the parser is reset for the next one
        self.keep_alive = self.parser.should_keep_alive()

    def on_body(self, data: bytes) -> None:
        self.body_size += len(data)
        if self.body_size <= self.body_limit:
            self.body.append(data)

    def on_message_complete(self) -> None:
        if self.interim:
            self._start()
        else:
            self.complete = True


class Answer:
    """One answer: its status and headers, read; its body, read on demand (capped)."""

    def __init__(self, connection: "Connection", status: int, parsed: _Parsed) -> None:
        self.connection, self.status, self._parsed = connection, status, parsed
        self.headers = parsed.headers

    def read_body(self, url: str, limit: int) -> bytes:
        """The whole body, or ResponseTooLarge past ``limit`` bytes (as received)."""
        parsed = self._parsed
        parsed.body_limit = limit
        declared = {k.lower(): v for k, v in self.headers}.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise ResponseTooLarge(f"{url} is {int(declared)} bytes, more than the {limit} allowed")
        while not parsed.complete:
            if parsed.body_size > limit:
                break
            self.connection.receive(until_eof_completes=True)
        if parsed.body_size > limit:
            raise ResponseTooLarge(f"{url} is larger than the {limit} bytes allowed")
        return b"".join(parsed.body)

    @property
    def reusable(self) -> bool:
        return self._parsed.complete and self.connection.keep_alive


class Connection:
    """One connection to an origin, opened through the guarded backend (checked on connect)."""

    def __init__(
        self,
        origin: Origin,
        backend: GuardedBackend,
        tls: Callable[[], ssl.SSLContext],
        connect_timeout: float,
        read_timeout: float,
    ) -> None:
        self.origin = origin
        self.idle_since = 0.0
        self.keep_alive = False
        self._backend, self._tls = backend, tls
        self._connect_timeout, self._read_timeout = connect_timeout, read_timeout
        self._sock: socket.socket | None = None
        self._parsed: _Parsed | None = None
        self._buffer = bytearray(RECEIVE_SIZE)

    def connect(self) -> None:
        """Resolve, check and connect; then TLS with the host name for ``https``."""
        scheme, host, port = self.origin
        stream = self._backend.connect_tcp(host, port, self._connect_timeout)
        sock: socket.socket = stream.get_extra_info("socket")
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            if scheme == "https":
                sock.settimeout(bounded(self._connect_timeout, httpcore.ConnectTimeout))
                sock = self._tls().wrap_socket(sock, server_hostname=host)
        except BaseException:
            sock.close()
            raise
        self._sock = sock

    def send_get(self, target: str, headers: dict[str, str]) -> None:
        """Send ``GET target`` with ``headers`` (refused if any carries a control character)."""
        lines = [f"GET {target} HTTP/1.1", *(f"{name}: {value}" for name, value in headers.items())]
        if any(_UNSAFE.search(line) for line in lines):
            raise FetchError("the request would carry a control character; it was not sent")
        assert self._sock is not None  # noqa: S101 (connected first)
        self._sock.settimeout(bounded(self._read_timeout, FetchTimeout))
        self._sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))

    def read_head(self) -> Answer:
        """Receive until the status and headers of the (final) answer are in."""
        self._parsed = parsed = _Parsed(RECEIVE_SIZE)
        while not parsed.headers_complete:
            self.receive(until_eof_completes=False)
        self.keep_alive = parsed.keep_alive
        return Answer(self, parsed.status, parsed)

    def receive(self, *, until_eof_completes: bool) -> None:
        """Receive once and parse; at EOF, a body without a declared length is complete."""
        parsed = self._parsed
        assert self._sock is not None  # noqa: S101 (connected first)
        assert parsed is not None  # noqa: S101 (read_head starts the answer)
        self._sock.settimeout(bounded(self._read_timeout, FetchTimeout))
        size = self._sock.recv_into(self._buffer)
        if not size:
            self.keep_alive = False
            if not parsed.header_bytes and not parsed.headers_complete:
                raise Closed("the server closed the connection without answering")
            headers = {name.lower() for name, _ in parsed.headers}
            framed = {"content-length", "transfer-encoding"} & headers
            if until_eof_completes and parsed.headers_complete and not framed:
                parsed.complete = True
                return
            raise MalformedAnswer("the server closed the connection in the middle of its answer")
        try:
            parsed.parser.feed_data(memoryview(self._buffer)[:size])
        except httptools.HttpParserUpgrade:
            raise MalformedAnswer("the server switched protocols") from None
        except httptools.HttpParserError as error:
            raise MalformedAnswer(f"the answer is not HTTP/1.x ({error})") from None
        if len(parsed.headers) > MAX_HEADERS or parsed.header_bytes > MAX_HEADER_BYTES:
            limits = f"{MAX_HEADERS} headers or {MAX_HEADER_BYTES} bytes of them"
            raise MalformedAnswer(f"the answer has more than {limits}")

    def shutdown(self) -> None:
        """Shut the socket down (tests: a connection the server dropped while idle)."""
        if self._sock is not None:
            self._sock.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        if self._sock is not None:
            self._sock.close()
            self._sock = None


class ConnectionPool:
    """Keep-alive connections per origin: at most ``max_idle`` idle ones, for a while each.

    ``ssl_context`` replaces the default trust store (certifi's, loaded at the first
    ``https`` connection).
    """

    def __init__(
        self,
        backend: GuardedBackend,
        *,
        ssl_context: ssl.SSLContext | None = None,
        connect_timeout: float = 5.0,
        read_timeout: float = 10.0,
        max_idle: int = 4,
        keepalive_expiry: float = 30.0,
    ) -> None:
        self._backend = backend
        self._ssl_context = ssl_context
        self.connect_timeout, self.read_timeout = connect_timeout, read_timeout
        self._max_idle, self._expiry = max_idle, keepalive_expiry
        self._idle: dict[Origin, list[Connection]] = {}
        self._lock = threading.Lock()

    def tls(self) -> ssl.SSLContext:
        """The TLS context of ``https`` connections."""
        with self._lock:
            if self._ssl_context is None:
                self._ssl_context = ssl.create_default_context(cafile=certifi.where())
            return self._ssl_context

    @contextmanager
    def get(self, origin: Origin, target: str, headers: dict[str, str]) -> Iterator[Answer]:
        """Send ``GET target`` to ``origin`` and yield the answer (status and headers read;
        its body is the caller's to read). The connection goes back to the pool only if the
        body was read in full and the server keeps it open; on any error it is closed."""
        answer = self._send(origin, target, headers, reuse=True)
        kept = False
        try:
            yield answer
            kept = answer.reusable
        finally:
            if kept:
                self._release(answer.connection)
            else:
                answer.connection.close()

    def close(self) -> None:
        """Close every idle connection."""
        with self._lock:
            idle, self._idle = self._idle, {}
        for connections in idle.values():
            for connection in connections:
                connection.close()

    def _send(self, origin: Origin, target: str, headers: dict[str, str], reuse: bool) -> Answer:
        connection = self._acquire(origin) if reuse else None
        reused = connection is not None
        if connection is None:
            connection = Connection(
                origin, self._backend, self.tls, self.connect_timeout, self.read_timeout
            )
        try:
            if not reused:
                connection.connect()
            connection.send_get(target, headers)
            return connection.read_head()
        except (Closed, ConnectionResetError, BrokenPipeError):
            connection.close()
            if reused:  # the server closed it while idle: once more, on a new connection
                return self._send(origin, target, headers, reuse=False)
            raise
        except BaseException:
            connection.close()
            raise

    def _acquire(self, origin: Origin) -> Connection | None:
        now = time.monotonic()
        with self._lock:
            idle = self._idle.get(origin, [])
            while idle:
                connection = idle.pop()
                if now - connection.idle_since < self._expiry:
                    return connection
                connection.close()
        return None

    def _release(self, connection: Connection) -> None:
        connection.idle_since = time.monotonic()
        with self._lock:
            idle = self._idle.setdefault(connection.origin, [])
            if len(idle) < self._max_idle:
                idle.append(connection)
                return
        connection.close()
