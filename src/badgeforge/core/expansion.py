"""pyld's JSON-LD expansion, with processed contexts remembered from one document to the next.

pyld resolves the remote contexts of every call again unless the loader tags them
``static``, and its cache of processed contexts is keyed by a fresh ``uuid1`` each time a
type-scoped context is applied, so an OB 3.0 credential paid for processing the VC 2.0
and OB 3.0 contexts (about 120 term definitions) on every canonicalization. Here the
contexts a loader serves are cached per loader (a loader must answer the same document
for a URL for as long as it lives, as the bundled one does), and each processed context
is remembered by the identity of the active context and of the local context it was
built from. Both are held by the cache, so an identity cannot be reused while its entry
lives; bundled contexts are never mutated. Expansion itself is pyld's, unchanged.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from pyld import jsonld
from pyld.context_resolver import ContextResolver

from badgeforge.core.jsonld import DocumentLoader

MAX_PROCESSED = 4096
MAX_RESOLVED = 1024
MAX_LOADERS = 16


class _BoundedDict(dict[Any, Any]):
    """A dict emptied when it would grow past ``limit`` (inline contexts are never reused)."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit

    def __setitem__(self, key: Any, value: Any) -> None:
        if len(self) >= self.limit:
            self.clear()
        super().__setitem__(key, value)


class _LoaderCache:
    """What is remembered for one document loader: resolved and processed contexts."""

    def __init__(self, loader: DocumentLoader) -> None:
        self.resolved = _BoundedDict(MAX_RESOLVED)
        self.processed = _BoundedDict(MAX_PROCESSED)

        def static_loader(url: str, options: Any = None) -> dict[str, Any]:
            return {**loader(url, options), "tag": "static"}

        self.loader = static_loader


_caches: OrderedDict[DocumentLoader, _LoaderCache] = OrderedDict()
_caches_lock = threading.Lock()


def _cache_for(loader: DocumentLoader) -> _LoaderCache:
    with _caches_lock:
        cache = _caches.get(loader)
        if cache is None:
            cache = _caches[loader] = _LoaderCache(loader)
            while len(_caches) > MAX_LOADERS:
                _caches.popitem(last=False)
        else:
            _caches.move_to_end(loader)
        return cache


def _context_key(local_ctx: Any) -> tuple[str, Any]:
    if isinstance(local_ctx, str):
        return ("url", local_ctx)
    if isinstance(local_ctx, list) and all(isinstance(item, str) for item in local_ctx):
        return ("urls", tuple(local_ctx))
    return ("object", id(local_ctx))


class _Processor(jsonld.JsonLdProcessor):  # type: ignore[misc]
    def __init__(self, cache: _LoaderCache, on_property_dropped: Callable[[Any], None]) -> None:
        super().__init__(on_property_dropped=on_property_dropped)
        self.cache = cache

    def _process_context(
        self,
        active_ctx: Any,
        local_ctx: Any,
        options: Any,
        override_protected: bool = False,
        propagate: bool = True,
        validate_scoped: bool = True,
        cycles: Any = None,
    ) -> Any:
        def process() -> Any:
            return super(_Processor, self)._process_context(
                active_ctx, local_ctx, options, override_protected, propagate,
                validate_scoped, cycles,
            )  # fmt: skip

        if cycles:  # validating scoped contexts while a context is being processed
            return process()
        local_key = _context_key(local_ctx)
        key = (id(active_ctx), local_key, override_protected, propagate, validate_scoped)
        hit = self.cache.processed.get(key)
        if (
            hit is not None
            and hit[0] is active_ctx
            and (local_key[0] != "object" or hit[1] is local_ctx)
        ):
            return hit[2]
        result = process()
        self.cache.processed[key] = (active_ctx, local_ctx, result)
        return result


def expand(
    document: dict[str, Any],
    loader: DocumentLoader,
    on_property_dropped: Callable[[Any], None],
) -> Any:
    """pyld's expansion of ``document`` (no base IRI); raises pyld's JsonLdError."""
    cache = _cache_for(loader)
    processor = _Processor(cache, on_property_dropped)
    options = {
        "documentLoader": cache.loader,
        "base": None,
        "contextResolver": ContextResolver(cache.resolved, cache.loader),
    }
    return processor.expand(document, options)
