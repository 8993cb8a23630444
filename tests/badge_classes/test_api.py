from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from badgeforge.core.images import sniff_media_type
from badgeforge.settings import Settings
from tests.factories import Tenant, create_award, create_badge_class, create_issuer, create_tenant
from tests.images import HOSTILE_SVG, SAFE_SVG, XXE_SVG, jpeg_bytes, png_bytes


def new_badge_class(client: TestClient, tenant: Tenant, issuer_id: str, **extra: Any) -> Any:
    body = {
        "issuer_id": issuer_id,
        "name": "Communiquer avec ses collègues",
        "description": "Échange les informations utiles avec l'équipe.",
        "criteria": {"narrative": "- Transmet une consigne", "url": "https://e.example/criteres"},
        "publish": True,
        "alignments": [
            {
                "target_name": "Communiquer",
                "target_url": "https://competences.example.org/rectec/c1",
                "target_framework": "RECTEC",
                "target_code": "C1",
                "target_description": "Pôle relationnel, niveau 2",
            }
        ],
        "tags": ["communication", "communication", "équipe"],
        "language": "fr",
        **extra,
    }
    return client.post("/api/v1/badge-classes", json=body, headers=tenant.headers)


class TestBadgeClassCrud:
    def test_create_renders_a_template_image(self, client: TestClient, session: Session) -> None:
        tenant = create_tenant(session)
        issuer = create_issuer(session, tenant)
        response = new_badge_class(client, tenant, str(issuer.id))
        assert response.status_code == 201, response.text
        badge_class = response.json()
        assert badge_class["tags"] == ["communication", "équipe"]
        assert badge_class["image"]["template"] == "medaillon"
        png = client.get(badge_class["image_png_url"])
        svg = client.get(badge_class["image_svg_url"])
        assert sniff_media_type(png.content) == "image/png"
        assert sniff_media_type(svg.content) == "image/svg+xml"
        assert "Communiquer" in svg.text

    def test_public_badge_class_document(self, client: TestClient, session: Session) -> None:
        tenant = create_tenant(session)
        issuer = create_issuer(session, tenant)
        badge_class = new_badge_class(client, tenant, str(issuer.id)).json()
        document = client.get(badge_class["public_url"]).json()
        assert document["criteria"] == {
            "type": "Criteria",
            "id": "https://e.example/criteres",
            "narrative": "- Transmet une consigne",
        }
        assert document["alignment"][0]["targetCode"] == "C1"
        assert document["alignment"][0]["targetFramework"] == "RECTEC"
        assert document["image"] == badge_class["image_svg_url"]
        assert document["issuer"] == f"http://testserver/ob2/issuers/{issuer.id}"

    def test_rename_rerenders_the_template(self, client: TestClient, session: Session) -> None:
        tenant = create_tenant(session)
        issuer = create_issuer(session, tenant)
        badge_class = new_badge_class(client, tenant, str(issuer.id)).json()
        url = f"/api/v1/badge-classes/{badge_class['id']}"
        response = client.patch(url, json={"name": "Travailler en équipe"}, headers=tenant.headers)
        assert response.status_code == 200
        draft = response.json()
        assert (draft["state"], draft["version_number"], draft["published_version"]) == (
            "draft",
            2,
            1,
        )
        preview = client.get(draft["image_svg_url"], headers=tenant.headers)
        assert "Travailler" in preview.text
        assert "Travailler" not in client.get(badge_class["image_svg_url"]).text

    def test_required_fields_cannot_be_removed(self, client: TestClient, session: Session) -> None:
        tenant = create_tenant(session)
        issuer = create_issuer(session, tenant)
        badge_class = new_badge_class(client, tenant, str(issuer.id)).json()
        url = f"/api/v1/badge-classes/{badge_class['id']}"
        response = client.patch(url, json={"name": None}, headers=tenant.headers)
        assert response.status_code == 422
        assert "name cannot be removed" in response.json()["detail"]
        cleared = client.patch(url, json={"expires_after_days": None}, headers=tenant.headers)
        assert cleared.status_code == 200

    def test_criteria_needs_narrative_or_url(self, client: TestClient, session: Session) -> None:
        tenant = create_tenant(session)
        issuer = create_issuer(session, tenant)
        response = new_badge_class(client, tenant, str(issuer.id), criteria={})
        assert response.status_code == 422

    def test_unknown_template_and_bad_colour(self, client: TestClient, session: Session) -> None:
        tenant = create_tenant(session)
        issuer = create_issuer(session, tenant)
        unknown = new_badge_class(client, tenant, str(issuer.id), image={"template": "no-such"})
        assert unknown.status_code == 404
        traversal = new_badge_class(client, tenant, str(issuer.id), image={"template": "../etc"})
        assert traversal.status_code == 422
        colour = new_badge_class(client, tenant, str(issuer.id), image={"primary_colour": "red"})
        assert colour.status_code == 422

    def test_awarded_badge_class_cannot_be_deleted(
        self, client: TestClient, session: Session, settings: Settings
    ) -> None:
        tenant = create_tenant(session)
        issuer = create_issuer(session, tenant)
        badge_class = create_badge_class(session, tenant, settings, issuer.id)
        url = f"/api/v1/badge-classes/{badge_class.id}"
        create_award(session, tenant, settings, badge_class.id)
        assert client.delete(url, headers=tenant.headers).status_code == 409

    def test_list_by_issuer(self, client: TestClient, session: Session, settings: Settings) -> None:
        tenant = create_tenant(session)
        first = create_issuer(session, tenant)
        second = create_issuer(session, tenant, name="Autre")
        create_badge_class(session, tenant, settings, first.id)
        create_badge_class(session, tenant, settings, second.id)
        page = client.get(
            "/api/v1/badge-classes", params={"issuer_id": str(first.id)}, headers=tenant.headers
        ).json()
        assert page["total"] == 1
        assert page["items"][0]["issuer_id"] == str(first.id)

    def test_templates_are_listed(self, client: TestClient, session: Session) -> None:
        tenant = create_tenant(session)
        templates = client.get("/api/v1/badge-templates", headers=tenant.headers).json()
        assert {t["name"] for t in templates} >= {"medaillon", "ecusson", "ruban"}


