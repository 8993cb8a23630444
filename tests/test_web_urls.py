"""Web URLs (issuer site, criteria, alignment targets): the server accepts exactly what the
published pattern allows, and what it accepts can be signed (it is an IRI N-Quads can write).

Found by the contract run: ``http://10*`` was accepted although the schema refuses it, and a
criteria URL with ``>`` was accepted, after which every award of the badge class was refused
("not an absolute IRI").
"""

import re

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError
from sqlalchemy.orm import Session

from badgeforge.fields import WEB_URL_PATTERN
from badgeforge.issuers.schemas import IssuerCreate
from tests.factories import create_issuer, create_tenant

ACCEPTED = [
    "https://example.org",
    "http://a.b:80",
    "https://example.org/ok?x=1#y",
    "https://q.example/critères#Ę[ç]",
]
REFUSED = [
    "http://10*",
    "http://user@example.org/",
    "https://example.org/a>b",
    "https://example.org/a<b",
    'https://example.org/"a"',
    "https://example.org/{a}",
    "https://example.org/a|b",
    "https://example.org/a\\b",
    "https://example.org/a^b",
    "https://example.org/a`b",
    "ftp://example.org/",
]


@pytest.mark.parametrize("url", ACCEPTED + REFUSED)
def test_the_server_accepts_exactly_what_the_pattern_allows(url: str) -> None:
    allowed = re.fullmatch(WEB_URL_PATTERN, url) is not None
    assert allowed == (url in ACCEPTED)
    if allowed:
        IssuerCreate(name="ESAT", email="badges@example.org", url=url)
    else:
        with pytest.raises(ValidationError):
            IssuerCreate(name="ESAT", email="badges@example.org", url=url)


def test_a_refused_url_is_a_422_naming_the_field(client: TestClient, session: Session) -> None:
    tenant = create_tenant(session)
    issuer = create_issuer(session, tenant)
    response = client.post(
        "/api/v1/badge-classes",
        headers=tenant.headers,
        json={
            "issuer_id": str(issuer.id),
            "name": "Sécurité",
            "description": "Applique les consignes.",
            "criteria": {"url": "http://q#a>b"},
        },
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.criteria.url"


@pytest.mark.parametrize("url", ACCEPTED)
def test_a_badge_class_with_an_accepted_criteria_url_can_be_awarded(
    client: TestClient, session: Session, url: str
) -> None:
    tenant = create_tenant(session)
    issuer = create_issuer(session, tenant)
    badge_class = client.post(
        "/api/v1/badge-classes",
        headers=tenant.headers,
        json={
            "issuer_id": str(issuer.id),
            "name": "Sécurité",
            "description": "Applique les consignes.",
            "criteria": {"url": url},
            "publish": True,
        },
    )
    assert badge_class.status_code == 201, badge_class.text
    award = client.post(
        "/api/v1/awards",
        headers=tenant.headers,
        json={"badge_class_id": badge_class.json()["id"], "recipient_email": "c@example.org"},
    )
    assert award.status_code == 201, award.text
