"""Baked images of issued awards, made once per award and format and kept in a bounded cache.

Baking is a deterministic function of what was frozen at award time (the stored image
and document), so each process can keep its own cache without any coordination.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

MAX_CACHED_BYTES = 64 * 1024 * 1024


class BakedCache:
    """A thread-safe LRU cache of baked images keyed by award and format, bounded in bytes."""

    def __init__(self, max_bytes: int = MAX_CACHED_BYTES) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[Hashable, bytes] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get_or_bake(self, award_id: Hashable, kind: str, bake: Callable[[], bytes]) -> bytes:
        """The cached image, or ``bake()``'s result, cached (``award_id`` and ``kind`` key it)."""
        key = (award_id, kind)
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
                return found
        data = bake()
        with self._lock:
            if key not in self._entries and len(data) <= self.max_bytes:
                self._entries[key] = data
                self._size += len(data)
                while self._size > self.max_bytes:
                    _, evicted = self._entries.popitem(last=False)
                    self._size -= len(evicted)
        return data


BAKED = BakedCache()
IMAGES = BakedCache(16 * 1024 * 1024)
"""Stored badge images by digest: immutable, read for every bake otherwise."""
