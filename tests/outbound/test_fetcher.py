"""The fetcher against a real local server: loopback flag, redirects, DNS rebinding, limits."""

import threading
import time
from collections.abc import Callable

import pytest

from badgeforge.core.fetching import (
    Fetcher,
    FetchError,
    FetchTimeout,
    RefusedAddress,
    RefusedUrl,
    ResponseTooLarge,
    TooManyRedirects,
    UnexpectedContentType,
    Unreachable,
)
from badgeforge.outbound import OutboundFetcher
from badgeforge.outbound.fetcher import _HostLimiter

from .conftest import PUBLIC_V4, LoopbackOnly, ScriptedDns, Server

Make = Callable[..., OutboundFetcher]
JSON = "application/json"


class TestLoopbackSetting:
    def test_refused_by_default_before_any_connection(
        self, server: Server, network: LoopbackOnly, make_fetcher: Make
    ) -> None:
        before = server.hits["/json"]
        with pytest.raises(RefusedAddress, match=r"127\.0\.0\.1 is a loopback address"):
            make_fetcher().get(server.url("/json"), accept=JSON)
        assert network.connected == []
        assert server.hits["/json"] == before

    def test_allowed_with_the_setting(self, server: Server, make_fetcher: Make) -> None:
        fetched = make_fetcher(allow_loopback=True).get(server.url("/json"), accept=JSON)
        assert (fetched.status, fetched.media_type, fetched.body) == (200, JSON, b'{"ok": 1}')
        assert fetched.url == server.url("/json")
        assert fetched.headers["content-type"] == JSON

    def test_is_a_core_fetcher(self, make_fetcher: Make) -> None:
        fetcher: Fetcher = make_fetcher()
        assert callable(fetcher.get)


class TestRedirects:
    def test_five_are_followed_relative_locations_included(
        self, server: Server, make_fetcher: Make
    ) -> None:
        fetched = make_fetcher(allow_loopback=True).get(server.url("/redirect?n=5"), accept=JSON)
        assert fetched.body == b'{"arrived": true}'
        assert fetched.url == server.url("/redirect?n=0&status=302")

    @pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
    def test_the_sixth_is_refused(self, status: int, server: Server, make_fetcher: Make) -> None:
        with pytest.raises(TooManyRedirects, match="redirected more than 5 times"):
            make_fetcher(allow_loopback=True).get(
                server.url(f"/redirect?n=6&status={status}"), accept=JSON
            )
        assert server.hits["/redirect"] >= 6

    def test_a_lower_limit_is_honoured(self, server: Server, make_fetcher: Make) -> None:
        with pytest.raises(TooManyRedirects, match="more than 1 times"):
            make_fetcher(allow_loopback=True, max_redirects=1).get(
                server.url("/redirect?n=2"), accept=JSON
            )

    @pytest.mark.parametrize(
        "location",
        [
            "http://10.0.0.1/badge.json",
            "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
            "http://[fd00::1]/x",
            "http://[::ffff:10.0.0.1]/x",
            "http://100.100.100.200/latest/meta-data",
        ],
    )
    def test_to_a_refused_address_is_refused_before_connecting(
        self, location: str, server: Server, network: LoopbackOnly, make_fetcher: Make
    ) -> None:
        fetcher = make_fetcher(allow_loopback=True)
        with pytest.raises(RefusedAddress, match="only fetches from public internet addresses"):
            fetcher.get(server.url(f"/to?u={location}"), accept=JSON)
        assert network.connected == ["127.0.0.1"]

    def test_to_a_name_resolving_to_a_refused_address(
        self, server: Server, network: LoopbackOnly, make_fetcher: Make
    ) -> None:
        dns = ScriptedDns({"metadata.internal": [["169.254.169.254"]]})
        fetcher = make_fetcher(allow_loopback=True, resolver=dns)
        with pytest.raises(RefusedAddress, match=r"metadata\.internal resolves to 169\.254"):
            fetcher.get(server.url("/to?u=http://metadata.internal/latest"), accept=JSON)
        assert network.connected == ["127.0.0.1"]

    def test_to_loopback_is_refused_without_the_setting(
        self, server: Server, network: LoopbackOnly, make_fetcher: Make
    ) -> None:
        dns = ScriptedDns({"partner.example": [[PUBLIC_V4]]})
        fetcher = make_fetcher(resolver=dns)
        target = server.url("/json")
        with pytest.raises(RefusedAddress, match="loopback"):
            fetcher.get(f"http://partner.example:{server.port}/to?u={target}", accept=JSON)
        assert network.connected == [PUBLIC_V4]

    @pytest.mark.parametrize(
        ("location", "message"),
        [
            ("file:///etc/passwd", "'file:'"),
            ("ftp://partner.example/badge.json", "'ftp:'"),
            ("gopher://partner.example:70/", "'gopher:'"),
            ("http://user:secret@partner.example/", "user name or password"),
        ],
    )
    def test_to_another_scheme_or_credentials_is_refused(
        self, location: str, message: str, server: Server, make_fetcher: Make
    ) -> None:
        with pytest.raises(RefusedUrl, match=message):
            make_fetcher(allow_loopback=True).get(server.url(f"/to?u={location}"), accept=JSON)

    def test_without_location_is_an_answer(self, server: Server, make_fetcher: Make) -> None:
        fetched = make_fetcher(allow_loopback=True).get(server.url("/nolocation"), accept=JSON)
        assert (fetched.status, fetched.body) == (302, b"moved?")


