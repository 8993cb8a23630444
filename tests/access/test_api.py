from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from badgeforge.access.models import ApiKey
from badgeforge.security import Scope, hash_secret
from badgeforge.settings import Settings
from tests.factories import (
    create_award,
    create_badge_class,
    create_issuer,
    create_key,
    create_tenant,
)


class TestAuthentication:
    def test_no_key_is_401_problem(self, client: TestClient) -> None:
        response = client.get("/api/v1/issuers")
        assert response.status_code == 401
        assert response.headers["content-type"] == "application/problem+json"
        assert "API key" in response.json()["detail"]

    def test_unknown_malformed_and_revoked_keys_are_401(
        self, client: TestClient, session: Session
    ) -> None:
        tenant = create_tenant(session)
        forged = tenant.token[:-4] + "AAAA"
        for token in ("nonsense", "bf_123_456", forged):
            response = client.get("/api/v1/issuers", headers={"Authorization": f"Bearer {token}"})
            assert response.status_code == 401, token

    def test_x_api_key_header_works_too(self, client: TestClient, session: Session) -> None:
        tenant = create_tenant(session)
        response = client.get("/api/v1/organisation", headers={"X-API-Key": tenant.token})
        assert response.status_code == 200
        assert response.json()["scopes"] == ["admin", "issue", "manage", "read"]

    def test_another_authorization_scheme_leaves_the_x_api_key(
        self, client: TestClient, session: Session
    ) -> None:
        tenant = create_tenant(session)
        headers = {"Authorization": "Basic dXNlcjpwYXNz", "X-API-Key": tenant.token}
        assert client.get("/api/v1/organisation", headers=headers).status_code == 200
        headers = {"Authorization": f"bearer {tenant.token}", "X-API-Key": "bf_nonsense"}
        assert client.get("/api/v1/organisation", headers=headers).status_code == 200

    def test_only_the_hash_is_stored(self, session: Session) -> None:
        tenant = create_tenant(session)
        key = session.scalar(select(ApiKey).where(ApiKey.id == tenant.principal.api_key_id))
        assert key is not None
        assert key.secret_hash == hash_secret(tenant.token)
        assert tenant.token not in (key.secret_hash, key.prefix)
        assert tenant.token.startswith(f"bf_{key.prefix}_")


class TestScopes:
    def test_read_key_cannot_write(self, client: TestClient, session: Session) -> None:
        tenant = create_tenant(session)
        reader = {"Authorization": f"Bearer {create_key(session, tenant, Scope.READ)}"}
        assert client.get("/api/v1/issuers", headers=reader).status_code == 200
        body = {"name": "X", "url": "https://x.example", "email": "x@x.example"}
        response = client.post("/api/v1/issuers", json=body, headers=reader)
        assert response.status_code == 403
        assert response.json()["required_scope"] == "manage"

    def test_issue_key_cannot_manage_or_admin(self, client: TestClient, session: Session) -> None:
        tenant = create_tenant(session)
        issuer = {"Authorization": f"Bearer {create_key(session, tenant, Scope.ISSUE)}"}
        body = {"name": "X", "url": "https://x.example", "email": "x@x.example"}
        assert client.post("/api/v1/issuers", json=body, headers=issuer).status_code == 403
        assert client.get("/api/v1/api-keys", headers=issuer).status_code == 403


