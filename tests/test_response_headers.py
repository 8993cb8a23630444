"""Security headers on every response: nosniff, a restrictive CSP, no-store on secrets."""

from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from badgeforge.app import create_app
from badgeforge.middleware import DEFAULT_CSP, SVG_CSP, SWAGGER_UI_CSP
from badgeforge.settings import Settings
from tests.factories import create_award, create_badge_class, create_issuer, create_tenant
from tests.images import png_bytes


def path(url: str) -> str:
    return urlsplit(url).path


@pytest.fixture
def public_urls(client: TestClient, session: Session, settings: Settings) -> dict[str, str]:
    tenant = create_tenant(session)
    issuer = create_issuer(session, tenant)
    badge_class = create_badge_class(session, tenant, settings, issuer.id)
    award = create_award(session, tenant, settings, badge_class.id)
    base = f"/ob2/assertions/{award.id}"
    upload = client.put(
        f"/api/v1/issuers/{issuer.id}/image",
        files={"file": ("logo.png", png_bytes(), "image/png")},
        headers=tenant.headers,
    )
    assert upload.status_code == 200, upload.text
    return {
        "assertion": base,
        "baked.png": f"{base}/baked.png",
        "baked.svg": f"{base}/baked.svg",
        "badge class": f"/ob2/badge-classes/{badge_class.id}",
        "image.png": f"/ob2/badge-classes/{badge_class.id}/image.png",
        "image.svg": f"/ob2/badge-classes/{badge_class.id}/image.svg",
        "issuer": f"/ob2/issuers/{issuer.id}",
        "issuer logo": f"/ob2/issuers/{issuer.id}/image",
        "token": tenant.token,
    }


class TestSecurityHeaders:
    @pytest.mark.parametrize(
        ("name", "media_type", "policy"),
        [
            ("assertion", "application/json", DEFAULT_CSP),
            ("badge class", "application/json", DEFAULT_CSP),
            ("issuer", "application/json", DEFAULT_CSP),
            ("baked.png", "image/png", DEFAULT_CSP),
            ("image.png", "image/png", DEFAULT_CSP),
            ("issuer logo", "image/png", DEFAULT_CSP),
            ("baked.svg", "image/svg+xml", SVG_CSP),
            ("image.svg", "image/svg+xml", SVG_CSP),
        ],
    )
    def test_public_documents_and_images(
        self,
        client: TestClient,
        public_urls: dict[str, str],
        name: str,
        media_type: str,
        policy: str,
    ) -> None:
        for method in ("GET", "HEAD"):
            response = client.request(method, public_urls[name])
            assert response.status_code == 200, response.text
            assert response.headers["content-type"].startswith(media_type)
            assert response.headers["x-content-type-options"] == "nosniff"
            assert response.headers["content-security-policy"] == policy

    def test_policies_forbid_scripts_and_framing(self) -> None:
        for policy in (DEFAULT_CSP, SVG_CSP):
            assert "default-src 'none'" in policy
            assert "script-src" not in policy
        assert "frame-ancestors 'none'" in DEFAULT_CSP
        assert "sandbox" in SVG_CSP

    @pytest.mark.parametrize(
        "url", ["/health", "/openapi.json", "/api/v1/organisation", "/nowhere", "/"]
    )
    def test_every_other_response(self, client: TestClient, url: str) -> None:
        response = client.get(url, follow_redirects=False)
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["content-security-policy"] == DEFAULT_CSP
        assert "server" not in response.headers

    def test_a_problem_of_the_edge_guard(self, client: TestClient) -> None:
        response = client.post("/api/v1/issuers", content=b"x", headers={"Content-Type": "text/x"})
        assert response.status_code == 415
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["content-security-policy"] == DEFAULT_CSP

    def test_swagger_ui_gets_a_policy_it_works_with(self, client: TestClient) -> None:
        response = client.get("/docs")
        assert response.status_code == 200
        assert response.headers["content-security-policy"] == SWAGGER_UI_CSP
        assert response.headers["x-content-type-options"] == "nosniff"
        assert 'src="/static/swagger-ui/swagger-ui-bundle.js"' in response.text  # 'self'
        assert "<script>" in response.text  # its inline set-up: 'unsafe-inline'
        assert "script-src 'self' 'unsafe-inline'" in SWAGGER_UI_CSP
        assert "connect-src 'self'" in SWAGGER_UI_CSP  # fetches /openapi.json, tries calls
        bundle = client.get("/static/swagger-ui/swagger-ui-bundle.js")
        assert bundle.status_code == 200
        assert bundle.headers["x-content-type-options"] == "nosniff"

    def test_an_unexpected_error_still_gets_them(self, settings: Settings, engine: Engine) -> None:
        app = create_app(settings, engine=engine)

        def boom() -> None:
            raise RuntimeError("boom")

        app.add_api_route("/boom", boom)
        with TestClient(app, raise_server_exceptions=False) as client:
            response = client.get("/boom")
        assert response.status_code == 500
        assert response.headers["content-type"] == "application/problem+json"
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["content-security-policy"] == DEFAULT_CSP


class TestApiKeySecret:
    def test_the_response_with_a_new_secret_is_never_stored(
        self, client: TestClient, session: Session
    ) -> None:
        tenant = create_tenant(session)
        response = client.post(
            "/api/v1/api-keys", json={"name": "export", "scopes": ["read"]}, headers=tenant.headers
        )
        assert response.status_code == 201, response.text
        assert response.json()["key"].startswith("bf_")
        assert response.headers["cache-control"] == "no-store"

    def test_listing_keys_shows_no_secret(self, client: TestClient, session: Session) -> None:
        tenant = create_tenant(session)
        response = client.get("/api/v1/api-keys", headers=tenant.headers)
        assert response.status_code == 200
        assert all("key" not in item for item in response.json()["items"])
