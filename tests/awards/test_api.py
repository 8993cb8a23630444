from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from badgeforge.core.identity import hash_identity
from badgeforge.security import Scope
from badgeforge.settings import Settings
from tests.factories import Tenant, create_badge_class, create_issuer, create_key, create_tenant


def setup_badge(session: Session, settings: Settings) -> tuple[Tenant, str]:
    tenant = create_tenant(session)
    issuer = create_issuer(session, tenant)
    badge_class = create_badge_class(session, tenant, settings, issuer.id, expires_after_days=365)
    return tenant, str(badge_class.id)


class TestAwarding:
    def test_award_hashes_the_lower_cased_email(
        self, client: TestClient, session: Session, settings: Settings
    ) -> None:
        tenant, badge_class_id = setup_badge(session, settings)
        response = client.post(
            "/api/v1/awards",
            json={
                "badge_class_id": badge_class_id,
                "recipient_email": "Camille.Martin@Example.ORG",
            },
            headers=tenant.headers,
        )
        assert response.status_code == 201, response.text
        award = response.json()
        assert award["recipient_email"] == "camille.martin@example.org"
        assertion = client.get(award["assertion_url"]).json()
        salt = assertion["recipient"]["salt"]
        assert len(salt) == 32
        assert assertion["recipient"]["identity"] == hash_identity(
            "camille.martin@example.org", salt
        )
        assert award["recipient_identity"] == assertion["recipient"]["identity"]

    def test_each_award_gets_its_own_salt(
        self, client: TestClient, session: Session, settings: Settings
    ) -> None:
        tenant, badge_class_id = setup_badge(session, settings)
        body = {"badge_class_id": badge_class_id, "recipient_email": "a@example.org"}
        first = client.post("/api/v1/awards", json=body, headers=tenant.headers).json()
        second = client.post("/api/v1/awards", json=body, headers=tenant.headers).json()
        assert first["recipient_identity"] != second["recipient_identity"]

    def test_expiry_comes_from_the_badge_class_policy(
        self, client: TestClient, session: Session, settings: Settings
    ) -> None:
        tenant, badge_class_id = setup_badge(session, settings)
        body = {
            "badge_class_id": badge_class_id,
            "recipient_email": "a@example.org",
            "issued_on": "2026-01-15T09:00:00+01:00",
        }
        award = client.post("/api/v1/awards", json=body, headers=tenant.headers).json()
        assert award["issued_on"] == "2026-01-15T08:00:00Z"
        assert award["expires"] == "2027-01-15T08:00:00Z"

    def test_explicit_expiry_wins(
        self, client: TestClient, session: Session, settings: Settings
    ) -> None:
        tenant, badge_class_id = setup_badge(session, settings)
        body = {
            "badge_class_id": badge_class_id,
            "recipient_email": "a@example.org",
            "expires": "2030-06-30T00:00:00Z",
        }
        award = client.post("/api/v1/awards", json=body, headers=tenant.headers).json()
        assert award["expires"] == "2030-06-30T00:00:00Z"

    def test_narrative_and_evidence(
        self, client: TestClient, session: Session, settings: Settings
    ) -> None:
        tenant, badge_class_id = setup_badge(session, settings)
        body = {
            "badge_class_id": badge_class_id,
            "recipient_email": "a@example.org",
            "narrative": "Observé pendant trois mois.",
            "evidence": [
                {"url": "https://portfolio.example.org/a", "name": "Photos", "genre": "Photo"},
                {"narrative": "Attestation du moniteur d'atelier."},
            ],
        }
        award = client.post("/api/v1/awards", json=body, headers=tenant.headers).json()
        assertion = client.get(award["assertion_url"]).json()
        assert award["narrative"] == "Observé pendant trois mois."
        assert len(award["evidence"]) == 2
        # Published for Open Badge Passport (see core.ob2.assertion_evidence): one Evidence.
        assert "narrative" not in assertion
        assert assertion["evidence"] == {
            "type": "Evidence",
            "narrative": "Observé pendant trois mois.\n\n"
            "- **Photos** (Photo) <https://portfolio.example.org/a>\n"
            "- Attestation du moniteur d'atelier.",
        }


