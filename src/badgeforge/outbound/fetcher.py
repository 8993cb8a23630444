"""The service's :class:`~badgeforge.core.fetching.Fetcher`: GET one public URL, safely.

Only ``http``/``https`` URLs without credentials; every connection goes through
:class:`~badgeforge.outbound.network.GuardedBackend` (addresses checked on connect, by the
keep-alive pool of :mod:`badgeforge.outbound.client`); redirects are followed here, one by
one, each target checked again, at most five; connect, read and total wall-clock timeouts;
the body is read in pieces and abandoned past the size cap, after decompression too
(``gzip``/``deflate``); the media type of a successful answer must be one the caller
accepts; a few simultaneous fetches per host; and a small TTL cache. No cookie is kept or
sent. Every failure is a typed :class:`~badgeforge.core.fetching.FetchError` with a
message a person can read.
"""

import ssl
import threading
import time
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from ipaddress import IPv4Address
from string import hexdigits
from urllib.parse import quote, urljoin, urlsplit, urlunsplit

import httpcore

from badgeforge.core.fetching import (
    Fetched,
    FetchError,
    FetchTimeout,
    RefusedUrl,
    ResponseTooLarge,
    TooManyRedirects,
    UnexpectedContentType,
    Unreachable,
)
from badgeforge.outbound.addresses import parse_address
from badgeforge.outbound.cache import ResponseCache
from badgeforge.outbound.client import ConnectionPool, MalformedAnswer, Origin
from badgeforge.outbound.network import GuardedBackend, Resolver, deadline, system_resolver

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
USER_AGENT = "badgeforge-verifier/0.1 (Open Badges verification)"
MiB = 1024 * 1024
DEFAULT_PORTS = {"http": 80, "https": 443}
_PATH_SAFE = "/%:@!$&'()*+,;=-._~"
_QUERY_SAFE = _PATH_SAFE + "?"


class _HostLimiter:
    """At most ``limit`` fetches in flight per host; others wait, up to their deadline."""

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._active: dict[str, int] = {}
        self._changed = threading.Condition()

    @contextmanager
    def slot(self, host: str, at: float) -> Iterator[None]:
        with self._changed:
            free = self._changed.wait_for(
                lambda: self._active.get(host, 0) < self._limit, max(0.0, at - time.monotonic())
            )
            if not free:
                raise FetchTimeout(f"too many fetches from {host} at once; try again later")
            self._active[host] = self._active.get(host, 0) + 1
        try:
            yield
        finally:
            with self._changed:
                self._active[host] -= 1
                if not self._active[host]:
                    del self._active[host]
                self._changed.notify_all()


@dataclass(frozen=True)
class Target:
    """A checked URL: where to connect, what to ask for, and the URL as text."""

    origin: Origin
    path: str
    url: str

    @property
    def host_header(self) -> str:
        return _netloc(self.origin)


def _netloc(origin: Origin) -> str:
    scheme, host, port = origin
    shown = f"[{host}]" if ":" in host else host
    return shown if DEFAULT_PORTS[scheme] == port else f"{shown}:{port}"


def accepted_media_types(accept: str | Sequence[str]) -> tuple[str, tuple[str, ...]]:
    """The ``Accept`` header to send and the media types it lists (empty: any type)."""
    items = accept.split(",") if isinstance(accept, str) else list(accept)
    types = tuple(t for t in (i.split(";", 1)[0].strip().lower() for i in items) if t)
    if not types or "*/*" in types:
        return (", ".join(i.strip() for i in items if i.strip()) or "*/*"), ()
    return ", ".join(i.strip() for i in items if i.strip()), types


def media_type_accepted(media_type: str, accepted: Sequence[str]) -> bool:
    """Whether ``media_type`` matches one of ``accepted`` (``type/*`` matches a family)."""
    if not accepted:
        return True
    family = media_type.split("/", 1)[0] + "/*"
    return media_type in accepted or family in accepted


