"""The badge design catalogue and previews over HTTP: SVG by default, PNG on request, no writes."""

import io

from fastapi.testclient import TestClient
from PIL import Image
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from badgeforge.audit.models import AuditEvent
from badgeforge.core.images import sanitize_svg
from badgeforge.security import Scope
from tests.factories import Tenant, create_tenant

BASE = "/api/v1/badge-designs"
BODY = {
    "title": "Travailler en équipe",
    "scheme": "bordeaux",
    "icon": "equipe",
    "subtitle": "Cercle 2",
}


def reader(session: Session) -> Tenant:
    return create_tenant(session, scopes=(Scope.READ,))


class TestCatalogue:
    def test_lists_designs_schemes_and_icons_in_french_and_english(
        self, client: TestClient, session: Session
    ) -> None:
        response = client.get(BASE, headers=reader(session).headers)
        assert response.status_code == 200, response.text
        body = response.json()
        designs = {design["name"]: design for design in body["designs"]}
        assert designs["hexagone"]["title"] == {"fr": "Hexagone", "en": "Hexagon"}
        assert len(body["schemes"]) >= 6
        assert all(scheme["contrast_ratio"] >= 4.5 for scheme in body["schemes"])
        icons = {icon["name"]: icon["title"] for icon in body["icons"]}
        assert icons["casque"] == {"fr": "Casque de sécurité", "en": "Safety helmet"}
        assert body["rules"]["reference_display_px"] == 240

    def test_one_design(self, client: TestClient, session: Session) -> None:
        response = client.get(f"{BASE}/medaillon", headers=reader(session).headers)
        assert response.status_code == 200, response.text
        assert response.json()["text_area"]["circle"] == [256, 256, 190]
        missing = client.get(f"{BASE}/nope", headers=reader(session).headers)
        assert missing.status_code == 404
        assert missing.headers["content-type"] == "application/problem+json"

    def test_needs_an_api_key(self, client: TestClient) -> None:
        assert client.get(BASE).status_code == 401
        assert client.post(f"{BASE}/medaillon/preview", json=BODY).status_code == 401

    def test_the_templates_listing_still_works(self, client: TestClient, session: Session) -> None:
        templates = client.get("/api/v1/badge-templates", headers=reader(session).headers).json()
        assert {t["name"] for t in templates} >= {"medaillon", "ecusson", "ruban", "tuile"}


class TestPreview:
    def test_svg_by_default(self, client: TestClient, session: Session) -> None:
        response = client.post(f"{BASE}/ruban/preview", json=BODY, headers=reader(session).headers)
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == "image/svg+xml"
        assert response.headers["cache-control"] == "no-store"
        assert "content-security-policy" in response.headers  # as every SVG served
        assert sanitize_svg(response.content)[0] == response.content
        assert "Cercle 2" in response.text

    def test_png_on_request(self, client: TestClient, session: Session) -> None:
        headers = {**reader(session).headers, "Accept": "image/png"}
        response = client.post(f"{BASE}/hexagone/preview", json=BODY, headers=headers)
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == "image/png"
        image = Image.open(io.BytesIO(response.content))
        image.load()
        assert image.size == (512, 512)

    def test_other_media_types_are_not_acceptable(
        self, client: TestClient, session: Session
    ) -> None:
        headers = {**reader(session).headers, "Accept": "image/jpeg"}
        response = client.post(f"{BASE}/ruban/preview", json=BODY, headers=headers)
        assert response.status_code == 406

    def test_low_contrast_is_a_problem_with_the_ratio(
        self, client: TestClient, session: Session
    ) -> None:
        body = {"title": "Accueil", "primary_colour": "#ffd166"}  # white on yellow
        response = client.post(f"{BASE}/tuile/preview", json=body, headers=reader(session).headers)
        assert response.status_code == 422, response.text
        problem = response.json()
        assert problem["type"] == "/problems/invalid-image"
        assert problem["check"] == "contrast"
        assert problem["field"] == "text_colour"
        assert f"{problem['contrast_ratio']:.2f}:1" in problem["detail"]
        assert problem["contrast_ratio"] < problem["required_ratio"] == 3.0

    def test_an_overlong_title_is_a_problem(self, client: TestClient, session: Session) -> None:
        body = {"title": "Prendre en compte les règles d'hygiène " * 4, "icon": "casque"}
        response = client.post(
            f"{BASE}/rosette/preview", json=body, headers=reader(session).headers
        )
        assert response.status_code == 422, response.text
        assert response.json()["check"] == "text-size"
        assert "smallest readable size" in response.json()["detail"]

    def test_an_unknown_scheme_is_a_validation_error(
        self, client: TestClient, session: Session
    ) -> None:
        body = {"title": "Accueil", "scheme": "fluo"}
        response = client.post(f"{BASE}/tuile/preview", json=body, headers=reader(session).headers)
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "body.scheme"

    def test_previews_write_nothing(self, client: TestClient, session: Session) -> None:
        tenant = reader(session)
        before = session.scalar(select(func.count()).select_from(AuditEvent))
        for _ in range(2):
            client.post(f"{BASE}/medaillon/preview", json=BODY, headers=tenant.headers)
        assert session.scalar(select(func.count()).select_from(AuditEvent)) == before
