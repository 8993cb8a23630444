"""Property: text of any Unicode never gives a 5xx, and what is accepted can be published.

Arbitrary strings (controls, lone surrogates, non-characters, XML specials, astral planes)
go into the text fields of each write; the answer is the success status or a 422, and once
accepted, the public documents and baked images built from the text answer 200 (or 410).
"""

import json
from typing import Any
from uuid import UUID

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from badgeforge.settings import Settings
from tests.factories import Tenant, create_award, create_badge_class, create_issuer, create_tenant

REFUSED = ["\x00", "\x1b", "\x7f", "\x9b", "\ud800", "\udfff", "\ufdd0", "\ufffe", "\uffff"]
REFUSED += ["\U0001fffe", "\U0010ffff"]
KEPT = ["\x85", "\u2028", "\u202e", "\t", "\r\n", "<", "&amp;", '"', "]]>", "é", "😀", "\ue000"]
KEPT += ["\udbff\udc00"]  # two escapes in JSON that decode to one astral character
PUBLISHABLE = st.lists(
    st.one_of(st.characters(exclude_categories=("Cc", "Cs", "Cn")), st.sampled_from(KEPT)),
    min_size=1,
    max_size=20,
).map("".join)
ONE_CHARACTER = st.one_of(st.sampled_from(REFUSED + KEPT), st.characters(exclude_categories=()))
TEXT = st.one_of(
    PUBLISHABLE,
    st.tuples(PUBLISHABLE, ONE_CHARACTER, PUBLISHABLE).map("".join),
    st.text(st.characters(exclude_categories=()), max_size=20),
)
PROPERTY = settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def tenant(session: Session) -> Tenant:
    return create_tenant(session)


@pytest.fixture
def badge_class_id(session: Session, settings: Settings, tenant: Tenant) -> UUID:
    issuer = create_issuer(session, tenant)
    return create_badge_class(session, tenant, settings, issuer.id).id


def post(client: TestClient, tenant: Tenant, path: str, body: dict[str, Any]) -> Response:
    """POST ``body`` with ASCII escapes (a lone surrogate has no UTF-8 form)."""
    headers = {**tenant.headers, "Content-Type": "application/json"}
    return client.post(path, content=json.dumps(body), headers=headers)


def accepted(response: Response, success: int) -> bool:
    assert response.status_code in (success, 422), response.text
    return response.status_code == success


def assert_published(client: TestClient, *urls: str, status: int = 200) -> None:
    for url in urls:
        response = client.get(url)
        assert response.status_code == status, (url, response.text)


@PROPERTY
@given(narrative=TEXT, name=TEXT, evidence=TEXT)
def test_award_text(
    client: TestClient,
    tenant: Tenant,
    badge_class_id: UUID,
    narrative: str,
    name: str,
    evidence: str,
) -> None:
    body = {
        "badge_class_id": str(badge_class_id),
        "recipient_email": "a@example.org",
        "narrative": narrative,
        "evidence": [{"narrative": evidence, "name": name, "url": "https://e.example.org"}],
    }
    response = post(client, tenant, "/api/v1/awards", body)
    if accepted(response, 201):
        award = response.json()
        assert_published(
            client, award["assertion_url"], award["baked_svg_url"], award["baked_png_url"]
        )


@PROPERTY
@given(reason=TEXT)
def test_revocation_reason(
    client: TestClient,
    session: Session,
    settings: Settings,
    tenant: Tenant,
    badge_class_id: UUID,
    reason: str,
) -> None:
    award = create_award(session, tenant, settings, badge_class_id)
    session.commit()
    response = post(client, tenant, f"/api/v1/awards/{award.id}/revoke", {"reason": reason})
    if accepted(response, 200):
        assert_published(client, response.json()["assertion_url"], status=410)


@PROPERTY
@given(name=TEXT, description=TEXT)
def test_issuer_text(client: TestClient, tenant: Tenant, name: str, description: str) -> None:
    body = {"name": name, "url": "https://esat.example.fr", "email": "c@esat.example.fr"}
    response = post(client, tenant, "/api/v1/issuers", {**body, "description": description})
    if accepted(response, 201):
        assert_published(client, response.json()["public_url"])


@PROPERTY
@given(name=TEXT, tag=TEXT, competency=TEXT)
def test_badge_class_text(
    client: TestClient,
    session: Session,
    tenant: Tenant,
    badge_class_id: UUID,
    name: str,
    tag: str,
    competency: str,
) -> None:
    url = f"/api/v1/badge-classes/{badge_class_id}"
    issuer_id = client.get(url, headers=tenant.headers).json()["issuer_id"]
    body = {
        "issuer_id": issuer_id,
        "name": name,
        "description": "Accueille le public.",
        "criteria": {"narrative": "Observé."},
        "publish": True,
        "tags": [tag],
        "alignments": [{"target_name": competency, "target_url": "https://c.example.org"}],
    }
    response = post(client, tenant, "/api/v1/badge-classes", body)
    if accepted(response, 201):
        created = response.json()
        assert_published(client, created["public_url"], created["image_svg_url"])


@PROPERTY
@given(name=TEXT)
def test_api_key_name(client: TestClient, tenant: Tenant, name: str) -> None:
    accepted(post(client, tenant, "/api/v1/api-keys", {"name": name, "scopes": ["read"]}), 201)