class TestBadgeClassImageUpload:
    def upload(self, client: TestClient, tenant: Tenant, badge_class_id: str, data: bytes) -> Any:
        return client.put(
            f"/api/v1/badge-classes/{badge_class_id}/image",
            files={"file": ("badge.bin", data, "application/octet-stream")},
            headers=tenant.headers,
        )

    def setup_class_for(self, client: TestClient, session: Session) -> tuple[Tenant, str]:
        tenant = create_tenant(session)
        issuer = create_issuer(session, tenant)
        return tenant, new_badge_class(client, tenant, str(issuer.id)).json()["id"]

    def test_png_upload_gets_an_svg_form(self, client: TestClient, session: Session) -> None:
        tenant, badge_class_id = self.setup_class_for(client, session)
        png = png_bytes(300, 300)
        response = self.upload(client, tenant, badge_class_id, png)
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["image_media_type"] == "image/png"
        assert body["image"] is None
        assert client.get(body["image_png_url"], headers=tenant.headers).content == png
        assert (
            b"data:image/png;base64,"
            in client.get(body["image_svg_url"], headers=tenant.headers).content
        )

    def test_svg_upload_is_sanitised_and_rasterised(
        self, client: TestClient, session: Session
    ) -> None:
        tenant, badge_class_id = self.setup_class_for(client, session)
        response = self.upload(client, tenant, badge_class_id, HOSTILE_SVG)
        assert response.status_code == 200, response.text
        svg = client.get(response.json()["image_svg_url"], headers=tenant.headers).content
        for marker in (b"script", b"onload", b"onclick", b"foreignObject", b"evil", b"javascript"):
            assert marker not in svg
        png = client.get(response.json()["image_png_url"], headers=tenant.headers).content
        assert sniff_media_type(png) == "image/png"

    def test_accented_svg_text_survives(self, client: TestClient, session: Session) -> None:
        tenant, badge_class_id = self.setup_class_for(client, session)
        response = self.upload(client, tenant, badge_class_id, SAFE_SVG)
        assert (
            "Sécurité" in client.get(response.json()["image_svg_url"], headers=tenant.headers).text
        )

    def test_entities_are_refused(self, client: TestClient, session: Session) -> None:
        tenant, badge_class_id = self.setup_class_for(client, session)
        response = self.upload(client, tenant, badge_class_id, XXE_SVG)
        assert response.status_code == 422
        assert response.headers["content-type"] == "application/problem+json"

    def test_other_types_are_415(self, client: TestClient, session: Session) -> None:
        tenant, badge_class_id = self.setup_class_for(client, session)
        for data in (jpeg_bytes(), b"GIF89a....", b"%PDF-1.7", b"just text"):
            assert self.upload(client, tenant, badge_class_id, data).status_code == 415

    def test_too_many_pixels_is_422(self, client: TestClient, session: Session) -> None:
        tenant, badge_class_id = self.setup_class_for(client, session)
        response = self.upload(client, tenant, badge_class_id, png_bytes(4000, 10))
        assert response.status_code == 422
        assert "4000" in response.json()["detail"]

    def test_too_large_file_is_413(
        self, client: TestClient, session: Session, settings: Settings
    ) -> None:
        tenant, badge_class_id = self.setup_class_for(client, session)
        big = png_bytes() + b"\0" * settings.max_image_bytes
        response = self.upload(client, tenant, badge_class_id, big)
        assert response.status_code == 413
        assert response.headers["content-type"] == "application/problem+json"

    def test_empty_file_is_422(self, client: TestClient, session: Session) -> None:
        tenant, badge_class_id = self.setup_class_for(client, session)
        assert self.upload(client, tenant, badge_class_id, b"").status_code == 422