class TestAwardValidation:
    def test_future_issue_date_is_refused(
        self, client: TestClient, session: Session, settings: Settings
    ) -> None:
        tenant, badge_class_id = setup_badge(session, settings)
        future = (datetime.now(UTC) + timedelta(days=2)).isoformat()
        body = {
            "badge_class_id": badge_class_id,
            "recipient_email": "a@example.org",
            "issued_on": future,
        }
        response = client.post("/api/v1/awards", json=body, headers=tenant.headers)
        assert response.status_code == 422
        assert "future" in response.json()["detail"]

    def test_expiry_before_issue_is_refused(
        self, client: TestClient, session: Session, settings: Settings
    ) -> None:
        tenant, badge_class_id = setup_badge(session, settings)
        body = {
            "badge_class_id": badge_class_id,
            "recipient_email": "a@example.org",
            "issued_on": "2026-01-15T09:00:00Z",
            "expires": "2026-01-14T09:00:00Z",
        }
        response = client.post("/api/v1/awards", json=body, headers=tenant.headers)
        assert response.status_code == 422
        assert "expires" in response.json()["detail"]

    def test_naive_dates_and_bad_emails_are_refused(
        self, client: TestClient, session: Session, settings: Settings
    ) -> None:
        tenant, badge_class_id = setup_badge(session, settings)
        body = {
            "badge_class_id": badge_class_id,
            "recipient_email": "not-an-email",
            "issued_on": "2026-01-15T09:00:00",
        }
        response = client.post("/api/v1/awards", json=body, headers=tenant.headers)
        assert response.status_code == 422
        problem = response.json()
        assert response.headers["content-type"] == "application/problem+json"
        fields = {error["field"] for error in problem["errors"]}
        assert fields == {"body.recipient_email", "body.issued_on"}

    def test_evidence_needs_url_or_narrative(
        self, client: TestClient, session: Session, settings: Settings
    ) -> None:
        tenant, badge_class_id = setup_badge(session, settings)
        body = {
            "badge_class_id": badge_class_id,
            "recipient_email": "a@example.org",
            "evidence": [{"name": "x"}],
        }
        response = client.post("/api/v1/awards", json=body, headers=tenant.headers)
        assert response.status_code == 422

    def test_unknown_badge_class_is_404(self, client: TestClient, session: Session) -> None:
        tenant = create_tenant(session)
        body = {
            "badge_class_id": "00000000-0000-4000-8000-000000000000",
            "recipient_email": "a@example.org",
        }
        response = client.post("/api/v1/awards", json=body, headers=tenant.headers)
        assert response.status_code == 404


class TestRevocation:
    def test_revoke_then_public_url_is_gone(
        self, client: TestClient, session: Session, settings: Settings
    ) -> None:
        tenant, badge_class_id = setup_badge(session, settings)
        body = {"badge_class_id": badge_class_id, "recipient_email": "a@example.org"}
        award = client.post("/api/v1/awards", json=body, headers=tenant.headers).json()
        response = client.post(
            f"/api/v1/awards/{award['id']}/revoke",
            json={"reason": "Attribué par erreur."},
            headers=tenant.headers,
        )
        assert response.status_code == 200
        assert response.json()["revoked"] is True
        public = client.get(award["assertion_url"])
        assert public.status_code == 410
        assert public.json()["revoked"] is True
        assert public.json()["revocationReason"] == "Attribué par erreur."
        assert client.get(award["baked_png_url"]).status_code == 410

    def test_revoking_twice_is_a_conflict(
        self, client: TestClient, session: Session, settings: Settings
    ) -> None:
        tenant, badge_class_id = setup_badge(session, settings)
        body = {"badge_class_id": badge_class_id, "recipient_email": "a@example.org"}
        award = client.post("/api/v1/awards", json=body, headers=tenant.headers).json()
        url = f"/api/v1/awards/{award['id']}/revoke"
        assert client.post(url, json={"reason": "x"}, headers=tenant.headers).status_code == 200
        assert client.post(url, json={"reason": "x"}, headers=tenant.headers).status_code == 409

    def test_revocation_needs_the_issue_scope(
        self, client: TestClient, session: Session, settings: Settings
    ) -> None:
        tenant, badge_class_id = setup_badge(session, settings)
        body = {"badge_class_id": badge_class_id, "recipient_email": "a@example.org"}
        award = client.post("/api/v1/awards", json=body, headers=tenant.headers).json()
        reader = {"Authorization": f"Bearer {create_key(session, tenant, Scope.READ)}"}
        response = client.post(
            f"/api/v1/awards/{award['id']}/revoke", json={"reason": "x"}, headers=reader
        )
        assert response.status_code == 403


class TestListing:
    def test_filters(self, client: TestClient, session: Session, settings: Settings) -> None:
        tenant, badge_class_id = setup_badge(session, settings)
        for email in ("a@example.org", "b@example.org", "b@example.org"):
            body = {"badge_class_id": badge_class_id, "recipient_email": email}
            client.post("/api/v1/awards", json=body, headers=tenant.headers)
        page = client.get(
            "/api/v1/awards", params={"recipient_email": "B@example.org"}, headers=tenant.headers
        ).json()
        assert page["total"] == 2
        first = page["items"][0]["id"]
        client.post(f"/api/v1/awards/{first}/revoke", json={"reason": "x"}, headers=tenant.headers)
        revoked = client.get(
            "/api/v1/awards", params={"revoked": "true"}, headers=tenant.headers
        ).json()
        assert [item["id"] for item in revoked["items"]] == [first]
        paged = client.get(
            "/api/v1/awards", params={"limit": 1, "offset": 1}, headers=tenant.headers
        ).json()
        assert paged["total"] == 3
        assert len(paged["items"]) == 1
