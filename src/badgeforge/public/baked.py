"""Baked images of issued awards, made once per award and format and kept in a bounded cache.

Baking is a deterministic function of what was frozen at award time (the stored image
and document), so each process can keep its own cache without any coordination. Each entry
keeps its validator too: hashing a baked image for its ETag cost as much as the rest of
the request.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import NamedTuple

from badgeforge.caching import body_etag

MAX_CACHED_BYTES = 64 * 1024 * 1024


class Baked(NamedTuple):
    """Image bytes and the ETag of a 200 answer serving them (``caching.body_etag``)."""

    data: bytes
    etag: str


class BakedCache:
    """A thread-safe LRU cache of baked images keyed by award and format, bounded in bytes."""

    def __init__(self, max_bytes: int = MAX_CACHED_BYTES) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[Hashable, Baked] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get_or_bake(
        self, award_id: Hashable, kind: str, media_type: str, bake: Callable[[], bytes]
    ) -> Baked:
        """The cached image, or ``bake()``'s result in ``media_type``, cached (``award_id``
        and ``kind`` key it)."""
        key = (award_id, kind)
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
                return found
        data = bake()
        baked = Baked(data, body_etag(200, media_type, data))
        with self._lock:
            if key not in self._entries and len(data) <= self.max_bytes:
                self._entries[key] = baked
                self._size += len(data)
                while self._size > self.max_bytes:
                    _, evicted = self._entries.popitem(last=False)
                    self._size -= len(evicted.data)
        return baked


BAKED = BakedCache()
IMAGES = BakedCache(16 * 1024 * 1024)
"""Stored badge images by digest: immutable, read for every bake otherwise."""