class TestDnsRebinding:
    """The check is made on each connection's own lookup: a changed answer is caught."""

    def test_second_lookup_private_is_refused_on_the_redirect(
        self, server: Server, network: LoopbackOnly, make_fetcher: Make
    ) -> None:
        dns = ScriptedDns({"rebind.example": [[PUBLIC_V4], ["10.0.0.1"]]})
        fetcher = make_fetcher(resolver=dns)
        start = f"http://rebind.example:{server.port}/to?u=/json"  # same host, new connection
        with pytest.raises(RefusedAddress, match=r"rebind.example resolves to 10\.0\.0\.1"):
            fetcher.get(start, accept=JSON)
        assert dns.lookups == ["rebind.example", "rebind.example"]
        assert network.connected == [PUBLIC_V4]
        assert server.hosts[-1] == f"rebind.example:{server.port}"

    def test_second_lookup_private_is_refused_on_the_next_fetch(
        self, server: Server, network: LoopbackOnly, make_fetcher: Make
    ) -> None:
        dns = ScriptedDns({"rebind.example": [[PUBLIC_V4], ["169.254.169.254"]]})
        fetcher = make_fetcher(resolver=dns)
        url = f"http://rebind.example:{server.port}/json"
        assert fetcher.get(url, accept=JSON).status == 200
        with pytest.raises(RefusedAddress, match="link-local"):
            fetcher.get(f"http://rebind.example:{server.port}/html", accept="text/html")
        assert network.connected == [PUBLIC_V4]

    def test_loopback_then_private_with_the_setting(
        self, server: Server, network: LoopbackOnly, make_fetcher: Make
    ) -> None:
        dns = ScriptedDns({"dev.example": [["127.0.0.1"], ["192.168.1.10"]]})
        fetcher = make_fetcher(resolver=dns, allow_loopback=True)
        with pytest.raises(RefusedAddress, match="private"):
            fetcher.get(f"http://dev.example:{server.port}/redirect?n=1", accept=JSON)
        assert network.connected == ["127.0.0.1"]

    def test_unknown_name_is_unreachable(self, make_fetcher: Make) -> None:
        with pytest.raises(Unreachable, match="cannot be resolved"):
            make_fetcher(resolver=ScriptedDns({})).get("https://nowhere.example/", accept=JSON)


class TestTime:
    def test_slow_server_is_abandoned_at_the_read_timeout(
        self, server: Server, make_fetcher: Make
    ) -> None:
        fetcher = make_fetcher(allow_loopback=True, read_timeout=0.3)
        started = time.monotonic()
        with pytest.raises(FetchTimeout, match="did not answer in time"):
            fetcher.get(server.url("/slow?s=3"), accept=JSON)
        assert time.monotonic() - started < 1.5

    def test_dripping_server_is_abandoned_at_the_total_timeout(
        self, server: Server, make_fetcher: Make
    ) -> None:
        fetcher = make_fetcher(allow_loopback=True, read_timeout=1.0, total_timeout=0.5)
        started = time.monotonic()
        with pytest.raises(FetchTimeout):
            fetcher.get(server.url("/drip"), accept=JSON)
        assert time.monotonic() - started < 1.2

    def test_slow_dns_is_abandoned_at_the_connect_timeout(self, make_fetcher: Make) -> None:
        dns = ScriptedDns({"slow.example": [[PUBLIC_V4]]}, delay=2.0)
        fetcher = make_fetcher(resolver=dns, connect_timeout=0.3)
        started = time.monotonic()
        with pytest.raises(FetchTimeout):
            fetcher.get("http://slow.example/", accept=JSON)
        assert time.monotonic() - started < 1.5

    def test_per_host_concurrency_waits_then_gives_up(self) -> None:
        limiter = _HostLimiter(1)
        held, release = threading.Event(), threading.Event()

        def hold() -> None:
            with limiter.slot("partner.example", time.monotonic() + 5):
                held.set()
                release.wait(5)

        holder = threading.Thread(target=hold)
        holder.start()
        held.wait(5)
        with (
            pytest.raises(FetchTimeout, match=r"too many fetches from partner\.example"),
            limiter.slot("partner.example", time.monotonic() + 0.2),
        ):
            pass
        with limiter.slot("other.example", time.monotonic() + 0.2):
            pass  # other hosts are not held up
        release.set()
        holder.join(5)
        with limiter.slot("partner.example", time.monotonic() + 0.2):
            pass


