"""A draft badge class and helpers to invite co-designers and use their page."""

from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy.orm import Session

from badgeforge.badge_classes import service as badge_class_service
from badgeforge.badge_classes.models import BadgeClass
from badgeforge.badge_classes.schemas import BadgeClassCreate
from badgeforge.settings import Settings
from tests.factories import Tenant, create_issuer, create_tenant

INVITEE = "Léa, travailleuse"


@dataclass(frozen=True)
class Invited:
    """An invitation as the staff API answered it."""

    body: dict[str, Any]

    @property
    def token(self) -> str:
        return str(self.body["token"])

    @property
    def path(self) -> str:
        return f"/co-design/{self.token}"


@pytest.fixture
def tenant(session: Session) -> Tenant:
    return create_tenant(session)


def draft(session: Session, tenant: Tenant, settings: Settings, name: str) -> BadgeClass:
    issuer = create_issuer(session, tenant)
    data = BadgeClassCreate(
        issuer_id=issuer.id,
        name=name,
        description="Avec ce badge, je montre que je sais travailler avec mes collègues.",
        criteria={"narrative": "- J'aide un collègue"},
    )
    return badge_class_service.create(session, tenant.principal, data, settings).badge_class


@pytest.fixture
def badge_class(session: Session, tenant: Tenant, settings: Settings) -> BadgeClass:
    return draft(session, tenant, settings, "Travailler en équipe")


def invite(client: TestClient, tenant: Tenant, badge_class: BadgeClass, **body: Any) -> Invited:
    payload = {"name": INVITEE, "role": "editor", **body}
    url = f"/api/v1/badge-classes/{badge_class.id}/invitations"
    response = client.post(url, json=payload, headers=tenant.headers)
    assert response.status_code == 201, response.text
    return Invited(response.json())


def post(client: TestClient, invited: Invited, lang: str = "fr", **form: str) -> Response:
    response: Response = client.post(
        f"{invited.path}?lang={lang}", data=form, follow_redirects=False
    )
    return response


def matrix(**changes: str) -> dict[str, str]:
    """The editor's form as the browser sends it, with ``changes``."""
    return {
        "action": "save",
        "name": "Travailler en équipe",
        "audience": "",
        "description": "Avec ce badge, je montre que je sais travailler avec mes collègues.",
        "criteria": "- J'aide un collègue",
        "evidence_expectations": "",
        "endorsement_expectations": "",
        **changes,
    }
