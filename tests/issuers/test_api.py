from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from badgeforge.settings import Settings
from tests.factories import create_badge_class, create_issuer, create_tenant
from tests.images import HOSTILE_SVG, jpeg_bytes, png_bytes

ISSUER = {
    "name": "IME Les Tilleuls",
    "url": "https://ime-tilleuls.example.fr",
    "email": "contact@ime-tilleuls.example.fr",
    "description": "Institut médico-éducatif.",
    "telephone": "+33243000000",
}


class TestIssuerCrud:
    def test_create_read_update_delete(self, client: TestClient, session: Session) -> None:
        tenant = create_tenant(session)
        created = client.post("/api/v1/issuers", json=ISSUER, headers=tenant.headers)
        assert created.status_code == 201, created.text
        issuer = created.json()
        assert issuer["language"] == "fr"
        assert issuer["public_url"] == f"http://testserver/ob2/issuers/{issuer['id']}"
        url = f"/api/v1/issuers/{issuer['id']}"
        assert client.get(url, headers=tenant.headers).json()["name"] == "IME Les Tilleuls"
        updated = client.patch(
            url,
            json={"name": "IME Les Tilleuls (Laval)", "telephone": None},
            headers=tenant.headers,
        )
        assert updated.status_code == 200
        assert updated.json()["name"] == "IME Les Tilleuls (Laval)"
        assert updated.json()["telephone"] is None
        public = client.get(f"/ob2/issuers/{issuer['id']}").json()
        assert public["name"] == "IME Les Tilleuls (Laval)"
        assert client.delete(url, headers=tenant.headers).status_code == 204
        assert client.get(url, headers=tenant.headers).status_code == 404

    def test_required_fields_cannot_be_removed(self, client: TestClient, session: Session) -> None:
        tenant = create_tenant(session)
        issuer = create_issuer(session, tenant)
        response = client.patch(
            f"/api/v1/issuers/{issuer.id}", json={"email": None}, headers=tenant.headers
        )
        assert response.status_code == 422
        assert "email" in response.json()["detail"]

    def test_invalid_fields_are_listed(self, client: TestClient, session: Session) -> None:
        tenant = create_tenant(session)
        body = {
            "name": "",
            "url": "javascript:alert(1)",
            "email": "nope",
            "telephone": "02 43 00 00 00",
            "language": "français",
            "admin": True,
        }
        response = client.post("/api/v1/issuers", json=body, headers=tenant.headers)
        assert response.status_code == 422
        fields = {error["field"] for error in response.json()["errors"]}
        assert fields == {
            "body.name",
            "body.url",
            "body.email",
            "body.telephone",
            "body.language",
            "body.admin",
        }

    def test_issuer_with_badge_classes_cannot_be_deleted(
        self, client: TestClient, session: Session, settings: Settings
    ) -> None:
        tenant = create_tenant(session)
        issuer = create_issuer(session, tenant)
        create_badge_class(session, tenant, settings, issuer.id)
        response = client.delete(f"/api/v1/issuers/{issuer.id}", headers=tenant.headers)
        assert response.status_code == 409


class TestIssuerImage:
    def test_png_logo(self, client: TestClient, session: Session) -> None:
        tenant = create_tenant(session)
        issuer = create_issuer(session, tenant)
        logo = png_bytes()
        response = client.put(
            f"/api/v1/issuers/{issuer.id}/image",
            files={"file": ("logo.svg", logo, "image/svg+xml")},
            headers=tenant.headers,
        )
        assert response.status_code == 200, response.text
        image_url = response.json()["image_url"]
        served = client.get(image_url)
        assert served.headers["content-type"] == "image/png"
        assert served.content == logo
        assert client.get(f"/ob2/issuers/{issuer.id}").json()["image"] == image_url

    def test_hostile_svg_logo_is_sanitised(self, client: TestClient, session: Session) -> None:
        tenant = create_tenant(session)
        issuer = create_issuer(session, tenant)
        response = client.put(
            f"/api/v1/issuers/{issuer.id}/image",
            files={"file": ("logo.png", HOSTILE_SVG, "image/png")},
            headers=tenant.headers,
        )
        assert response.status_code == 200, response.text
        served = client.get(response.json()["image_url"]).content
        for marker in (b"script", b"onload", b"onclick", b"foreignObject", b"evil", b"javascript"):
            assert marker not in served

    def test_jpeg_logo_is_refused(self, client: TestClient, session: Session) -> None:
        tenant = create_tenant(session)
        issuer = create_issuer(session, tenant)
        response = client.put(
            f"/api/v1/issuers/{issuer.id}/image",
            files={"file": ("logo.png", jpeg_bytes(), "image/png")},
            headers=tenant.headers,
        )
        assert response.status_code == 415
        assert "PNG or SVG" in response.json()["detail"]

    def test_no_logo_is_404(self, client: TestClient, session: Session) -> None:
        tenant = create_tenant(session)
        issuer = create_issuer(session, tenant)
        assert client.get(f"/ob2/issuers/{issuer.id}/image").status_code == 404
