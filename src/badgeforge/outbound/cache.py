"""A small in-process cache of fetched documents, bounded in entries, bytes and time.

Keys, DID documents and status lists are fetched again and again while verifying badges
of the same issuer; a few seconds to minutes of reuse spares the remote servers and our
latency. The cache follows ``Cache-Control``: ``no-store``/``no-cache`` (and a zero
``max-age``) are not stored; ``max-age`` is honoured up to a cap, so a revocation is seen
within that cap whatever the server says; an error status is kept a few seconds at most.
Each process has its own cache: nothing here needs to be shared to stay correct.
"""

import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from badgeforge.core.fetching import Fetched

CacheKey = tuple[str, str]
_MAX_AGE = re.compile(r"(?:^|,)\s*max-age\s*=\s*\"?(\d+)\"?\s*(?:,|$)", re.IGNORECASE)
_NO_STORE = re.compile(r"(?:^|,)\s*(?:no-store|no-cache)\s*(?:[,=]|$)", re.IGNORECASE)


@dataclass(frozen=True)
class _Entry:
    fetched: Fetched
    expires_at: float


class ResponseCache:
    """Thread-safe LRU of :class:`Fetched` documents, each with its own lifetime."""

    def __init__(
        self,
        *,
        max_entries: int = 256,
        max_bytes: int = 16 * 1024 * 1024,
        max_ttl: float = 300.0,
        default_ttl: float = 30.0,
        error_ttl: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_entries, self.max_bytes = max_entries, max_bytes
        self.max_ttl, self.default_ttl, self.error_ttl = max_ttl, default_ttl, error_ttl
        self._clock = clock
        self._entries: OrderedDict[CacheKey, _Entry] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def lifetime(self, fetched: Fetched) -> float:
        """How long ``fetched`` may be reused, in seconds (0: do not store it)."""
        control = fetched.headers.get("cache-control", "")
        if _NO_STORE.search(control):
            return 0.0
        match = _MAX_AGE.search(control)
        ttl = float(match.group(1)) if match else self.default_ttl
        if not 200 <= fetched.status < 300:
            ttl = min(ttl, self.error_ttl)
        return max(0.0, min(ttl, self.max_ttl))

    def get(self, key: CacheKey) -> Fetched | None:
        """The stored document for ``key`` if it is still fresh."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            if entry.expires_at <= self._clock():
                self._drop(key)
                return None
            self._entries.move_to_end(key)
            return entry.fetched

    def put(self, key: CacheKey, fetched: Fetched) -> None:
        """Store ``fetched`` for its lifetime, evicting the least recently used entries."""
        ttl = self.lifetime(fetched)
        size = len(fetched.body)
        if ttl <= 0 or self.max_entries <= 0 or size > self.max_bytes:
            return
        with self._lock:
            self._drop(key)
            self._entries[key] = _Entry(fetched, self._clock() + ttl)
            self._bytes += size
            while len(self._entries) > self.max_entries or self._bytes > self.max_bytes:
                self._drop(next(iter(self._entries)))

    def clear(self) -> None:
        """Forget every stored document."""
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._entries)

    def _drop(self, key: CacheKey) -> None:
        entry = self._entries.pop(key, None)
        if entry is not None:
            self._bytes -= len(entry.fetched.body)
