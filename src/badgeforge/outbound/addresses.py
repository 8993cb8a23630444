"""Which IP addresses badgeforge may connect to: the public internet, and nothing else.

Every address a host name resolves to is judged here, on the address itself, right before
connecting (see ``network``). Refused: private, loopback, link-local (with cloud metadata
at 169.254.169.254), shared (carrier-grade NAT), multicast, broadcast, unspecified,
reserved, benchmarking, documentation, Teredo, and the IPv6 forms that embed a refused
IPv4 address (IPv4-mapped, NAT64, 6to4). Loopback (127.0.0.0/8, ::1) may be allowed for
local development and tests; nothing else ever is.
"""

from functools import lru_cache
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_address

IPAddress = IPv4Address | IPv6Address

LOOPBACK = "a loopback address"

_V4: tuple[tuple[IPv4Network, str], ...] = tuple(
    (IPv4Network(network), reason)
    for network, reason in (
        ("0.0.0.0/8", "an unspecified ('this network') address"),
        ("10.0.0.0/8", "a private address"),
        ("100.64.0.0/10", "a shared (carrier-grade NAT) address"),
        ("127.0.0.0/8", LOOPBACK),
        ("169.254.0.0/16", "a link-local address (cloud metadata lives there)"),
        ("172.16.0.0/12", "a private address"),
        ("192.0.0.0/24", "an IETF protocol assignment address"),
        ("192.0.2.0/24", "a documentation address"),
        ("192.31.196.0/24", "an AS112 service address"),
        ("192.52.193.0/24", "an AMT relay address"),
        ("192.88.99.0/24", "a 6to4 relay anycast address"),
        ("192.168.0.0/16", "a private address"),
        ("192.175.48.0/24", "an AS112 service address"),
        ("198.18.0.0/15", "a benchmarking address"),
        ("198.51.100.0/24", "a documentation address"),
        ("203.0.113.0/24", "a documentation address"),
        ("224.0.0.0/4", "a multicast address"),
        ("255.255.255.255/32", "the broadcast address"),
        ("240.0.0.0/4", "a reserved address"),
    )
)

_V6: tuple[tuple[IPv6Network, str], ...] = tuple(
    (IPv6Network(network), reason)
    for network, reason in (
        ("::/128", "the unspecified address"),
        ("::1/128", LOOPBACK),
        ("::/96", "a deprecated IPv4-compatible address"),
        ("64:ff9b:1::/48", "a local-use NAT64 address"),
        ("100::/64", "a discard-only address"),
        ("2001::/32", "a Teredo tunnel address"),
        ("2001:2::/48", "a benchmarking address"),
        ("2001:db8::/32", "a documentation address"),
        ("2001::/23", "an IETF protocol assignment address"),
        ("3fff::/20", "a documentation address"),
        ("5f00::/16", "a segment routing (SRv6) address"),
        ("fc00::/7", "a private (unique local) address"),
        ("fe80::/10", "a link-local address"),
        ("fec0::/10", "a deprecated site-local address"),
        ("ff00::/8", "a multicast address"),
    )
)

_NAT64 = IPv6Network("64:ff9b::/96")
_GLOBAL_UNICAST_V6 = IPv6Network("2000::/3")


@lru_cache(maxsize=4096)  # pure; each outbound fetch asks it about its host again
def refusal_reason(address: IPAddress, *, allow_loopback: bool = False) -> str | None:
    """Why badgeforge must not connect to ``address`` (``None``: it may).

    Only genuinely global unicast addresses pass; ``allow_loopback`` lets 127.0.0.0/8 and
    ``::1`` through as well (development and tests), and nothing else.
    """
    if isinstance(address, IPv6Address):
        embedded = _embedded_ipv4(address)
        if embedded is not None:
            kind, ipv4 = embedded
            inner = refusal_reason(ipv4, allow_loopback=False)
            return None if inner is None else f"{kind} form of {ipv4}, {inner}"
        table: tuple[tuple[IPv4Network | IPv6Network, str], ...] = _V6
    else:
        table = _V4
    for network, reason in table:
        if address in network:
            return None if allow_loopback and reason == LOOPBACK else reason
    if not address.is_global or address.is_reserved:
        return "not a public internet address"
    if isinstance(address, IPv6Address) and address not in _GLOBAL_UNICAST_V6:
        return "not a public internet address (outside 2000::/3)"
    return None


def _embedded_ipv4(address: IPv6Address) -> tuple[str, IPv4Address] | None:
    if address.ipv4_mapped is not None:
        return "an IPv4-mapped", address.ipv4_mapped
    if address in _NAT64:
        return "a NAT64", IPv4Address(int(address) & 0xFFFFFFFF)
    if address.sixtofour is not None:
        return "a 6to4", address.sixtofour
    return None


@lru_cache(maxsize=4096)
def parse_address(text: str) -> IPAddress | None:
    """The IP address written in ``text`` (an IPv6 zone such as ``%eth0`` is kept), or None."""
    try:
        return ip_address(text.strip("[]"))
    except ValueError:
        return None
