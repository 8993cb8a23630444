"""The service's :class:`~badgeforge.core.fetching.Fetcher`: GET one public URL, safely.

Only ``http``/``https`` URLs without credentials; every connection goes through
:class:`~badgeforge.outbound.network.GuardedBackend` (addresses checked on connect);
redirects are followed here, one by one, each target checked again, at most five;
connect, read and total wall-clock timeouts; the body is streamed and abandoned past the
size cap; the media type of a successful answer must be one the caller accepts; a few
simultaneous fetches per host; and a small TTL cache. Every failure is a typed
:class:`~badgeforge.core.fetching.FetchError` with a message a person can read.
"""

import ssl
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from http.cookiejar import CookieJar, DefaultCookiePolicy

import httpcore
import httpx

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
from badgeforge.outbound.cache import ResponseCache
from badgeforge.outbound.network import GuardedBackend, Resolver, deadline, system_resolver
from badgeforge.outbound.transport import GuardedTransport

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
USER_AGENT = "badgeforge-verifier/0.1 (Open Badges verification)"
MiB = 1024 * 1024


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


def _no_cookies() -> CookieJar:
    """A jar that keeps nothing: one site's cookies must never reach another fetch."""
    return CookieJar(policy=DefaultCookiePolicy(allowed_domains=[]))


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
    """An SSRF-safe HTTP GET for the verification core (and, later, webhooks).

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
        self.backend = GuardedBackend(
            allow_loopback=allow_loopback, resolver=resolver, inner=network
        )
        self._limiter = _HostLimiter(per_host_concurrency)
        self._client = httpx.Client(
            transport=GuardedTransport(self.backend, ssl_context=ssl_context),
            trust_env=False,
            follow_redirects=False,
            cookies=_no_cookies(),
            headers={"User-Agent": user_agent},
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
        self._client.close()

    def _fetch(self, url: str, accept: str, limit: int) -> Fetched:
        at = time.monotonic() + self.total_timeout
        current, redirects = url, 0
        with deadline(at), self._errors(url):
            while True:
                target = self._checked_url(current)
                response, body = self._send(target, accept, limit, at)
                location = response.headers.get("location")
                if response.status_code not in REDIRECT_STATUSES or not location:
                    return _fetched(target, response, body)
                redirects += 1
                if redirects > self.max_redirects:
                    raise TooManyRedirects(f"{url} redirected more than {self.max_redirects} times")
                current = str(target.join(location))

    def _send(
        self, target: httpx.URL, accept: str, limit: int, at: float
    ) -> tuple[httpx.Response, bytes]:
        remaining = max(0.001, at - time.monotonic())
        timeout = httpx.Timeout(
            connect=min(self.connect_timeout, remaining),
            read=min(self.read_timeout, remaining),
            write=min(self.read_timeout, remaining),
            pool=remaining,
        )
        request = self._client.build_request(
            "GET", target, headers={"Accept": accept}, timeout=timeout
        )
        with self._limiter.slot(target.host, at):
            response = self._client.send(request, stream=True)
            try:
                if response.status_code in REDIRECT_STATUSES and "location" in response.headers:
                    return response, b""
                return response, _read_capped(response, str(target), limit, at)
            finally:
                response.close()

    def _checked_url(self, url: str) -> httpx.URL:
        try:
            parsed = httpx.URL(url)
        except (httpx.InvalidURL, TypeError) as error:
            raise RefusedUrl(f"{url!r} is not a valid URL ({error})") from None
        if parsed.scheme not in ("http", "https"):
            shown = f"'{parsed.scheme}:'" if parsed.scheme else "no scheme"
            raise RefusedUrl(f"{url} has {shown}; only http and https URLs are fetched")
        if not parsed.host:
            raise RefusedUrl(f"{url} has no host")
        if parsed.userinfo:
            raise RefusedUrl(f"{url} carries a user name or password; such URLs are not fetched")
        self.backend.check_literal(parsed.host)  # before any connection; checked again there
        return parsed

    @contextmanager
    def _errors(self, url: str) -> Iterator[None]:
        try:
            yield
        except FetchError:
            raise
        except (httpx.TimeoutException, httpcore.TimeoutException):
            raise FetchTimeout(
                f"{url} did not answer in time (limit {self.total_timeout:g} s in all)"
            ) from None
        except (httpx.InvalidURL, httpx.UnsupportedProtocol, httpcore.UnsupportedProtocol) as error:
            raise RefusedUrl(f"{url} cannot be fetched ({error})") from None
        except httpx.DecodingError:
            raise FetchError(f"{url} sent a body that does not match its encoding") from None
        except (httpx.HTTPError, httpcore.NetworkError, httpcore.ProtocolError) as error:
            raise Unreachable(
                f"{url} could not be reached ({error or type(error).__name__})"
            ) from None


def _fetched(target: httpx.URL, response: httpx.Response, body: bytes) -> Fetched:
    headers = response.headers
    return Fetched(
        url=str(target),
        status=response.status_code,
        content_type=headers.get("content-type", ""),
        headers={name: ", ".join(headers.get_list(name)) for name in headers},
        body=body,
    )


def _read_capped(response: httpx.Response, url: str, limit: int, at: float) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise ResponseTooLarge(f"{url} is {int(declared)} bytes, more than the {limit} allowed")
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > limit:
            raise ResponseTooLarge(f"{url} is larger than the {limit} bytes allowed")
        if time.monotonic() > at:
            raise FetchTimeout(f"{url} took too long to send its answer")
        chunks.append(chunk)
    return b"".join(chunks)
