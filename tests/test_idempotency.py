"""Retrying a POST with the same Idempotency-Key never awards a badge twice."""

import json
import shutil
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from badgeforge.settings import Settings
from tests.factories import Tenant, create_badge_class, create_issuer, create_tenant


def setup_award(session: Session, settings: Settings) -> tuple[Tenant, dict[str, str]]:
    tenant = create_tenant(session)
    issuer = create_issuer(session, tenant)
    badge_class = create_badge_class(session, tenant, settings, issuer.id)
    return tenant, {"badge_class_id": str(badge_class.id), "recipient_email": "a@example.org"}


class TestIdempotencyKey:
    def test_retry_replays_the_first_response(
        self, client: TestClient, session: Session, settings: Settings
    ) -> None:
        tenant, body = setup_award(session, settings)
        headers = {**tenant.headers, "Idempotency-Key": "award-42"}
        first = client.post("/api/v1/awards", json=body, headers=headers)
        retry = client.post("/api/v1/awards", json=body, headers=headers)
        assert first.status_code == retry.status_code == 201
        assert retry.json() == first.json()
        assert retry.headers["idempotent-replayed"] == "true"
        assert "idempotent-replayed" not in first.headers
        listed = client.get("/api/v1/awards", headers=tenant.headers).json()
        assert listed["total"] == 1

    def test_without_a_key_each_post_awards(
        self, client: TestClient, session: Session, settings: Settings
    ) -> None:
        tenant, body = setup_award(session, settings)
        client.post("/api/v1/awards", json=body, headers=tenant.headers)
        client.post("/api/v1/awards", json=body, headers=tenant.headers)
        assert client.get("/api/v1/awards", headers=tenant.headers).json()["total"] == 2

    def test_same_key_for_another_request_is_refused(
        self, client: TestClient, session: Session, settings: Settings
    ) -> None:
        tenant, body = setup_award(session, settings)
        headers = {**tenant.headers, "Idempotency-Key": "k1"}
        assert client.post("/api/v1/awards", json=body, headers=headers).status_code == 201
        other = {**body, "recipient_email": "b@example.org"}
        response = client.post("/api/v1/awards", json=other, headers=headers)
        assert response.status_code == 422
        assert "Idempotency-Key" in response.json()["detail"]

    def test_a_failed_request_is_not_remembered(
        self, client: TestClient, session: Session, settings: Settings, tmp_path: Path
    ) -> None:
        """A retry of a failed request runs again: once it can succeed, it does."""
        templates = tmp_path / "templates"
        shutil.copytree(settings.badge_templates_dir, templates)
        settings.badge_templates_dir = templates
        tenant = create_tenant(session)
        issuer = create_issuer(session, tenant)
        body = {
            "issuer_id": str(issuer.id),
            "name": "Accueil",
            "description": "Accueille le public.",
            "criteria": {"narrative": "Accueille."},
            "publish": True,
            "image": {"template": "nouveau"},
        }
        headers = {**tenant.headers, "Idempotency-Key": "k2"}
        first = client.post("/api/v1/badge-classes", json=body, headers=headers)
        assert first.status_code == 404, first.text
        shutil.copy(templates / "medaillon.svg", templates / "nouveau.svg")
        retry = client.post("/api/v1/badge-classes", json=body, headers=headers)
        assert retry.status_code == 201, retry.text
        assert "idempotent-replayed" not in retry.headers
        again = client.post("/api/v1/badge-classes", json=body, headers=headers)
        assert again.headers["idempotent-replayed"] == "true"
        assert again.json() == retry.json()

    def test_an_equivalent_body_is_the_same_request(
        self, client: TestClient, session: Session, settings: Settings
    ) -> None:
        """Key order, spacing, defaults and an email's case do not make another request."""
        tenant, body = setup_award(session, settings)
        headers = {**tenant.headers, "Idempotency-Key": "k3", "Content-Type": "application/json"}
        first = client.post("/api/v1/awards", json=body, headers=headers)
        assert first.status_code == 201
        retry_body = {
            "evidence": [],
            "recipient_email": body["recipient_email"].upper(),
            "badge_class_id": body["badge_class_id"],
        }
        retry = client.post(
            "/api/v1/awards", content=json.dumps(retry_body, indent=2), headers=headers
        )
        assert retry.status_code == 201, retry.text
        assert retry.headers["idempotent-replayed"] == "true"
        assert retry.json()["id"] == first.json()["id"]
        other = {**body, "narrative": "Autre récit."}
        assert client.post("/api/v1/awards", json=other, headers=headers).status_code == 422

    def test_keys_are_per_organisation(
        self, client: TestClient, session: Session, settings: Settings
    ) -> None:
        first, first_body = setup_award(session, settings)
        second, second_body = setup_award(session, settings)
        key = {"Idempotency-Key": "shared"}
        one = client.post("/api/v1/awards", json=first_body, headers={**first.headers, **key})
        two = client.post("/api/v1/awards", json=second_body, headers={**second.headers, **key})
        assert one.status_code == two.status_code == 201
        assert one.json()["id"] != two.json()["id"]

    def test_revocation_retry_is_not_a_conflict(
        self, client: TestClient, session: Session, settings: Settings
    ) -> None:
        tenant, body = setup_award(session, settings)
        award = client.post("/api/v1/awards", json=body, headers=tenant.headers).json()
        headers = {**tenant.headers, "Idempotency-Key": "revoke-1"}
        url = f"/api/v1/awards/{award['id']}/revoke"
        first = client.post(url, json={"reason": "Erreur"}, headers=headers)
        retry = client.post(url, json={"reason": "Erreur"}, headers=headers)
        assert first.status_code == retry.status_code == 200
        assert (
            client.post(url, json={"reason": "Erreur"}, headers=tenant.headers).status_code == 409
        )

    def test_issuer_and_badge_class_creation_too(
        self, client: TestClient, session: Session
    ) -> None:
        tenant = create_tenant(session)
        headers = {**tenant.headers, "Idempotency-Key": "issuer-1"}
        issuer = {"name": "ESAT", "url": "https://esat.example.fr", "email": "a@esat.example.fr"}
        first = client.post("/api/v1/issuers", json=issuer, headers=headers).json()
        again = client.post("/api/v1/issuers", json=issuer, headers=headers).json()
        assert first["id"] == again["id"]
        body = {
            "issuer_id": first["id"],
            "name": "Accueil",
            "description": "Accueille le public.",
            "criteria": {"narrative": "Accueille."},
            "publish": True,
        }
        headers["Idempotency-Key"] = "class-1"
        one = client.post("/api/v1/badge-classes", json=body, headers=headers).json()
        two = client.post("/api/v1/badge-classes", json=body, headers=headers).json()
        assert one["id"] == two["id"]
        assert client.get("/api/v1/badge-classes", headers=tenant.headers).json()["total"] == 1