class TestApiKeys:
    def test_create_shows_the_key_once(self, client: TestClient, session: Session) -> None:
        tenant = create_tenant(session)
        created = client.post(
            "/api/v1/api-keys",
            json={"name": "LMS", "scopes": ["issue"]},
            headers=tenant.headers,
        )
        assert created.status_code == 201
        token = created.json()["key"]
        listed = client.get("/api/v1/api-keys", headers=tenant.headers).json()
        assert token not in str(listed)
        assert {item["name"] for item in listed["items"]} == {"LMS", "test key"}
        me = client.get("/api/v1/organisation", headers={"Authorization": f"Bearer {token}"})
        assert me.json()["scopes"] == ["issue", "read"]

    def test_unknown_scope_is_422(self, client: TestClient, session: Session) -> None:
        tenant = create_tenant(session)
        body = {"name": "LMS", "scopes": ["superuser"]}
        assert client.post("/api/v1/api-keys", json=body, headers=tenant.headers).status_code == 422

    def test_revoked_key_stops_working(self, client: TestClient, session: Session) -> None:
        tenant = create_tenant(session)
        created = client.post(
            "/api/v1/api-keys", json={"name": "LMS", "scopes": ["read"]}, headers=tenant.headers
        ).json()
        response = client.delete(f"/api/v1/api-keys/{created['id']}", headers=tenant.headers)
        assert response.status_code == 200
        assert response.json()["revoked_at"] is not None
        headers = {"Authorization": f"Bearer {created['key']}"}
        assert client.get("/api/v1/organisation", headers=headers).status_code == 401

    def test_last_admin_key_cannot_be_revoked(self, client: TestClient, session: Session) -> None:
        tenant = create_tenant(session)
        key_id = tenant.principal.api_key_id
        response = client.delete(f"/api/v1/api-keys/{key_id}", headers=tenant.headers)
        assert response.status_code == 409


class TestTenantIsolation:
    """Another organisation's objects answer 404, exactly like missing ones."""

    def test_other_organisations_objects_are_invisible(
        self, client: TestClient, session: Session, settings: Settings
    ) -> None:
        owner = create_tenant(session, "ESAT A")
        intruder = create_tenant(session, "IME B")
        issuer = create_issuer(session, owner)
        badge_class = create_badge_class(session, owner, settings, issuer.id)
        award = create_award(session, owner, settings, badge_class.id)
        own_key = owner.principal.api_key_id
        for url in (f"/api/v1/issuers/{issuer.id}", f"/api/v1/badge-classes/{badge_class.id}"):
            assert client.get(url, headers=owner.headers).status_code == 200
            assert client.get(url, headers=intruder.headers).status_code == 404, url
            assert client.patch(url, json={}, headers=intruder.headers).status_code == 404, url
            assert client.delete(url, headers=intruder.headers).status_code == 404, url
        award_url = f"/api/v1/awards/{award.id}"
        assert client.get(award_url, headers=owner.headers).status_code == 200
        assert client.get(award_url, headers=intruder.headers).status_code == 404
        for method in ("PATCH", "DELETE"):  # awards cannot be changed or deleted, only revoked
            response = client.request(method, award_url, headers=intruder.headers)
            assert response.status_code == 405, method
            assert response.headers["allow"] == "GET, HEAD"
        assert (
            client.delete(f"/api/v1/api-keys/{own_key}", headers=intruder.headers).status_code
            == 404
        )
        revoke = client.post(
            f"/api/v1/awards/{award.id}/revoke", json={"reason": "x"}, headers=intruder.headers
        )
        assert revoke.status_code == 404
        for url in ("/api/v1/issuers", "/api/v1/badge-classes", "/api/v1/awards"):
            assert client.get(url, headers=intruder.headers).json()["total"] == 0

    def test_cannot_build_on_another_organisations_objects(
        self, client: TestClient, session: Session, settings: Settings
    ) -> None:
        owner = create_tenant(session, "ESAT A")
        intruder = create_tenant(session, "IME B")
        issuer = create_issuer(session, owner)
        badge_class = create_badge_class(session, owner, settings, issuer.id)
        body = {
            "issuer_id": str(issuer.id),
            "name": "Intrus",
            "description": "x",
            "criteria": {"narrative": "x"},
        }
        assert (
            client.post("/api/v1/badge-classes", json=body, headers=intruder.headers).status_code
            == 404
        )
        award = {"badge_class_id": str(badge_class.id), "recipient_email": "a@example.org"}
        assert (
            client.post("/api/v1/awards", json=award, headers=intruder.headers).status_code == 404
        )
