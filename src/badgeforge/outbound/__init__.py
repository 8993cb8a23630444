"""Outbound HTTP, SSRF-safe: the one way badgeforge fetches anything from another server.

Badges, keys, DID documents and status lists of other issuers (and, later, webhooks) are
fetched with :class:`OutboundFetcher`, which implements the core's
:class:`~badgeforge.core.fetching.Fetcher` protocol. Only public internet addresses are
reached; ``BADGEFORGE_OUTBOUND_ALLOW_LOOPBACK=true`` adds loopback, for local development
and tests only.
"""

from badgeforge.outbound.cache import ResponseCache
from badgeforge.outbound.fetcher import OutboundFetcher
from badgeforge.settings import Settings

__all__ = ["OutboundFetcher", "ResponseCache", "fetcher_from_settings"]


def fetcher_from_settings(settings: Settings) -> OutboundFetcher:
    """The process's fetcher, configured by the ``outbound_*`` settings."""
    cache = (
        ResponseCache(
            max_entries=settings.outbound_cache_entries,
            max_ttl=settings.outbound_cache_max_seconds,
        )
        if settings.outbound_cache_entries
        else None
    )
    return OutboundFetcher(
        allow_loopback=settings.outbound_allow_loopback,
        connect_timeout=settings.outbound_connect_timeout_seconds,
        read_timeout=settings.outbound_read_timeout_seconds,
        total_timeout=settings.outbound_total_timeout_seconds,
        max_bytes=settings.outbound_max_bytes,
        max_redirects=settings.outbound_max_redirects,
        per_host_concurrency=settings.outbound_per_host_concurrency,
        cache=cache,
    )
