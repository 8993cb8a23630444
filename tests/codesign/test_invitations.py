"""Invitations: a token for one badge class and one role, shown once, stored hashed,
expiring and revocable; it opens the co-design page and nothing else."""

from datetime import timedelta
from typing import Any
from uuid import UUID

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from badgeforge.badge_classes.models import BadgeClass
from badgeforge.codesign.models import Invitation
from badgeforge.security import Scope, hash_secret
from badgeforge.settings import Settings
from tests.codesign.conftest import INVITEE, draft, invite, matrix, post
from tests.factories import Tenant, create_key, create_tenant


def test_the_token_is_shown_once_and_stored_as_a_digest(
    client: TestClient, session: Session, tenant: Tenant, badge_class: BadgeClass
) -> None:
    url = f"/api/v1/badge-classes/{badge_class.id}/invitations"
    response = client.post(url, json={"name": INVITEE}, headers=tenant.headers)
    assert response.status_code == 201, response.text
    assert response.headers["cache-control"] == "no-store"
    created = response.json()
    token = created["token"]
    assert token.startswith(f"bfi_{created['prefix']}_")
    assert created["url"] == f"http://testserver/co-design/{token}"
    assert (created["role"], created["status"], created["name"]) == ("editor", "active", INVITEE)
    expires = created["expires_at"][:10]
    row = session.scalar(select(Invitation).where(Invitation.id == UUID(created["id"])))
    assert row is not None
    assert row.secret_hash == hash_secret(token)
    assert token not in {str(value) for value in vars(row).values()}
    assert str(row.expires_at.date()) == expires
    assert (row.expires_at - row.created_at) == timedelta(days=30)
    listed = client.get(url, headers=tenant.headers).json()
    assert [item["id"] for item in listed["items"]] == [created["id"]]
    assert "token" not in listed["items"][0]
    assert "url" not in listed["items"][0]


def test_a_retry_with_the_same_idempotency_key_gets_the_same_link(
    client: TestClient, tenant: Tenant, badge_class: BadgeClass
) -> None:
    url = f"/api/v1/badge-classes/{badge_class.id}/invitations"
    headers = {**tenant.headers, "Idempotency-Key": "invite-lea-1"}
    first = client.post(url, json={"name": INVITEE}, headers=headers)
    again = client.post(url, json={"name": INVITEE}, headers=headers)
    assert again.status_code == 201
    assert again.headers["idempotent-replayed"] == "true"
    assert again.headers["cache-control"] == "no-store"
    assert again.json()["token"] == first.json()["token"]
    assert client.get(url, headers=tenant.headers).json()["total"] == 1


def test_expiry_is_bounded_to_90_days(
    client: TestClient, tenant: Tenant, badge_class: BadgeClass
) -> None:
    url = f"/api/v1/badge-classes/{badge_class.id}/invitations"
    body: dict[str, Any] = {"name": INVITEE, "expires_in_days": 91}
    assert client.post(url, json=body, headers=tenant.headers).status_code == 422
    body["expires_in_days"] = 90
    assert client.post(url, json=body, headers=tenant.headers).status_code == 201


def test_an_expired_link_answers_410_and_changes_nothing(
    client: TestClient, session: Session, tenant: Tenant, badge_class: BadgeClass
) -> None:
    invited = invite(client, tenant, badge_class)
    assert client.get(invited.path).status_code == 200
    row = session.get(Invitation, UUID(invited.body["id"]))
    assert row is not None
    row.expires_at = row.created_at + timedelta(seconds=1)
    row.created_at -= timedelta(days=31)
    row.expires_at -= timedelta(days=31)
    session.commit()
    page = client.get(invited.path)
    assert page.status_code == 410
    assert "Ce lien ne fonctionne plus" in page.text
    assert page.headers["cache-control"] == "no-store"
    refused = post(client, invited, **matrix(name="Changé"))
    assert refused.status_code == 410
    session.refresh(badge_class)
    assert badge_class.name == "Travailler en équipe"
    listed = client.get(
        f"/api/v1/badge-classes/{badge_class.id}/invitations", headers=tenant.headers
    )
    assert listed.json()["items"][0]["status"] == "expired"