class TestSize:
    @pytest.mark.parametrize("declared", [True, False])
    def test_body_over_the_cap_is_refused(
        self, declared: bool, server: Server, make_fetcher: Make
    ) -> None:
        query = "n=3000000" + ("" if declared else "&nolength=1")
        with pytest.raises(ResponseTooLarge, match="2097152"):
            make_fetcher(allow_loopback=True).get(server.url(f"/big?{query}"), accept=JSON)

    def test_body_at_the_cap_passes(self, server: Server, make_fetcher: Make) -> None:
        fetched = make_fetcher(allow_loopback=True).get(
            server.url("/big?n=1000&nolength=1"), accept=JSON, max_bytes=1000
        )
        assert len(fetched.body) == 1000

    def test_the_caller_lowers_the_cap(self, server: Server, make_fetcher: Make) -> None:
        with pytest.raises(ResponseTooLarge, match="1000"):
            make_fetcher(allow_loopback=True).get(
                server.url("/big?n=1001&nolength=1"), accept=JSON, max_bytes=1000
            )

    def test_decompression_bomb_is_cut_off(self, server: Server, make_fetcher: Make) -> None:
        with pytest.raises(ResponseTooLarge):
            make_fetcher(allow_loopback=True).get(server.url("/bomb"), accept=JSON)


class TestContentType:
    @pytest.mark.parametrize(
        ("path", "accept"),
        [
            ("/ld", "application/ld+json, application/json"),
            ("/ld", ["application/json", "application/ld+json"]),
            ("/json", "application/ld+json;q=0.9, application/json;q=0.5"),
            ("/png", "image/*"),
            ("/html", ""),
            ("/untyped", "*/*"),
        ],
    )
    def test_accepted(
        self, path: str, accept: str | list[str], server: Server, make_fetcher: Make
    ) -> None:
        assert make_fetcher(allow_loopback=True).get(server.url(path), accept=accept).status == 200

    @pytest.mark.parametrize(
        ("path", "message"),
        [
            ("/html", "answered with text/html, expected application/json"),
            ("/png", "answered with image/png"),
            ("/untyped", "answered with no content type"),
        ],
    )
    def test_refused(self, path: str, message: str, server: Server, make_fetcher: Make) -> None:
        with pytest.raises(UnexpectedContentType, match=message):
            make_fetcher(allow_loopback=True).get(server.url(path), accept=JSON)

    @pytest.mark.parametrize(("path", "status"), [("/gone", 410), ("/missing", 404)])
    def test_error_statuses_are_answers(
        self, path: str, status: int, server: Server, make_fetcher: Make
    ) -> None:
        assert make_fetcher(allow_loopback=True).get(server.url(path), accept=JSON).status == status


class TestErrors:
    @pytest.mark.parametrize(
        ("url", "message"),
        [
            ("not a url", "no scheme"),
            ("//partner.example/x", "no scheme"),
            ("javascript:alert(1)", "'javascript:'"),
            ("data:application/json,{}", "'data:'"),
            ("http:///path", "no host"),
        ],
    )
    def test_malformed_urls_are_refused(self, url: str, message: str, make_fetcher: Make) -> None:
        with pytest.raises(RefusedUrl, match=message):
            make_fetcher().get(url, accept=JSON)

    def test_closed_port_is_unreachable(self, server: Server, make_fetcher: Make) -> None:
        from tests.live_server import free_port

        with pytest.raises(Unreachable, match="could not be reached") as error:
            make_fetcher(allow_loopback=True).get(f"http://127.0.0.1:{free_port()}/", accept=JSON)
        assert isinstance(error.value, FetchError)
