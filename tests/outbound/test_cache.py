"""The TTL cache: hits spare the server, Cache-Control is followed within a cap, errors expire."""

from collections.abc import Callable

import pytest

from badgeforge.core.fetching import Fetched, ResponseTooLarge, UnexpectedContentType
from badgeforge.outbound import OutboundFetcher, ResponseCache

from .conftest import Server

JSON = "application/json"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def fetcher(clock: Clock, make_fetcher: Callable[..., OutboundFetcher]) -> OutboundFetcher:
    cache = ResponseCache(max_ttl=300, default_ttl=30, error_ttl=5, clock=clock)
    return make_fetcher(allow_loopback=True, cache=cache)


def fetched(body: bytes = b"{}", status: int = 200, **headers: str) -> Fetched:
    return Fetched("https://partner.example/x", status, JSON, headers, body)


def hits(server: Server, fetcher: OutboundFetcher, url: str, times: int = 2) -> int:
    before = server.hits["/cached"]
    for _ in range(times):
        fetcher.get(server.url(url), accept=JSON)
    return server.hits["/cached"] - before


class TestThroughTheFetcher:
    def test_max_age_is_honoured(self, server: Server, fetcher: OutboundFetcher) -> None:
        assert hits(server, fetcher, "/cached?cc=max-age=60&k=1", times=3) == 1

    @pytest.mark.parametrize("control", ["no-store", "no-cache", "max-age=0", "private, no-store"])
    def test_not_stored_when_the_server_says_so(
        self, control: str, server: Server, fetcher: OutboundFetcher
    ) -> None:
        assert hits(server, fetcher, f"/cached?cc={control}&k=2") == 2

    def test_expires_after_its_max_age(
        self, clock: Clock, server: Server, fetcher: OutboundFetcher
    ) -> None:
        assert hits(server, fetcher, "/cached?cc=max-age=60&k=3") == 1
        clock.now += 61
        assert hits(server, fetcher, "/cached?cc=max-age=60&k=3") == 1

    def test_long_max_age_is_capped(
        self, clock: Clock, server: Server, fetcher: OutboundFetcher
    ) -> None:
        assert hits(server, fetcher, "/cached?cc=max-age=31536000&k=4") == 1
        clock.now += 299
        assert hits(server, fetcher, "/cached?cc=max-age=31536000&k=4") == 0
        clock.now += 2
        assert hits(server, fetcher, "/cached?cc=max-age=31536000&k=4") == 1

    def test_without_cache_control_a_short_default(
        self, clock: Clock, server: Server, fetcher: OutboundFetcher
    ) -> None:
        assert hits(server, fetcher, "/cached?k=5") == 1
        clock.now += 31
        assert hits(server, fetcher, "/cached?k=5") == 1

    def test_errors_are_kept_seconds_only(
        self, clock: Clock, server: Server, fetcher: OutboundFetcher
    ) -> None:
        url = "/cached?status=503&cc=max-age=3600&k=6"
        assert hits(server, fetcher, url) == 1
        clock.now += 6
        assert hits(server, fetcher, url) == 1

    def test_keyed_by_accepted_types(self, server: Server, fetcher: OutboundFetcher) -> None:
        url = server.url("/cached?cc=max-age=60&k=7")
        before = server.hits["/cached"]
        fetcher.get(url, accept=JSON)
        fetcher.get(url, accept="application/ld+json, application/json")
        fetcher.get(url, accept=JSON)
        assert server.hits["/cached"] - before == 2

    def test_a_hit_still_respects_the_callers_size_cap(
        self, server: Server, fetcher: OutboundFetcher
    ) -> None:
        url = server.url("/cached?cc=max-age=60&k=8")
        assert fetcher.get(url, accept=JSON).body == b"{}"
        with pytest.raises(ResponseTooLarge):
            fetcher.get(url, accept=JSON, max_bytes=1)

    def test_refused_content_type_is_not_stored(
        self, server: Server, fetcher: OutboundFetcher
    ) -> None:
        assert fetcher.cache is not None
        size = len(fetcher.cache)
        with pytest.raises(UnexpectedContentType, match="answered with application/json"):
            fetcher.get(server.url("/cached?cc=max-age=60&k=9"), accept="text/html")
        assert len(fetcher.cache) == size


class TestBounds:
    def test_least_recently_used_entry_is_evicted(self, clock: Clock) -> None:
        cache = ResponseCache(max_entries=2, clock=clock)
        cache.put(("a", JSON), fetched())
        cache.put(("b", JSON), fetched())
        assert cache.get(("a", JSON)) is not None
        cache.put(("c", JSON), fetched())
        assert cache.get(("b", JSON)) is None
        assert cache.get(("a", JSON)) is not None
        assert cache.get(("c", JSON)) is not None

    def test_total_bytes_are_bounded(self, clock: Clock) -> None:
        cache = ResponseCache(max_bytes=100, clock=clock)
        cache.put(("a", JSON), fetched(b"x" * 60))
        cache.put(("b", JSON), fetched(b"x" * 60))
        assert (cache.get(("a", JSON)), len(cache)) == (None, 1)
        cache.put(("big", JSON), fetched(b"x" * 101))
        assert cache.get(("big", JSON)) is None

    def test_no_entries_means_no_cache(self, clock: Clock) -> None:
        cache = ResponseCache(max_entries=0, clock=clock)
        cache.put(("a", JSON), fetched())
        assert cache.get(("a", JSON)) is None

    @pytest.mark.parametrize(
        ("headers", "status", "ttl"),
        [
            ({}, 200, 30),
            ({"cache-control": "public, max-age=120"}, 200, 120),
            ({"cache-control": 'max-age="45"'}, 200, 45),
            ({"cache-control": "max-age=99999"}, 200, 300),
            ({"cache-control": "s-maxage=10, no-cache"}, 200, 0),
            ({"cache-control": "NO-STORE"}, 200, 0),
            ({}, 410, 5),
            ({"cache-control": "max-age=2"}, 404, 2),
        ],
    )
    def test_lifetime(self, headers: dict[str, str], status: int, ttl: float) -> None:
        assert ResponseCache().lifetime(fetched(status=status, **headers)) == ttl
