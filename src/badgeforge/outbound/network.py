"""The connect step of every outbound request: resolve, check each address, connect to it.

httpx never resolves a host name for us. The connection pool asks :class:`GuardedBackend`
for a TCP stream to ``host:port``; the backend resolves the name itself, refuses the
connection if *any* answer is not a public address, and connects to the checked IP
literal. TLS then runs on that stream with the original host name (SNI and certificate
check), and the ``Host`` header keeps it too. As the decision is made on the very address
connected to, a name that answers "public" to a first lookup and "private" to the next
(DNS rebinding) is refused on the connection that would have reached the private one.

Reads and connects also stop at the fetch's overall deadline (a context variable set by
the fetcher), so a server dripping one byte at a time cannot hold a worker past it.
"""

import socket
import ssl
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import httpcore

from badgeforge.core.fetching import RefusedAddress, Unreachable
from badgeforge.outbound.addresses import parse_address, refusal_reason

Resolver = Callable[[str, int], Sequence[str]]
"""Host name and port to the IP addresses (as text) it resolves to."""

_deadline: ContextVar[float | None] = ContextVar("outbound_deadline", default=None)
_dns_pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="badgeforge-dns")


def system_resolver(host: str, port: int) -> list[str]:
    """The system's answers for ``host`` (getaddrinfo), in its order, without duplicates."""
    answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(sockaddr[0]) for *_, sockaddr in answers))


@contextmanager
def deadline(at: float) -> Iterator[None]:
    """Bound every connect and read made in this context by ``at`` (``time.monotonic``)."""
    token = _deadline.set(at)
    try:
        yield
    finally:
        _deadline.reset(token)


def bounded(timeout: float | None, error: type[Exception]) -> float | None:
    """``timeout``, lowered to what is left before the deadline; ``error`` once it passed."""
    at = _deadline.get()
    if at is None:
        return timeout
    remaining = at - time.monotonic()
    if remaining <= 0:
        raise error("the fetch ran out of time")
    return remaining if timeout is None else min(timeout, remaining)


class _DeadlineStream(httpcore.NetworkStream):
    """A stream whose reads and writes never wait past the fetch's deadline."""

    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, bounded(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, bounded(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        limit = bounded(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(self._inner.start_tls(ssl_context, server_hostname, limit))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class GuardedBackend(httpcore.NetworkBackend):
    """Resolves and checks every address itself, then connects to the checked IP only.

    ``resolver`` and ``inner`` (the backend that opens the socket to an IP literal) can be
    replaced, which is how tests script DNS answers without any traffic leaving loopback.
    """

    def __init__(
        self,
        *,
        allow_loopback: bool = False,
        resolver: Resolver = system_resolver,
        inner: httpcore.NetworkBackend | None = None,
    ) -> None:
        self.allow_loopback = allow_loopback
        self._resolver = resolver
        self._inner = inner or httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        """Connect to the first reachable checked address of ``host`` (all must pass)."""
        timeout = bounded(timeout, httpcore.ConnectTimeout)
        addresses = self.checked_addresses(host, port, timeout)
        failure: Exception | None = None
        for address in addresses:
            try:
                stream = self._inner.connect_tcp(
                    address, port, bounded(timeout, httpcore.ConnectTimeout), local_address,
                    socket_options,
                )  # fmt: skip
            except httpcore.ConnectError as error:
                failure = error
                continue
            return _DeadlineStream(stream)
        raise httpcore.ConnectError(f"cannot connect to {host} port {port}: {failure}")

    def check_literal(self, host: str) -> None:
        """Refuse ``host`` at once if it is an IP address that must not be reached."""
        if parse_address(host) is not None:
            self.checked_addresses(host, 0, None)

    def checked_addresses(self, host: str, port: int, timeout: float | None) -> list[str]:
        """Every address ``host`` resolves to, or :class:`RefusedAddress` if one is refused."""
        literal = parse_address(host) is not None
        addresses = [host] if literal else self._resolve(host, port, timeout)
        for text in addresses:
            address = parse_address(text)
            if address is None:
                raise Unreachable(f"{host} resolved to {text!r}, which is not an IP address")
            reason = refusal_reason(address, allow_loopback=self.allow_loopback)
            if reason is not None:
                shown = host if literal else f"{host} resolves to {address}, which"
                raise RefusedAddress(
                    f"{shown} is {reason}; badgeforge only fetches from public internet addresses",
                    address=str(address),
                )
        return addresses

    def _resolve(self, host: str, port: int, timeout: float | None) -> list[str]:
        try:
            answers = list(_dns_pool.submit(self._resolver, host, port).result(timeout))
        except FutureTimeout:
            raise httpcore.ConnectTimeout(f"resolving {host} took too long") from None
        except (OSError, UnicodeError) as error:
            raise Unreachable(f"the host name {host} cannot be resolved ({error})") from None
        if not answers:
            raise Unreachable(f"the host name {host} has no address")
        return answers

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        """Unix sockets are never used for outbound fetches."""
        raise RefusedAddress("badgeforge does not fetch over Unix sockets", address=path)

    def sleep(self, seconds: float) -> None:
        """Sleep (used by the connection pool's retries, which are off)."""
        time.sleep(seconds)