def test_a_revoked_link_answers_410(
    client: TestClient, tenant: Tenant, badge_class: BadgeClass
) -> None:
    invited = invite(client, tenant, badge_class)
    url = f"/api/v1/badge-classes/{badge_class.id}/invitations/{invited.body['id']}"
    revoked = client.delete(url, headers=tenant.headers)
    assert revoked.status_code == 200
    assert revoked.json()["status"] == "revoked"
    assert client.delete(url, headers=tenant.headers).status_code == 409
    page = client.get(f"{invited.path}?lang=en")
    assert page.status_code == 410
    assert "This link no longer works" in page.text
    assert post(client, invited, action="comment", field="general", body="x").status_code == 410


def test_an_unknown_or_malformed_link_answers_a_friendly_404(
    client: TestClient, tenant: Tenant, badge_class: BadgeClass
) -> None:
    invited = invite(client, tenant, badge_class)
    forged = invited.token[:-4] + ("AAAA" if not invited.token.endswith("AAAA") else "BBBB")
    for token in (forged, "bfi_nothing", "x" * 300):
        page = client.get(f"/co-design/{token}")
        assert page.status_code == 404
        assert page.headers["content-type"].startswith("text/html")
        assert "Lien inconnu" in page.text
        assert page.headers["referrer-policy"] == "no-referrer"


def test_a_token_opens_one_badge_class_only(
    client: TestClient,
    session: Session,
    tenant: Tenant,
    badge_class: BadgeClass,
    settings: Settings,
) -> None:
    other = draft(session, tenant, settings, "Prendre la parole")
    invited = invite(client, tenant, badge_class)
    page = client.get(invited.path)
    assert "Travailler en équipe" in page.text
    assert "Prendre la parole" not in page.text
    saved = post(client, invited, **matrix(audience="Les travailleurs de l'atelier."))
    assert saved.status_code == 303
    other_history = client.get(
        f"/api/v1/badge-classes/{other.id}/history", headers=tenant.headers
    ).json()
    assert [step["action"] for step in other_history] == ["create"]
    # the token is no API key: not for this class, not for any other
    for target in (badge_class.id, other.id):
        api = client.get(
            f"/api/v1/badge-classes/{target}",
            headers={"Authorization": f"Bearer {invited.token}"},
        )
        assert api.status_code == 401


def test_staff_of_another_organisation_cannot_invite_or_list(
    client: TestClient, session: Session, badge_class: BadgeClass
) -> None:
    stranger = create_tenant(session, "Autre ESAT")
    url = f"/api/v1/badge-classes/{badge_class.id}/invitations"
    assert client.post(url, json={"name": "X"}, headers=stranger.headers).status_code == 404
    assert client.get(url, headers=stranger.headers).status_code == 404


def test_inviting_needs_the_manage_scope(
    client: TestClient, session: Session, tenant: Tenant, badge_class: BadgeClass
) -> None:
    reader = {"Authorization": f"Bearer {create_key(session, tenant, Scope.READ)}"}
    url = f"/api/v1/badge-classes/{badge_class.id}/invitations"
    assert client.post(url, json={"name": INVITEE}, headers=reader).status_code == 403
    assert client.get(url, headers=reader).status_code == 200


def test_invitations_are_listed_newest_first_in_cursor_pages(
    client: TestClient, tenant: Tenant, badge_class: BadgeClass
) -> None:
    made = [invite(client, tenant, badge_class, name=f"Personne {n}").body["id"] for n in range(3)]
    url = f"/api/v1/badge-classes/{badge_class.id}/invitations?limit=2"
    first = client.get(url, headers=tenant.headers).json()
    second = client.get(f"{url}&cursor={first['next']}", headers=tenant.headers).json()
    assert second["next"] is None
    seen = [item["id"] for item in first["items"] + second["items"]]
    assert sorted(seen) == sorted(made)
    assert len(set(seen)) == 3
