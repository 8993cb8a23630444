"""ETag, Cache-Control and 304 on the wire, on a real server; revocation is never stale."""

from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx
import pytest

from badgeforge.caching import body_etag, etag, none_match
from tests.live_server import LiveServer, api, live_server
from tests.test_wire_headers import header_names, raw_get


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with live_server(tmp_path_factory.mktemp("caching")) as running:
        yield running


@pytest.fixture(scope="module")
def award(server: LiveServer) -> dict[str, object]:
    with api(server) as client:
        issuer = client.post(
            "/api/v1/issuers",
            json={"name": "ESAT Cache", "url": "https://cache.example.fr", "email": "b@c.fr"},
        ).json()
        badge_class = client.post(
            "/api/v1/badge-classes",
            json={
                "issuer_id": issuer["id"],
                "name": "Trier le courrier",
                "description": "Trie et distribue le courrier.",
                "criteria": {"narrative": "Observé."},
                "publish": True,
            },
        ).json()
        body = {"badge_class_id": badge_class["id"], "recipient_email": "eli@example.org"}
        created = client.post("/api/v1/awards", json=body)
        assert created.status_code == 201, created.text
        return dict(created.json())


def path_of(url: object) -> str:
    return urlsplit(str(url)).path


class TestValidators:
    def test_etag_is_strong_and_distinguishes_parts(self) -> None:
        tag = etag(b"200", b"application/json", b"{}")
        assert tag.startswith('"')
        assert tag.endswith('"')
        assert tag == etag(b"200", b"application/json", b"{}")
        assert tag != etag(b"410", b"application/json", b"{}")
        assert etag(b"ab", b"c") != etag(b"a", b"bc")

    @pytest.mark.parametrize(
        ("header", "matches"),
        [('"x"', True), ('W/"x"', True), ('"y", "x"', True), ("*", True), ('"y"', False)],
    )
    def test_if_none_match(self, header: str, matches: bool) -> None:
        assert none_match(header, '"x"') is not matches


