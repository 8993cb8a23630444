"""Header names as they travel on the wire from a real server (read from a raw socket).

Open Badge Passport's hourly re-check (salava ``cron.clj``, clj-http + keywordize-keys)
looks ``:Content-Type`` up with exactly that spelling: a revoked badge is only marked
revoked when the name arrives as ``Content-Type``. HTTP clients such as httpx normalise
names, so these tests read the bytes themselves.
"""

import re
import socket
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from badgeforge.middleware import canonical_header_name
from tests.live_server import LiveServer, api, live_server

CANONICAL_NAME = re.compile(rb"[A-Z][A-Za-z0-9]*(?:-[A-Z][A-Za-z0-9]*)*")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with live_server(tmp_path_factory.mktemp("wire")) as running:
        yield running


@pytest.fixture(scope="module")
def awards(server: LiveServer) -> dict[str, str]:
    """The public assertion paths of a valid and of a revoked award."""
    with api(server) as client:
        issuer = client.post(
            "/api/v1/issuers",
            json={"name": "ESAT Le Fil", "url": "https://fil.example.fr", "email": "b@fil.fr"},
        ).json()
        badge_class = client.post(
            "/api/v1/badge-classes",
            json={
                "issuer_id": issuer["id"],
                "name": "Accueillir un client",
                "description": "Accueille et oriente un client.",
                "criteria": {"narrative": "Observé en situation."},
                "publish": True,
            },
        ).json()
        paths = {}
        for name in ("valid", "revoked"):
            body = {"badge_class_id": badge_class["id"], "recipient_email": "lou@example.org"}
            award = client.post("/api/v1/awards", json=body)
            assert award.status_code == 201, award.text
            paths[name] = urlsplit(award.json()["assertion_url"]).path
            if name == "revoked":
                revoked = client.post(
                    f"/api/v1/awards/{award.json()['id']}/revoke", json={"reason": "Erreur."}
                )
                assert revoked.status_code == 200, revoked.text
        return paths


def raw_get(server: LiveServer, path: str, *, method: str = "GET", extra: str = "") -> bytes:
    """The response head exactly as the server sent it (status line and header lines)."""
    address = urlsplit(server.base_url)
    assert address.hostname is not None
    assert address.port is not None
    request = (
        f"{method} {path} HTTP/1.1\r\nHost: {address.netloc}\r\n{extra}Connection: close\r\n\r\n"
    )
    with socket.create_connection((address.hostname, address.port), timeout=10) as connection:
        connection.sendall(request.encode("ascii"))
        received = b""
        while b"\r\n\r\n" not in received:
            data = connection.recv(65536)
            if not data:
                break
            received += data
    head, _, _ = received.partition(b"\r\n\r\n")
    return head + b"\r\n"


def header_names(head: bytes) -> list[bytes]:
    return [line.split(b":", 1)[0] for line in head.split(b"\r\n")[1:] if line]


class TestHeaderNamesOnTheWire:
    @pytest.mark.parametrize(("which", "status"), [("valid", b"200"), ("revoked", b"410")])
    def test_assertion_says_content_type_as_obp_looks_it_up(
        self, server: LiveServer, awards: dict[str, str], which: str, status: bytes
    ) -> None:
        head = raw_get(server, awards[which])
        assert head.startswith(b"HTTP/1.1 " + status)
        assert b"\r\nContent-Type: application/json" in head
        assert b"\r\nContent-Length: " in head
        assert b"\r\nAccess-Control-Allow-Origin: *\r\n" in head
        assert b"\r\nX-Content-Type-Options: nosniff\r\n" in head

    @pytest.mark.parametrize(
        "path",
        [
            "/health",
            "/docs",
            "/openapi.json",
            "/",
            "/api/v1/organisation",
            "/ob2/assertions/00000000-0000-0000-0000-000000000000",
            "/ob2/assertions/not-a-uuid",
            "/static/swagger-ui/swagger-ui.css",
        ],
    )
    @pytest.mark.parametrize("method", ["GET", "HEAD"])
    def test_every_header_name_is_canonical(
        self, server: LiveServer, path: str, method: str
    ) -> None:
        head = raw_get(server, path, method=method)
        names = header_names(head)
        assert b"Content-Type" in names or b"Location" in names, head
        assert names, head
        for name in names:
            assert CANONICAL_NAME.fullmatch(name), (name, head)
            assert canonical_header_name(name) == name

    def test_the_server_software_is_not_advertised(
        self, server: LiveServer, awards: dict[str, str]
    ) -> None:
        for path in (awards["valid"], awards["revoked"], "/health", "/docs", "/nowhere"):
            head = raw_get(server, path)
            assert b"\r\nserver:" not in head.lower(), head
            assert b"uvicorn" not in head.lower(), head
            assert re.search(rb"\r\nDate: \w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d GMT\r\n", head)

    def test_an_authentication_error_keeps_its_spelling(self, server: LiveServer) -> None:
        head = raw_get(server, "/api/v1/organisation", extra="Authorization: Bearer bf_nope\r\n")
        assert head.startswith(b"HTTP/1.1 401")
        assert b"\r\nContent-Type: application/problem+json" in head
        assert (
            b"\r\nContent-Security-Policy: default-src 'none'; frame-ancestors 'none'\r\n" in head
        )


class TestCanonicalHeaderName:
    @pytest.mark.parametrize(
        ("name", "expected"),
        [
            (b"content-type", b"Content-Type"),
            (b"CONTENT-LENGTH", b"Content-Length"),
            (b"etag", b"ETag"),
            (b"www-authenticate", b"WWW-Authenticate"),
            (b"access-control-allow-origin", b"Access-Control-Allow-Origin"),
            (b"x-content-type-options", b"X-Content-Type-Options"),
            (b"content-security-policy", b"Content-Security-Policy"),
            (b"idempotent-replayed", b"Idempotent-Replayed"),
            (b"retry-after", b"Retry-After"),
            (b"allow", b"Allow"),
            (b"link", b"Link"),
            (b"vary", b"Vary"),
            (b"x-xss-protection", b"X-XSS-Protection"),
        ],
    )
    def test_spelling(self, name: bytes, expected: bytes) -> None:
        assert canonical_header_name(name) == expected
