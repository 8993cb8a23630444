"""The one door the core has to the network: a fetcher protocol the caller implements.

Verification must fetch (hosted assertions, issuer profiles, keys, status lists), yet the
core opens no socket: it asks a :class:`Fetcher` it was given. The service's fetcher
(``badgeforge.outbound``) is SSRF-safe; tests give one over an in-memory dict.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from badgeforge.core.errors import CoreError

DEFAULT_MAX_BYTES = 1_048_576


class FetchError(CoreError):
    """A URL could not be fetched: refused address, timeout, too large, network error."""


class RefusedUrl(FetchError):
    """The URL is not one we fetch: not http(s), malformed, or carrying credentials."""


class RefusedAddress(FetchError):
    """The host is, or resolves to, an address outside the public internet."""

    def __init__(self, message: str, address: str = "") -> None:
        super().__init__(message)
        self.address = address


class TooManyRedirects(FetchError):
    """The server redirected more times than allowed."""


class ResponseTooLarge(FetchError):
    """The response body is larger than the caller's limit."""


class UnexpectedContentType(FetchError):
    """The response's media type is not one the caller accepts."""


class FetchTimeout(FetchError):
    """Connecting, reading or the whole fetch took longer than allowed."""


class Unreachable(FetchError):
    """The host name does not resolve, or the connection or TLS handshake failed."""


@dataclass(frozen=True)
class Fetched:
    """One HTTP response, after redirects: ``url`` is where the body finally came from."""

    url: str
    status: int
    content_type: str
    headers: Mapping[str, str]
    body: bytes

    @property
    def media_type(self) -> str:
        """The content type without parameters, lower case (``application/json``)."""
        return self.content_type.split(";", 1)[0].strip().lower()


class Fetcher(Protocol):
    """Fetch a URL with GET; raises FetchError (never another exception) on failure.

    Any HTTP status is returned as a :class:`Fetched` (a 410 is an answer, not an error);
    a body longer than ``max_bytes`` is a FetchError. It must be safe to call from several
    threads at once: a verification fetches independent documents side by side.
    """

    def get(self, url: str, *, accept: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Fetched: ...