class TestOnTheWire:
    @pytest.mark.parametrize(
        "suffix",
        [
            "/ob2/assertions/{id}/baked.png",
            "/ob2/assertions/{id}/baked.svg",
            "/ob2/assertions/{id}/signed/baked.png",
            "/ob3/credentials/{id}/baked.svg",
            "/ob3/credentials/{id}/baked.png",
        ],
    )
    def test_a_cached_image_keeps_the_validator_of_its_bytes(
        self, server: LiveServer, award: dict[str, object], suffix: str
    ) -> None:
        """Baked images keep their ETag with their bytes: it is still the digest of what is
        sent, the first time (baked now) as afterwards (from the cache)."""
        url = server.base_url + suffix.format(id=award["id"])
        for _ in range(2):
            response = httpx.get(url)
            assert response.status_code == 200
            content_type = response.headers["Content-Type"]
            assert response.headers["ETag"] == body_etag(200, content_type, response.content)

    @pytest.mark.parametrize(
        ("field", "suffix", "cache"),
        [
            ("assertion_url", "", "no-cache"),
            ("baked_png_url", "", "no-cache"),
            ("baked_svg_url", "", "no-cache"),
            ("assertion_url", "/signed", "no-cache"),
        ],
    )
    def test_304_keeps_validator_and_cache_fields(
        self, server: LiveServer, award: dict[str, object], field: str, suffix: str, cache: str
    ) -> None:
        url = server.base_url + path_of(award[field]) + suffix
        first = httpx.get(url)
        assert first.status_code == 200
        tag = first.headers["ETag"]
        assert first.headers["Cache-Control"] == cache
        again = httpx.get(url)
        assert again.headers["ETag"] == tag, "same bytes, same validator"
        cached = httpx.get(url, headers={"If-None-Match": tag})
        assert cached.status_code == 304
        assert cached.content == b""
        assert cached.headers["ETag"] == tag
        assert cached.headers["Cache-Control"] == cache
        assert cached.headers.get("Vary") == first.headers.get("Vary")
        assert "Content-Length" not in cached.headers or cached.headers["Content-Length"] == "0"
        other = httpx.get(url, headers={"If-None-Match": '"something-else"'})
        assert other.status_code == 200
        assert other.content == first.content

    def test_representations_have_their_own_validators(
        self, server: LiveServer, award: dict[str, object]
    ) -> None:
        url = server.base_url + path_of(award["assertion_url"])
        plain = httpx.get(url)
        linked = httpx.get(url, headers={"Accept": "application/ld+json"})
        assert plain.content == linked.content
        assert plain.headers["ETag"] != linked.headers["ETag"]
        crossed = httpx.get(url, headers={"If-None-Match": linked.headers["ETag"]})
        assert crossed.status_code == 200

    def test_head_and_raw_304_head(self, server: LiveServer, award: dict[str, object]) -> None:
        path = path_of(award["assertion_url"])
        tag = httpx.head(server.base_url + path).headers["ETag"]
        head = raw_get(server, path, extra=f"If-None-Match: {tag}\r\n")
        assert head.startswith(b"HTTP/1.1 304 ")
        names = header_names(head)
        assert b"ETag" in names
        assert b"Cache-Control" in names
        assert b"Content-Type" not in names
        assert raw_get(server, path, method="HEAD", extra=f"If-None-Match: {tag}\r\n").startswith(
            b"HTTP/1.1 304 "
        )

    def test_immutable_and_live_documents(
        self, server: LiveServer, award: dict[str, object]
    ) -> None:
        assertion = httpx.get(server.base_url + path_of(award["assertion_url"])).json()
        badge = httpx.get(assertion["badge"])
        assert badge.headers["Cache-Control"] == "public, max-age=86400, immutable"
        image = httpx.get(badge.json()["image"])
        assert "immutable" in image.headers["Cache-Control"]
        assert (
            httpx.get(
                badge.json()["image"], headers={"If-None-Match": image.headers["ETag"]}
            ).status_code
            == 304
        )
        issuer = httpx.get(badge.json()["issuer"])
        assert issuer.headers["Cache-Control"] == "public, max-age=300"
        revocations = httpx.get(issuer.json()["revocationList"])
        assert revocations.headers["Cache-Control"] == "no-cache"
        assert "ETag" in revocations.headers


class TestRevocationIsNeverStale:
    def test_revoked_answers_410_whatever_validator_is_held(
        self, server: LiveServer, award: dict[str, object]
    ) -> None:
        assertion = server.base_url + path_of(award["assertion_url"])
        baked = server.base_url + path_of(award["baked_png_url"])
        credential = httpx.get(server.base_url + f"/ob3/credentials/{award['id']}").json()
        status_url = credential["credentialStatus"]["statusListCredential"]
        held = {url: httpx.get(url).headers["ETag"] for url in (assertion, baked, status_url)}
        with api(server) as client:
            revoked = client.post(
                f"/api/v1/awards/{award['id']}/revoke", json={"reason": "Erreur."}
            )
            assert revoked.status_code == 200, revoked.text
        gone = httpx.get(assertion, headers={"If-None-Match": held[assertion]})
        assert gone.status_code == 410
        assert gone.json()["revoked"] is True
        assert gone.headers["ETag"] != held[assertion]
        assert gone.headers["Cache-Control"] == "no-cache"
        star = httpx.get(assertion, headers={"If-None-Match": "*"})
        assert star.status_code == 410
        assert httpx.get(baked, headers={"If-None-Match": held[baked]}).status_code == 410
        status_list = httpx.get(status_url, headers={"If-None-Match": held[status_url]})
        assert status_list.status_code == 200, "re-signed: a new validator"
        assert status_list.headers["ETag"] != held[status_url]
        assert status_list.headers["Cache-Control"] == "no-cache"
