"""POST one signed webhook through the SSRF-safe network layer, with bounded time.

Connections go through :class:`~badgeforge.outbound.network.GuardedBackend`, like every
outbound fetch: public addresses only (loopback too when
``BADGEFORGE_OUTBOUND_ALLOW_LOOPBACK=true``), checked on connect. Redirects are not
followed (a 3xx is a failed attempt); the answer's body is read up to 64 KiB and dropped.
"""

import time
from dataclasses import dataclass

import httpcore
import httpx

from badgeforge.outbound.network import GuardedBackend, deadline
from badgeforge.outbound.transport import GuardedTransport

USER_AGENT = "badgeforge-webhooks/0.1 (Standard Webhooks)"
MAX_ANSWER_BYTES = 64 * 1024


@dataclass(frozen=True)
class Outcome:
    """What one attempt gave: a status code, or an error; and how long it took."""

    status_code: int | None
    duration_ms: int
    error: str | None

    @property
    def delivered(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


class Sender:
    """Thread-safe webhook poster; one per process (it keeps a connection pool)."""

    def __init__(self, *, allow_loopback: bool, timeout: float) -> None:
        self.timeout = timeout
        self.backend = GuardedBackend(allow_loopback=allow_loopback)
        self._client = httpx.Client(
            transport=GuardedTransport(self.backend, max_connections=64),
            trust_env=False,
            follow_redirects=False,
            headers={"User-Agent": USER_AGENT},
        )

    def check_url(self, url: str) -> None:
        """Refuse at once a URL that can never be delivered to (scheme, credentials, IP)."""
        parsed = httpx.URL(url)
        if parsed.scheme not in ("http", "https") or not parsed.host or parsed.userinfo:
            raise ValueError(f"{url} is not an http(s) URL without credentials")
        self.backend.check_literal(parsed.host)

    def post(self, url: str, body: bytes, headers: dict[str, str]) -> Outcome:
        """POST ``body`` to ``url``; any failure is an outcome, never an exception."""
        started = time.monotonic()
        at = started + self.timeout
        status: int | None = None
        error: str | None = None
        try:
            self.check_url(url)
            with deadline(at):
                status = self._send(url, body, headers, at)
            if not 200 <= status < 300:
                error = f"the endpoint answered HTTP {status}"
        except (httpx.TimeoutException, httpcore.TimeoutException):
            error = f"no answer within {self.timeout:g} s"
        except Exception as failure:  # every failure is a recorded outcome
            error = f"{type(failure).__name__}: {failure}"[:500]
        return Outcome(status, round((time.monotonic() - started) * 1000), error)

    def _send(self, url: str, body: bytes, headers: dict[str, str], at: float) -> int:
        timeout = httpx.Timeout(self.timeout, connect=min(5.0, self.timeout))
        request = self._client.build_request(
            "POST",
            url,
            content=body,
            headers={**headers, "Content-Type": "application/json"},
            timeout=timeout,
        )
        response = self._client.send(request, stream=True)
        try:
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > MAX_ANSWER_BYTES or time.monotonic() > at:
                    break
            if time.monotonic() > at:
                raise httpx.ReadTimeout("the answer took too long")
            return response.status_code
        finally:
            response.close()

    def close(self) -> None:
        self._client.close()
