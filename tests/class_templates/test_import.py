"""POST /api/v1/badge-class-templates/{key}/import: a draft badge class in one call."""

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from badgeforge.class_templates.catalogue import catalogue
from badgeforge.security import Scope
from badgeforge.settings import Settings
from tests.factories import create_issuer, create_tenant

URL = "/api/v1/badge-class-templates"
KEYS = [template.key for template in catalogue(Settings()).list()]


class TestImport:
    def test_rectec_template_becomes_a_draft(self, client: TestClient, session: Session) -> None:
        tenant = create_tenant(session)
        issuer = create_issuer(session, tenant)
        body = {"issuer_id": str(issuer.id)}
        response = client.post(f"{URL}/rectec-c3/import", json=body, headers=tenant.headers)
        assert response.status_code == 201, response.text
        created = response.json()
        assert created["state"] == "draft"
        assert created["name"] == "Travailler en équipe"
        assert created["achievement_type"] == "Competency"
        assert created["human_code"] == "RECTEC C3"
        assert [level["name"] for level in created["levels"]][-1] == "Cercle 4"
        assert set(created["translations"]) == {"en", "fr-x-falc"}
        (alignment,) = created["alignments"]
        assert (alignment["target_framework"], alignment["target_code"]) == ("RECTEC", "C3")
        assert alignment["target_name"] == "Travailler en équipe"
        assert alignment["target_url"].endswith("#C3")
        again = client.get(f"/api/v1/badge-classes/{created['id']}", headers=tenant.headers)
        assert again.json()["evidence_expectations"] == created["evidence_expectations"]

    @pytest.mark.parametrize("key", KEYS)
    def test_every_template_imports(self, key: str, client: TestClient, session: Session) -> None:
        tenant = create_tenant(session)
        issuer = create_issuer(session, tenant)
        body = {"issuer_id": str(issuer.id)}
        response = client.post(f"{URL}/{key}/import", json=body, headers=tenant.headers)
        assert response.status_code == 201, response.text
        template = catalogue(Settings()).get(key)
        created = response.json()
        assert created["name"] == template.name
        assert created["criteria"]["narrative"] == template.criteria.narrative
        assert created["image"]["template"] == template.image.template

    def test_idempotent_retry(self, client: TestClient, session: Session) -> None:
        tenant = create_tenant(session)
        issuer = create_issuer(session, tenant)
        headers = {**tenant.headers, "Idempotency-Key": "import-1"}
        body = {"issuer_id": str(issuer.id)}
        first = client.post(f"{URL}/securite-hygiene-travail/import", json=body, headers=headers)
        second = client.post(f"{URL}/securite-hygiene-travail/import", json=body, headers=headers)
        assert first.status_code == second.status_code == 201
        assert first.json()["id"] == second.json()["id"]

    def test_unknown_template_or_issuer_is_a_404(
        self, client: TestClient, session: Session
    ) -> None:
        tenant = create_tenant(session)
        issuer = create_issuer(session, tenant)
        other = create_tenant(session, name="Autre ESAT")
        body = {"issuer_id": str(issuer.id)}
        missing = client.post(f"{URL}/rectec-c99/import", json=body, headers=tenant.headers)
        assert missing.status_code == 404
        foreign = client.post(f"{URL}/rectec-c1/import", json=body, headers=other.headers)
        assert foreign.status_code == 404

    def test_needs_the_manage_scope(self, client: TestClient, session: Session) -> None:
        tenant = create_tenant(session, scopes=(Scope.READ,))
        issuer = create_issuer(session, tenant)
        body = {"issuer_id": str(issuer.id)}
        response = client.post(f"{URL}/rectec-c1/import", json=body, headers=tenant.headers)
        assert response.status_code == 403

    def test_unknown_body_field_refused(self, client: TestClient, session: Session) -> None:
        tenant = create_tenant(session)
        issuer = create_issuer(session, tenant)
        body = {"issuer_id": str(issuer.id), "name": "Autre nom"}
        response = client.post(f"{URL}/rectec-c1/import", json=body, headers=tenant.headers)
        assert response.status_code == 422
