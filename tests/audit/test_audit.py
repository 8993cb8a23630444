"""The audit log: who did what, in the change's transaction, readable by admins only."""

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from badgeforge.idempotency import IdempotentRequest
from badgeforge.security import Scope
from badgeforge.settings import Settings
from tests.factories import create_badge_class, create_issuer, create_key, create_tenant


def events(client: TestClient, headers: dict[str, str], **params: object) -> list[dict]:
    response = client.get("/api/v1/audit-events", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()["items"]


class TestAuditLog:
    def test_writes_are_recorded_with_key_action_object_and_request_id(
        self, client: TestClient, session: Session, settings: Settings
    ) -> None:
        tenant = create_tenant(session)
        issuer = create_issuer(session, tenant)
        badge_class = create_badge_class(session, tenant, settings, issuer.id)
        awarded = client.post(
            "/api/v1/awards",
            json={"badge_class_id": str(badge_class.id), "recipient_email": "a@example.org"},
            headers={**tenant.headers, "X-Request-Id": "partner-req-42"},
        )
        assert awarded.status_code == 201
        award_id = awarded.json()["id"]
        revoke = f"/api/v1/awards/{award_id}/revoke"
        assert client.post(revoke, json={"reason": "x"}, headers=tenant.headers).is_success
        again = client.post(revoke, json={"reason": "x"}, headers=tenant.headers)
        assert again.status_code == 409  # rolled back: no second event
        patched = client.patch(
            f"/api/v1/issuers/{issuer.id}", json={"name": "N"}, headers=tenant.headers
        )
        assert patched.is_success
        rotated = client.post(
            f"/api/v1/issuers/{issuer.id}/keys/rotate",
            json={"algorithm": "RSA"},
            headers=tenant.headers,
        )
        assert rotated.status_code == 201
        found = events(client, tenant.headers)
        actions = [event["action"] for event in found]
        assert actions == ["signing_key.rotate", "issuer.update", "award.revoke", "award.create"]
        create = found[-1]
        assert create["object_type"] == "award"
        assert create["object_id"] == award_id
        assert create["api_key_name"] == "test key"
        assert create["api_key_id"] == str(tenant.principal.api_key_id)
        assert create["request_id"] == "partner-req-42" == awarded.headers["X-Request-Id"]
        assert found[1]["details"] == {"fields": ["name"]}
        assert [e["action"] for e in events(client, tenant.headers, action="award.*")] == [
            "award.revoke",
            "award.create",
        ]
        assert len(events(client, tenant.headers, object_id=award_id)) == 2

    def test_idempotent_replay_and_api_keys(self, client: TestClient, session: Session) -> None:
        tenant = create_tenant(session)
        headers = {**tenant.headers, "Idempotency-Key": "key-create-1"}
        body = {"name": "LMS", "scopes": ["issue"]}
        first = client.post("/api/v1/api-keys", json=body, headers=headers)
        retry = client.post("/api/v1/api-keys", json=body, headers=headers)
        assert first.status_code == retry.status_code == 201
        assert retry.headers["Idempotent-Replayed"] == "true"
        assert retry.headers["Cache-Control"] == "no-store"
        assert retry.json()["key"] == first.json()["key"]
        stored = session.scalars(select(IdempotentRequest)).all()
        assert first.json()["key"] not in str([row.response for row in stored])  # sealed
        new = first.json()
        assert client.get("/api/v1/organisation", headers={"X-API-Key": new["key"]}).is_success
        revoked = client.delete(f"/api/v1/api-keys/{new['id']}", headers=tenant.headers)
        assert revoked.is_success
        actions = [e["action"] for e in events(client, tenant.headers)]
        assert actions == ["api_key.revoke", "api_key.create"]  # the replay added nothing

    def test_admins_only_and_tenant_scoped(
        self, client: TestClient, session: Session, settings: Settings
    ) -> None:
        tenant = create_tenant(session)
        other = create_tenant(session, name="IME Autre")
        client.post(
            "/api/v1/issuers",
            json={"name": "E", "url": "https://e.example.fr", "email": "c@e.example.fr"},
            headers=tenant.headers,
        )
        assert len(events(client, tenant.headers)) == 1
        assert events(client, other.headers) == []
        manager = {"Authorization": f"Bearer {create_key(session, tenant, Scope.MANAGE)}"}
        assert client.get("/api/v1/audit-events", headers=manager).status_code == 403
        naive = client.get(
            "/api/v1/audit-events",
            params={"occurred_after": "2026-01-01T00:00:00"},
            headers=tenant.headers,
        )
        assert naive.status_code == 422
