"""The hosted documents follow Open Badge Passport's import contract (shared/INTEROP.md §2.5)."""

from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from badgeforge.core.baking import unbake
from badgeforge.settings import Settings
from tests.factories import create_award, create_badge_class, create_issuer, create_tenant

OB2_CONTEXT = "https://w3id.org/openbadges/v2"


@pytest.fixture
def award_urls(client: TestClient, session: Session, settings: Settings) -> dict[str, str]:
    tenant = create_tenant(session)
    issuer = create_issuer(session, tenant)
    badge_class = create_badge_class(session, tenant, settings, issuer.id)
    body = {"badge_class_id": str(badge_class.id), "recipient_email": "camille@example.org"}
    award: dict[str, str] = client.post("/api/v1/awards", json=body, headers=tenant.headers).json()
    return {**award, "token": tenant.token}


def path(url: str) -> str:
    return urlsplit(url).path


class TestOpenBadgePassportContract:
    def test_assertion_is_plain_json_by_default(
        self, client: TestClient, award_urls: dict[str, str]
    ) -> None:
        for accept in (
            None,
            "*/*",
            "application/json",
            "application/json, text/html;q=0.9",  # a browser is sent to /badges/{id}
        ):
            headers = {"Accept": accept} if accept else {}
            response = client.get(path(award_urls["assertion_url"]), headers=headers)
            assert response.status_code == 200
            assert "application/json" in response.headers["content-type"]

    def test_json_ld_when_asked(self, client: TestClient, award_urls: dict[str, str]) -> None:
        accept = "application/ld+json, application/json, image/png, image/svg+xml"
        response = client.get(path(award_urls["assertion_url"]), headers={"Accept": accept})
        assert response.headers["content-type"].startswith("application/ld+json")

    def test_documents_chain_on_the_same_host(
        self, client: TestClient, award_urls: dict[str, str]
    ) -> None:
        assertion = client.get(path(award_urls["assertion_url"])).json()
        assert assertion["@context"] == OB2_CONTEXT
        assert assertion["id"] == award_urls["assertion_url"]
        assert assertion["verification"] == {"type": "hosted"}
        assert urlsplit(assertion["badge"]).netloc == urlsplit(assertion["id"]).netloc
        badge_class = client.get(path(assertion["badge"])).json()
        assert badge_class["@context"] == OB2_CONTEXT
        assert badge_class["id"] == assertion["badge"]
        issuer = client.get(path(badge_class["issuer"])).json()
        assert issuer["id"] == badge_class["issuer"]
        assert issuer["type"] == "Issuer"
        assert {"name", "url", "email"} <= set(issuer)
        image = client.get(path(badge_class["image"]))
        assert image.status_code == 200
        assert image.headers["content-type"] == "image/svg+xml"

    def test_baked_png_carries_the_assertion(
        self, client: TestClient, award_urls: dict[str, str]
    ) -> None:
        response = client.get(path(award_urls["baked_png_url"]))
        assert response.status_code == 200
        assert response.headers["content-type"] == "image/png"
        baked = unbake(response.content)
        assert f'"id":"{award_urls["assertion_url"]}"' in baked
        assert '"verification":{"type":"hosted"}' in baked

    def test_baked_svg_verify_attribute_is_the_assertion_url(
        self, client: TestClient, award_urls: dict[str, str]
    ) -> None:
        response = client.get(path(award_urls["baked_svg_url"]))
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("image/svg+xml")
        text = response.text
        assert 'xmlns:openbadges="http://openbadges.org"' in text
        assert f'<openbadges:assertion verify="{award_urls["assertion_url"]}"' in text
        assert unbake(response.content) == award_urls["assertion_url"]
        assert "default-src 'none'" in response.headers["content-security-policy"]

    def test_revoked_is_410_with_json_body(
        self, client: TestClient, award_urls: dict[str, str]
    ) -> None:
        client.post(
            f"/api/v1/awards/{award_urls['id']}/revoke",
            json={"reason": "Erreur de saisie"},
            headers={"Authorization": f"Bearer {award_urls['token']}"},
        )
        response = client.get(path(award_urls["assertion_url"]))
        assert response.status_code == 410
        assert "application/json" in response.headers["content-type"]
        assert response.json() == {
            "@context": OB2_CONTEXT,
            "type": "Assertion",
            "id": award_urls["assertion_url"],
            "revoked": True,
            "revocationReason": "Erreur de saisie",
        }

    def test_unknown_ids_are_404_problems(self, client: TestClient) -> None:
        for url in (
            "/ob2/assertions/00000000-0000-4000-8000-000000000000",
            "/ob2/badge-classes/00000000-0000-4000-8000-000000000000",
            "/ob2/issuers/00000000-0000-4000-8000-000000000000",
            "/ob2/assertions/not-a-uuid",
        ):
            response = client.get(url)
            assert response.status_code == 404, url
            assert response.headers["content-type"] == "application/problem+json"
            assert response.json()["type"] == "/problems/not-found"

    def test_head_answers_like_get_without_body(
        self, client: TestClient, award_urls: dict[str, str]
    ) -> None:
        for url in (award_urls["assertion_url"], award_urls["baked_png_url"]):
            response = client.head(path(url))
            assert response.status_code == 200
            assert response.content == b""
            assert int(response.headers["content-length"]) > 0

    def test_cors_allows_browser_verifiers(
        self, client: TestClient, award_urls: dict[str, str]
    ) -> None:
        response = client.get(path(award_urls["assertion_url"]))
        assert response.headers["access-control-allow-origin"] == "*"


def test_public_documents_never_show_the_plain_email(
    client: TestClient, session: Session, settings: Settings
) -> None:
    tenant = create_tenant(session)
    issuer = create_issuer(session, tenant)
    badge_class = create_badge_class(session, tenant, settings, issuer.id)
    award = create_award(
        session, tenant, settings, badge_class.id, recipient_email="secret.person@example.org"
    )
    assertion = client.get(f"/ob2/assertions/{award.id}")
    baked = client.get(f"/ob2/assertions/{award.id}/baked.png")
    assert "secret.person" not in assertion.text
    assert b"secret.person" not in baked.content
