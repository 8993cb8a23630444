"""Options of one verification, and the fetches it makes through the caller's fetcher.

A verification fetches a bounded number of documents (hosted assertions, profiles, keys,
status lists, endorsements), each at most once: the same URL asked twice is answered from
a per-verification memo (a failure too). Documents that do not depend on each other (a
signed badge's BadgeClass and key, its endorsements) can be fetched at the same time with
:meth:`Session.prefetch`, which fills the memo. Without a fetcher, anything that needs the
network is reported as not checkable rather than guessed.
"""

import threading
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from badgeforge.core.errors import CoreError
from badgeforge.core.fetching import Fetched, Fetcher, FetchError
from badgeforge.core.jsonld import DocumentLoader, offline_loader
from badgeforge.core.verification.inputs import InvalidInput, parse_document

ACCEPT_JSON = "application/ld+json, application/json;q=0.9, */*;q=0.1"
ACCEPT_ANY_BADGE = (
    "application/ld+json, application/json, application/vc+ld+json, text/plain;q=0.8, "
    "image/png;q=0.5, image/svg+xml;q=0.5"
)
MAX_DOCUMENT_BYTES = 1_048_576
MAX_IMAGE_BYTES = 8 * 1024 * 1024

Document = dict[str, Any]
_PREFETCH = ThreadPoolExecutor(max_workers=8, thread_name_prefix="badgeforge-prefetch")


@dataclass(frozen=True)
class VerifyOptions:
    """How to verify: the clock, the fetcher (None: offline), an optional recipient email.

    ``loader`` serves JSON-LD contexts and must never reach the network (the bundled
    offline loader by default); ``max_fetches`` bounds the documents one verification
    may fetch, endorsements included.
    """

    now: datetime
    fetcher: Fetcher | None = None
    recipient: str | None = None
    loader: DocumentLoader = offline_loader
    max_fetches: int = 24


class Unfetchable(CoreError):
    """A document could not be obtained; ``code`` names the message."""

    def __init__(self, code: str, url: str, detail: str | None = None) -> None:
        super().__init__(detail or url)
        self.code = code
        self.url = url
        self.detail = detail


@dataclass
class Session:
    """One verification's options and its memo of fetched documents (or fetch failures)."""

    options: VerifyOptions
    fetches: int = 0
    memo: dict[str, Fetched | Unfetchable] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def now(self) -> datetime:
        return self.options.now

    @property
    def loader(self) -> DocumentLoader:
        return self.options.loader

    def fetch(
        self, url: str, accept: str = ACCEPT_JSON, max_bytes: int = MAX_DOCUMENT_BYTES
    ) -> Fetched:
        """GET ``url`` (any status is returned); raises Unfetchable."""
        url = url.split("#", 1)[0]
        if not url.lower().startswith(("https://", "http://")):
            raise Unfetchable("fetch.not_http", url)
        remembered = self.memo.get(url)
        if remembered is None:
            remembered = self._fetch(url, accept, max_bytes)
        if isinstance(remembered, Unfetchable):
            raise remembered
        if len(remembered.body) > max_bytes:
            raise Unfetchable("fetch.too_large", url, f"more than {max_bytes} bytes")
        return remembered

    def prefetch(self, requests: Iterable[tuple[Any, str]]) -> None:
        """Fetch these documents (URL and ``Accept``, as the check that reads each will ask
        for it) at the same time, those not in the memo yet; non-HTTP URLs are left out.

        What each fetch gives, success or failure, is remembered; nothing is raised here:
        the check that needs a document reports on it when it asks :meth:`fetch` for it.
        """
        pending: dict[str, str] = {}
        for url, accept in requests:
            if isinstance(url, str) and url.lower().startswith(("https://", "http://")):
                pending.setdefault(url.split("#", 1)[0], accept)
        pending = {url: accept for url, accept in pending.items() if url not in self.memo}
        if self.options.fetcher is None or not pending:
            return
        (first, first_accept), *rest = pending.items()
        others = [
            _PREFETCH.submit(self._fetch, url, accept, MAX_DOCUMENT_BYTES) for url, accept in rest
        ]
        self._fetch(first, first_accept, MAX_DOCUMENT_BYTES)
        for other in others:
            other.result()

    def _fetch(self, url: str, accept: str, max_bytes: int) -> Fetched | Unfetchable:
        """Fetch ``url`` once and remember the answer or the failure (thread-safe)."""
        fetcher = self.options.fetcher
        if fetcher is None:
            return Unfetchable("fetch.offline", url)
        with self._lock:
            if self.fetches >= self.options.max_fetches:
                detail = f"more than {self.options.max_fetches} fetches"
                return Unfetchable("fetch.budget", url, detail)
            self.fetches += 1
        result: Fetched | Unfetchable
        try:
            result = fetcher.get(url, accept=accept, max_bytes=max_bytes)
        except FetchError as error:
            result = Unfetchable("fetch.failed", url, str(error)[:300])
        self.memo[url] = result
        return result

    def fetch_json(self, url: str) -> Document:
        """GET ``url`` and parse a JSON object from a 200 answer; raises Unfetchable."""
        fetched = self.fetch(url)
        if fetched.status != 200:
            raise Unfetchable("fetch.status", url, f"HTTP {fetched.status}")
        return self.parse(fetched)

    def parse(self, fetched: Fetched) -> Document:
        try:
            return parse_document(fetched.body)
        except InvalidInput as error:
            raise Unfetchable("fetch.not_json", fetched.url, error.detail) from error
