"""A small keep-alive HTTP/1.1 GET client on the standard library's ``http.client``.

The fetcher's hot path: a verification makes three or four fetches one after another, and
httpx spent about 0.3 ms of CPU on each (h11's header checks, its models), four times
``http.client`` (``bench/README.md``, "Verification side by side"). What makes it safe is
kept from the rest of this package:

- every connection is opened by :class:`~badgeforge.outbound.network.GuardedBackend`,
  which resolves the name, checks every address and connects to the checked IP literal;
  TLS then runs on that socket with the original host name (SNI and certificate check);
- every send and every read of the status line, the headers and the body waits at most
  until the fetch's deadline (:func:`~badgeforge.outbound.network.deadline`), so a server
  dripping one byte at a time cannot hold a worker past it;
- ``http.client`` refuses control characters in the request line and headers, and bounds
  header lines (64 KiB) and their number (100).

Idle connections are kept per origin (a few, for ``keepalive_expiry`` seconds) and reused;
a reused connection the server had already closed is retried once on a new one (GET is
idempotent). One instance is shared by the threads of a process.
"""

import http.client
import io
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import certifi
import httpcore

from badgeforge.core.fetching import FetchTimeout
from badgeforge.outbound.network import GuardedBackend, bounded

Origin = tuple[str, str, int]
"""Scheme, host name (ASCII, IPv6 without brackets) and port."""


class _DeadlineReader(io.RawIOBase):
    """The socket's bytes, each ``recv`` bounded by the read timeout and the deadline.

    It reads through the socket's own ``makefile`` (which counts open readers), so that
    ``http.client`` closing the connection leaves a response's body readable to its end.
    """

    def __init__(self, sock: socket.socket, read_timeout: float) -> None:
        self._sock, self._read_timeout = sock, read_timeout
        self._raw = sock.makefile("rb", buffering=0)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: "memoryview | bytearray") -> int | None:  # type: ignore[override]
        self._sock.settimeout(bounded(self._read_timeout, FetchTimeout))
        return self._raw.readinto(buffer)

    def close(self) -> None:
        self._raw.close()
        super().close()


class _DeadlineSocket:
    """What ``http.client`` needs of a socket, with every wait bounded by the deadline."""

    def __init__(self, sock: socket.socket, read_timeout: float) -> None:
        self.sock, self._read_timeout = sock, read_timeout

    def sendall(self, data: bytes) -> None:
        self.sock.settimeout(bounded(self._read_timeout, FetchTimeout))
        self.sock.sendall(data)

    def makefile(self, mode: str) -> io.BufferedReader:
        return io.BufferedReader(_DeadlineReader(self.sock, self._read_timeout))

    def close(self) -> None:
        self.sock.close()


class Connection(http.client.HTTPConnection):
    """One connection to an origin, opened through the guarded backend (checked on connect)."""

    def __init__(
        self,
        origin: Origin,
        backend: GuardedBackend,
        tls: Callable[[], ssl.SSLContext],
        connect_timeout: float,
        read_timeout: float,
    ) -> None:
        super().__init__(origin[1], origin[2], timeout=connect_timeout)
        self.origin = origin
        self.idle_since = 0.0
        self._backend, self._tls = backend, tls
        self._read_timeout = read_timeout

    def connect(self) -> None:
        """Resolve, check and connect; then TLS with the host name for ``https``."""
        stream = self._backend.connect_tcp(self.host, self.port, self.timeout)
        sock: socket.socket = stream.get_extra_info("socket")
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            if self.origin[0] == "https":
                sock.settimeout(bounded(self.timeout, httpcore.ConnectTimeout))
                sock = self._tls().wrap_socket(sock, server_hostname=self.host)
        except BaseException:
            sock.close()
            raise
        self.sock = _DeadlineSocket(sock, self._read_timeout)


@dataclass(frozen=True)
class Answer:
    """A response whose body is still to be read, on the connection that brought it."""

    connection: Connection
    response: http.client.HTTPResponse
    reused: bool


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
        """Send ``GET target`` to ``origin`` and yield the answer; its body is the caller's
        to read. The connection goes back to the pool only if the body was read in full
        and the server keeps it open; on any error it is closed."""
        answer = self._send(origin, target, headers, reuse=True)
        kept = False
        try:
            yield answer
            kept = answer.response.isclosed() and not answer.response.will_close
        finally:
            if kept:
                self._release(answer.connection)
            else:
                answer.response.close()
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
            connection.request("GET", target, headers=headers)
            response = connection.getresponse()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            connection.close()
            if reused:  # the server closed it while idle: once more, on a new connection
                return self._send(origin, target, headers, reuse=False)
            raise
        except BaseException:
            connection.close()
            raise
        return Answer(connection, response, reused)

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