class OutboundFetcher:
    """An SSRF-safe HTTP GET for the verification core.

    Thread-safe; one instance per process is enough. ``resolver`` and ``network`` replace
    DNS and socket opening in tests (the checks in between always run); ``ssl_context``
    replaces the default trust store (certifi).
    """

    def __init__(
        self,
        *,
        allow_loopback: bool = False,
        connect_timeout: float = 5.0,
        read_timeout: float = 10.0,
        total_timeout: float = 20.0,
        max_bytes: int = 2 * MiB,
        max_redirects: int = 5,
        per_host_concurrency: int = 4,
        cache: ResponseCache | None = None,
        resolver: Resolver = system_resolver,
        network: httpcore.NetworkBackend | None = None,
        ssl_context: ssl.SSLContext | None = None,
        user_agent: str = USER_AGENT,
    ) -> None:
        if not 0 <= max_redirects <= 5:
            raise ValueError("max_redirects must be between 0 and 5")
        self.connect_timeout, self.read_timeout = connect_timeout, read_timeout
        self.total_timeout, self.max_bytes = total_timeout, max_bytes
        self.max_redirects, self.cache = max_redirects, cache
        self.user_agent = user_agent
        self.backend = GuardedBackend(
            allow_loopback=allow_loopback, resolver=resolver, inner=network
        )
        self._limiter = _HostLimiter(per_host_concurrency)
        self._pool = ConnectionPool(
            self.backend,
            ssl_context=ssl_context,
            connect_timeout=connect_timeout,
            read_timeout=read_timeout,
            max_idle=per_host_concurrency,
        )

    def get(
        self, url: str, *, accept: str | Sequence[str] = "", max_bytes: int | None = None
    ) -> Fetched:
        """GET ``url`` (see :class:`~badgeforge.core.fetching.Fetcher`); any status returned."""
        limit = self.max_bytes if max_bytes is None else max_bytes
        accept_header, media_types = accepted_media_types(accept)
        key = (url, accept_header)
        fetched = self.cache.get(key) if self.cache is not None else None
        if fetched is None:
            fetched = self._fetch(url, accept_header, limit)
            if 200 <= fetched.status < 300 and not media_type_accepted(
                fetched.media_type, media_types
            ):
                shown = fetched.media_type or "no content type"
                raise UnexpectedContentType(
                    f"{fetched.url} answered with {shown}, expected {', '.join(media_types)}"
                )
            if self.cache is not None:
                self.cache.put(key, fetched)
        if len(fetched.body) > limit:
            raise ResponseTooLarge(f"{url} is larger than the {limit} bytes allowed")
        return fetched

    def close(self) -> None:
        """Close pooled connections."""
        self._pool.close()

    def _fetch(self, url: str, accept: str, limit: int) -> Fetched:
        at = time.monotonic() + self.total_timeout
        current, redirects = url, 0
        with deadline(at), self._errors(url):
            while True:
                target = self._checked_url(current)
                fetched = self._send(target, accept, limit, at)
                location = fetched.headers.get("location")
                if fetched.status not in REDIRECT_STATUSES or not location:
                    return fetched
                redirects += 1
                if redirects > self.max_redirects:
                    raise TooManyRedirects(f"{url} redirected more than {self.max_redirects} times")
                current = urljoin(target.url, location)

    def _send(self, target: Target, accept: str, limit: int, at: float) -> Fetched:
        headers = {
            "Host": target.host_header,
            "Accept": accept,
            "Accept-Encoding": "gzip, deflate",
            "User-Agent": self.user_agent,
            "Connection": "keep-alive",
        }
        with (
            self._limiter.slot(target.origin[1], at),
            self._pool.get(target.origin, target.path, headers) as answer,
        ):
            fields: dict[str, str] = {}
            for name, value in answer.headers:
                name = name.lower()
                fields[name] = f"{fields[name]}, {value}" if name in fields else value
            body = b""
            if answer.status not in REDIRECT_STATUSES or "location" not in fields:
                # a redirect's body is left unread (and its connection closed)
                body = _decoded(answer.read_body(target.url, limit), fields, target.url, limit)
        return Fetched(
            url=target.url,
            status=answer.status,
            content_type=fields.get("content-type", ""),
            headers=fields,
            body=body,
        )

    def _checked_url(self, url: str) -> Target:
        target = parse_target(url)
        self.backend.check_literal(target.origin[1])  # before any connection; again there
        return target

    @contextmanager
    def _errors(self, url: str) -> Iterator[None]:
        try:
            yield
        except MalformedAnswer as error:
            raise Unreachable(f"{url} sent an answer badgeforge cannot read: {error}") from None
        except FetchError:
            raise
        except (TimeoutError, httpcore.TimeoutException):
            raise FetchTimeout(
                f"{url} did not answer in time (limit {self.total_timeout:g} s in all)"
            ) from None
        except zlib.error:
            raise FetchError(f"{url} sent a body that does not match its encoding") from None
        except (OSError, httpcore.NetworkError, httpcore.ProtocolError) as error:
            raise Unreachable(
                f"{url} could not be reached ({error or type(error).__name__})"
            ) from None


