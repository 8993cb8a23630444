"""The webhook API: secrets shown once, URL rules, scopes, tenancy, log and redelivery."""

from uuid import UUID

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from badgeforge.security import Scope
from badgeforge.settings import Settings
from tests.factories import create_badge_class, create_issuer, create_key, create_tenant

LOCAL = "http://127.0.0.1:9/hook"


def _loopback(settings: Settings) -> None:
    settings.outbound_allow_loopback = True


class TestEndpoints:
    def test_create_shows_the_secret_once(
        self, client: TestClient, session: Session, settings: Settings
    ) -> None:
        _loopback(settings)
        tenant = create_tenant(session)
        created = client.post(
            "/api/v1/webhook-endpoints",
            json={"url": LOCAL, "description": "SI formation"},
            headers=tenant.headers,
        )
        assert created.status_code == 201, created.text
        body = created.json()
        assert body["secret"].startswith("whsec_")
        assert body["enabled"] is True
        assert body["event_types"] == ["award.issued", "award.revoked", "award.expired"]
        read = client.get(f"/api/v1/webhook-endpoints/{body['id']}", headers=tenant.headers)
        assert read.status_code == 200
        assert "secret" not in read.json()
        assert (
            body["secret"]
            not in client.get("/api/v1/webhook-endpoints", headers=tenant.headers).text
        )
        rotated = client.post(
            f"/api/v1/webhook-endpoints/{body['id']}/rotate-secret",
            json={"overlap_seconds": 600},
            headers=tenant.headers,
        ).json()
        assert rotated["secret"].startswith("whsec_")
        assert rotated["secret"] != body["secret"]
        assert rotated["previous_secret_expires_at"] is not None

    def test_url_must_be_https_unless_loopback_is_allowed(
        self, client: TestClient, session: Session, settings: Settings
    ) -> None:
        tenant = create_tenant(session)
        refused = (
            LOCAL,
            "http://partner.example.org/hook",
            "https://10.0.0.8/hook",
            "https://169.254.169.254/latest",
            "https://user:pw@partner.example.org/",
        )
        for url in refused:
            answer = client.post(
                "/api/v1/webhook-endpoints", json={"url": url}, headers=tenant.headers
            )
            assert answer.status_code == 422, (url, answer.text)
        good = client.post(
            "/api/v1/webhook-endpoints",
            json={"url": "https://partner.example.org/hook"},
            headers=tenant.headers,
        )
        assert good.status_code == 201
        _loopback(settings)
        local = client.post(
            "/api/v1/webhook-endpoints", json={"url": LOCAL}, headers=tenant.headers
        )
        assert local.status_code == 201

    def test_scopes_and_tenancy(self, client: TestClient, session: Session) -> None:
        tenant, other = create_tenant(session), create_tenant(session, "Autre")
        reader = {"Authorization": f"Bearer {create_key(session, tenant, Scope.READ)}"}
        refused = client.post(
            "/api/v1/webhook-endpoints", json={"url": "https://a.example.org/"}, headers=reader
        )
        assert refused.status_code == 403
        endpoint = client.post(
            "/api/v1/webhook-endpoints",
            json={"url": "https://a.example.org/"},
            headers=tenant.headers,
        ).json()
        path = f"/api/v1/webhook-endpoints/{endpoint['id']}"
        assert client.get(path, headers=reader).status_code == 200
        assert client.get(f"{path}/deliveries", headers=reader).status_code == 200
        assert client.get(path, headers=other.headers).status_code == 404
        assert client.delete(path, headers=other.headers).status_code == 404
        assert client.patch(path, json={"enabled": False}, headers=reader).status_code == 403
        assert client.delete(path, headers=tenant.headers).status_code == 204
        assert client.get(path, headers=tenant.headers).status_code == 404


