"""Every refused address class, IPv4 and IPv6, as a URL literal and as a DNS answer."""

from collections.abc import Callable
from ipaddress import ip_address

import pytest

from badgeforge.core.fetching import RefusedAddress, RefusedUrl
from badgeforge.outbound import OutboundFetcher
from badgeforge.outbound.addresses import refusal_reason

from .conftest import LoopbackOnly, ScriptedDns, Server

REFUSED = {
    # IPv4
    "0.0.0.0": "unspecified",  # noqa: S104
    "0.1.2.3": "unspecified",
    "10.0.0.1": "private",
    "10.255.255.255": "private",
    "172.16.0.1": "private",
    "172.31.255.254": "private",
    "192.168.1.1": "private",
    "127.0.0.1": "loopback",
    "127.255.255.254": "loopback",
    "169.254.169.254": "link-local",
    "169.254.0.1": "link-local",
    "100.64.0.1": "shared",
    "100.127.255.254": "shared",
    "198.18.0.1": "benchmarking",
    "198.19.255.254": "benchmarking",
    "192.0.2.1": "documentation",
    "198.51.100.7": "documentation",
    "203.0.113.9": "documentation",
    "192.0.0.8": "IETF protocol",
    "192.88.99.1": "6to4 relay",
    "224.0.0.1": "multicast",
    "239.255.255.250": "multicast",
    "240.0.0.1": "reserved",
    "255.255.255.255": "broadcast",
    # IPv6
    "::": "unspecified",
    "::1": "loopback",
    "::127.0.0.1": "IPv4-compatible",
    "::10.0.0.1": "IPv4-compatible",
    "::ffff:127.0.0.1": "IPv4-mapped form of 127.0.0.1, a loopback",
    "::ffff:10.0.0.1": "IPv4-mapped form of 10.0.0.1, a private",
    "::ffff:169.254.169.254": "IPv4-mapped form of 169.254.169.254, a link-local",
    "64:ff9b::a00:1": "NAT64 form of 10.0.0.1, a private",
    "64:ff9b::7f00:1": "NAT64 form of 127.0.0.1, a loopback",
    "64:ff9b::a9fe:a9fe": "NAT64 form of 169.254.169.254",
    "64:ff9b:1::808:808": "local-use NAT64",
    "2002:a00:1::1": "6to4 form of 10.0.0.1, a private",
    "2002:7f00:1::": "6to4 form of 127.0.0.1, a loopback",
    "2001:0:4136:e378:8000:63bf:3fff:fdd2": "Teredo",
    "2001:db8::1": "documentation",
    "3fff::1": "documentation",
    "2001:2::1": "benchmarking",
    "2001:10::1": "IETF protocol",
    "100::1": "discard-only",
    "fc00::1": "unique local",
    "fd12:3456:789a::1": "unique local",
    "fe80::1": "link-local",
    "fe80::1%1": "link-local",
    "fec0::1": "site-local",
    "ff02::1": "multicast",
    "ff05::1:3": "multicast",
    "5f00::1": "segment routing",
    "4000::1": "not a public internet address",
}

ALLOWED = [
    "8.8.8.8",
    "93.184.215.14",
    "1.1.1.1",
    "2606:4700:4700::1111",
    "2a00:1450:4007:80e::200e",
    "::ffff:8.8.8.8",
    "64:ff9b::808:808",
    "2002:808:808::1",
]

NOT_LOOPBACK = [a for a, reason in REFUSED.items() if reason != "loopback"]


def literal_url(address: str, port: int) -> str:
    host = f"[{address.replace('%', '%25')}]" if ":" in address else address
    return f"http://{host}:{port}/json"


@pytest.mark.parametrize(("address", "reason"), REFUSED.items())
def test_refused_with_a_reason(address: str, reason: str) -> None:
    found = refusal_reason(ip_address(address))
    assert found is not None
    assert reason in found