@lru_cache(maxsize=1024)  # pure: a verifier asks for the same few URLs again and again
def parse_target(url: str) -> Target:
    """Where ``url`` leads, or RefusedUrl: http(s) only, no credentials, a host; the host
    in ASCII (IDNA), a numeric one as a dotted quad; path and query percent-encoded."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except (ValueError, TypeError) as error:
        raise RefusedUrl(f"{url!r} is not a valid URL ({error})") from None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        shown = f"'{scheme}:'" if scheme else "no scheme"
        raise RefusedUrl(f"{url} has {shown}; only http and https URLs are fetched")
    if parts.username is not None or "@" in parts.netloc:
        raise RefusedUrl(f"{url} carries a user name or password; such URLs are not fetched")
    if not parts.hostname:
        raise RefusedUrl(f"{url} has no host")
    try:
        host = parts.hostname.encode("idna").decode("ascii")
    except UnicodeError as error:
        raise RefusedUrl(f"{url!r} is not a valid URL ({error})") from None
    if _ends_in_a_number(host):  # 2130706433, 0x7f.1, 0177.0.0.1, 127.1: all 127.0.0.1
        host = _ipv4(host, url)
    path = quote(parts.path or "/", safe=_PATH_SAFE)
    query = quote(parts.query, safe=_QUERY_SAFE)
    origin = (scheme, host, port or DEFAULT_PORTS[scheme])
    text = urlunsplit((scheme, _netloc(origin), path, query, ""))
    return Target(origin, f"{path}?{query}" if query else path, text)


def _ends_in_a_number(host: str) -> bool:
    """WHATWG's test for a host the URL parser must read as IPv4 (its last label numeric)."""
    if ":" in host:  # IPv6
        return False
    last = host.rstrip(".").rsplit(".", 1)[-1].lower()
    return last.isdigit() or (last.startswith("0x") and all(c in hexdigits for c in last[2:]))


def _ipv4(host: str, url: str) -> str:
    """The dotted quad of a numeric host, read as the WHATWG URL standard (and resolvers) do:
    one to four parts, each decimal, octal (``0`` prefix) or hexadecimal (``0x``)."""
    if str(parse_address(host)) == host:  # already a dotted quad
        return host
    invalid = RefusedUrl(f"{url!r} is not a valid URL ({host} is not an IPv4 address)")
    parts = host.rstrip(".").split(".")
    if len(parts) > 4:
        raise invalid
    numbers = []
    for part in parts:
        base, digits = 10, part
        if part[:2].lower() == "0x":
            base, digits = 16, part[2:] or "0"
        elif len(part) > 1 and part.startswith("0"):
            base, digits = 8, part[1:]
        try:
            numbers.append(int(digits, base))
        except ValueError:
            raise invalid from None
    *leading, last = numbers
    if any(n > 255 for n in leading) or last >= 256 ** (5 - len(numbers)):
        raise invalid
    value = sum(n << (8 * (3 - index)) for index, n in enumerate(leading)) + last
    return str(IPv4Address(value))


def _decoder(url: str, fields: dict[str, str]) -> "zlib._Decompress | None":
    encodings = [e.strip().lower() for e in fields.get("content-encoding", "").split(",")]
    encodings = [e for e in encodings if e and e != "identity"]
    if not encodings:
        return None
    if len(encodings) > 1 or encodings[0] not in ("gzip", "x-gzip", "deflate"):
        raise FetchError(f"{url} sent a body in an encoding not asked for ({', '.join(encodings)})")
    # gzip: a gzip header; deflate: a zlib header (32 + 15 accepts both, as servers mix them)
    return zlib.decompressobj(16 + zlib.MAX_WBITS if "gzip" in encodings[0] else 32 + 15)


def _decoded(body: bytes, fields: dict[str, str], url: str, limit: int) -> bytes:
    """``body`` decompressed (``gzip``/``deflate``), at most ``limit`` bytes of it."""
    decoder = _decoder(url, fields)
    if decoder is None:
        return body
    decoded = decoder.decompress(body, limit + 1)
    if len(decoded) > limit or decoder.unconsumed_tail:
        raise ResponseTooLarge(f"{url} is larger than the {limit} bytes allowed")
    tail = decoder.flush(limit + 1 - len(decoded))
    if len(decoded) + len(tail) > limit:
        raise ResponseTooLarge(f"{url} is larger than the {limit} bytes allowed")
    return decoded + tail