class TestLog:
    def test_awards_ping_log_and_redelivery(
        self, client: TestClient, session: Session, settings: Settings
    ) -> None:
        tenant = create_tenant(session)
        issuer = create_issuer(session, tenant)
        badge_class = create_badge_class(session, tenant, settings, issuer.id)
        endpoint = client.post(
            "/api/v1/webhook-endpoints",
            json={"url": "https://partner.example.org/hook", "event_types": ["award.issued"]},
            headers=tenant.headers,
        ).json()
        award = client.post(
            "/api/v1/awards",
            json={"badge_class_id": str(badge_class.id), "recipient_email": "a@example.org"},
            headers=tenant.headers,
        )
        assert award.status_code == 201
        path = f"/api/v1/webhook-endpoints/{endpoint['id']}"
        ping = client.post(f"{path}/test", headers=tenant.headers)
        assert ping.status_code == 202
        assert ping.json()["event_type"] == "webhook.test"
        log = client.get(f"{path}/deliveries", headers=tenant.headers).json()
        assert [item["event_type"] for item in log["items"]] == ["webhook.test", "award.issued"]
        assert all(item["status"] == "pending" and item["log"] == [] for item in log["items"])
        pending = client.get(f"{path}/deliveries?status=delivered", headers=tenant.headers)
        assert pending.json()["items"] == []
        delivery_id = log["items"][1]["id"]
        redo = client.post(
            f"/api/v1/webhook-deliveries/{delivery_id}/redeliver", headers=tenant.headers
        )
        assert redo.status_code == 202
        assert redo.json()["event_id"] == log["items"][1]["event_id"]
        client.patch(path, json={"enabled": False}, headers=tenant.headers)
        again = client.post(
            f"/api/v1/webhook-deliveries/{delivery_id}/redeliver", headers=tenant.headers
        )
        assert again.status_code == 409
        assert client.post(f"{path}/test", headers=tenant.headers).status_code == 409
        shown = client.get(path, headers=tenant.headers).json()
        assert shown["enabled"] is False
        assert shown["disabled_reason"] == "Disabled by its owner."
        enabled = client.patch(path, json={"enabled": True}, headers=tenant.headers).json()
        assert enabled["enabled"] is True
        assert enabled["disabled_reason"] is None


def test_reseal_moves_every_webhook_secret_to_the_new_master_key(
    client: TestClient, session: Session, settings: Settings
) -> None:
    from badgeforge.core.errors import KeyUnavailable
    from badgeforge.core.keys import KeyVault
    from badgeforge.signing.vault import vault_from_settings
    from badgeforge.webhooks import signing
    from badgeforge.webhooks.models import WebhookEndpoint

    _loopback(settings)
    tenant = create_tenant(session)
    created = client.post(
        "/api/v1/webhook-endpoints", json={"url": LOCAL}, headers=tenant.headers
    ).json()
    client.post(
        f"/api/v1/webhook-endpoints/{created['id']}/rotate-secret",
        json={"overlap_seconds": 600},
        headers=tenant.headers,
    )
    old = vault_from_settings(settings)
    new_master = KeyVault.generate_master_key()
    both = KeyVault((new_master, *old.master_keys))
    assert signing.reseal_all(session, both) >= 1
    endpoint = session.get(WebhookEndpoint, UUID(created["id"]))
    assert endpoint is not None
    only_new = KeyVault((new_master,))
    for token in (endpoint.secret_sealed, endpoint.previous_secret_sealed):
        assert token is not None
        assert signing.unseal(only_new, token).startswith("whsec_")
        try:
            old.open(token)
        except KeyUnavailable:
            pass
        else:  # pragma: no cover - a secret still readable with the old key alone
            raise AssertionError("the old master key still opens a resealed secret")


def test_create_retried_with_the_same_idempotency_key_returns_the_same_secret(
    client: TestClient, session: Session, settings: Settings
) -> None:
    _loopback(settings)
    tenant = create_tenant(session)
    headers = {**tenant.headers, "Idempotency-Key": "webhook-create-1"}
    first = client.post("/api/v1/webhook-endpoints", json={"url": LOCAL}, headers=headers)
    again = client.post("/api/v1/webhook-endpoints", json={"url": LOCAL}, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["secret"] == first.json()["secret"]
    assert first.headers["Cache-Control"] == "no-store"
    assert again.headers["Cache-Control"] == "no-store"
    listed = client.get("/api/v1/webhook-endpoints", headers=tenant.headers).json()
    assert len(listed["items"]) == 1


def test_endpoint_changes_are_audited(
    client: TestClient, session: Session, settings: Settings
) -> None:
    _loopback(settings)
    tenant = create_tenant(session)
    created = client.post(
        "/api/v1/webhook-endpoints", json={"url": LOCAL}, headers=tenant.headers
    ).json()
    path = f"/api/v1/webhook-endpoints/{created['id']}"
    client.patch(path, json={"description": "SI formation"}, headers=tenant.headers)
    client.post(f"{path}/rotate-secret", json={}, headers=tenant.headers)
    client.delete(path, headers=tenant.headers)
    events = client.get("/api/v1/audit-events", headers=tenant.headers).json()["items"]
    actions = [event["action"] for event in events if event["object_id"] == created["id"]]
    assert sorted(actions) == [
        "webhook_endpoint.create",
        "webhook_endpoint.delete",
        "webhook_endpoint.rotate_secret",
        "webhook_endpoint.update",
    ]
    assert "whsec_" not in str(events)