@pytest.mark.parametrize("address", ALLOWED)
def test_public_addresses_pass(address: str) -> None:
    assert refusal_reason(ip_address(address)) is None
    assert refusal_reason(ip_address(address), allow_loopback=True) is None


@pytest.mark.parametrize("address", ["127.0.0.1", "127.8.9.10", "::1"])
def test_allow_loopback_lets_loopback_through(address: str) -> None:
    assert refusal_reason(ip_address(address)) == "a loopback address"
    assert refusal_reason(ip_address(address), allow_loopback=True) is None


@pytest.mark.parametrize("address", NOT_LOOPBACK)
def test_allow_loopback_lets_nothing_else_through(address: str) -> None:
    assert refusal_reason(ip_address(address), allow_loopback=True) is not None


@pytest.mark.parametrize("address", REFUSED)
def test_url_literal_refused_before_any_connection(
    address: str,
    server: Server,
    network: LoopbackOnly,
    make_fetcher: Callable[..., OutboundFetcher],
) -> None:
    fetcher = make_fetcher()
    with pytest.raises(RefusedAddress) as refused:
        fetcher.get(literal_url(address, server.port), accept="application/json")
    assert "only fetches from public internet addresses" in str(refused.value)
    assert network.connected == []


@pytest.mark.parametrize("address", NOT_LOOPBACK)
def test_url_literal_refused_even_with_loopback_allowed(
    address: str, network: LoopbackOnly, make_fetcher: Callable[..., OutboundFetcher]
) -> None:
    fetcher = make_fetcher(allow_loopback=True)
    with pytest.raises(RefusedAddress):
        fetcher.get(literal_url(address, 80), accept="application/json")
    assert network.connected == []


@pytest.mark.parametrize("address", NOT_LOOPBACK)
@pytest.mark.parametrize("allow_loopback", [False, True])
def test_dns_answer_refused_on_connect(
    address: str,
    allow_loopback: bool,
    network: LoopbackOnly,
    make_fetcher: Callable[..., OutboundFetcher],
) -> None:
    dns = ScriptedDns({"badges.partner.example": [[address]]})
    fetcher = make_fetcher(resolver=dns, allow_loopback=allow_loopback)
    with pytest.raises(RefusedAddress) as refused:
        fetcher.get("https://badges.partner.example/assertion", accept="application/json")
    assert str(refused.value).startswith("badges.partner.example resolves to ")
    assert refused.value.address == str(ip_address(address))
    assert dns.lookups == ["badges.partner.example"]
    assert network.connected == []


def test_one_refused_answer_among_public_ones_refuses_the_host(
    network: LoopbackOnly, make_fetcher: Callable[..., OutboundFetcher]
) -> None:
    dns = ScriptedDns({"mixed.example": [["93.184.215.14", "10.0.0.1"]]})
    with pytest.raises(RefusedAddress, match=r"resolves to 10\.0\.0\.1, which is a private"):
        make_fetcher(resolver=dns).get("http://mixed.example/", accept="application/json")
    assert network.connected == []


@pytest.mark.parametrize(
    "host", ["localhost", "2130706433", "0x7f.1", "127.1", "0177.0.0.1", "0x7F000001", "127.0.0.1."]
)
def test_loopback_spelled_otherwise_is_refused_by_default(
    host: str, server: Server, network: LoopbackOnly, make_fetcher: Callable[..., OutboundFetcher]
) -> None:
    with pytest.raises(RefusedAddress, match="loopback"):
        make_fetcher().get(server.url("/json", host), accept="application/json")
    assert network.connected == []


@pytest.mark.parametrize("host", ["1.2.3.256", "1.256.3.4", "08.1.1.1", "0xg1.1", "1.2.3.4.5"])
def test_numeric_host_that_is_no_ip_is_not_a_valid_url(
    host: str, server: Server, network: LoopbackOnly, make_fetcher: Callable[..., OutboundFetcher]
) -> None:
    with pytest.raises(RefusedUrl, match="not a valid URL"):
        make_fetcher().get(server.url("/json", host), accept="application/json")
    assert network.connected == []
