"""Direct dispatch of the public GET routes: the very answers FastAPI gives, without its walk."""

from dataclasses import dataclass

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy.orm import Session

from badgeforge.app import DIRECT_ROUTERS
from badgeforge.awards import service as award_service
from badgeforge.direct import DirectRoutes
from badgeforge.meta import router as meta_router
from badgeforge.settings import Settings
from badgeforge.signing.vault import vault_from_settings
from tests.factories import create_award, create_badge_class, create_issuer, create_tenant

PUBLIC_ROUTERS = tuple(router for router in DIRECT_ROUTERS if router is not meta_router)
UNKNOWN = "00000000-0000-4000-8000-000000000000"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
VARYING = {"date", "x-request-id"}


@dataclass(frozen=True)
class Ids:
    issuer: str
    badge_class: str
    valid: str
    revoked: str


@pytest.fixture
def ids(session: Session, settings: Settings) -> Ids:
    tenant = create_tenant(session)
    issuer = create_issuer(session, tenant)
    badge_class = create_badge_class(session, tenant, settings, issuer.id, expires_after_days=730)
    valid = create_award(session, tenant, settings, badge_class.id)
    revoked = create_award(
        session, tenant, settings, badge_class.id, recipient_email="dominique@example.org"
    )
    vault = vault_from_settings(settings)
    award_service.revoke(session, tenant.principal, revoked.id, "Erreur de saisie.", vault=vault)
    session.commit()
    return Ids(str(issuer.id), str(badge_class.id), str(valid.id), str(revoked.id))


def direct_layer(client: TestClient) -> DirectRoutes:
    """The app's DirectRoutes middleware (the stack is built by a first request)."""
    client.get("/health")
    app = client.app
    assert isinstance(app, FastAPI)
    layer = app.middleware_stack
    while not isinstance(layer, DirectRoutes):
        layer = layer.app  # type: ignore[union-attr]
    return layer


@pytest.fixture
def direct(client: TestClient) -> DirectRoutes:
    return direct_layer(client)


def comparable(response: Response) -> tuple[int, list[tuple[str, str]], bytes]:
    headers = sorted((k, v) for k, v in response.headers.items() if k not in VARYING)
    return response.status_code, headers, response.content


def test_every_public_get_route_and_health_are_answered_directly() -> None:
    table = DirectRoutes(FastAPI(), routers=DIRECT_ROUTERS).table()
    direct = {entry.route.path for entries in table.values() for entry in entries}
    expected = {
        route.path
        for router in PUBLIC_ROUTERS
        for route in router.routes
        if isinstance(route, APIRoute) and route.methods == {"GET"}
    }
    assert direct == expected | {"/health"}  # a route that stops qualifying is caught here


def urls(ids: Ids) -> list[tuple[str, dict[str, str], bool]]:
    """(path, headers, answered directly): the rest is answered by FastAPI after an attempt."""
    valid, revoked = ids.valid, ids.revoked
    return [
        ("/health", {}, True),
        (f"/ob2/assertions/{valid}", {}, True),
        (f"/ob2/assertions/{valid}", {"Accept": "application/ld+json"}, True),
        (f"/ob2/assertions/{valid}", {"Accept": BROWSER}, True),  # 303 to the award page
        (f"/ob2/assertions/{valid}/baked.png", {}, True),
        (f"/ob2/assertions/{valid}/baked.svg", {}, True),
        (f"/ob2/assertions/{valid}/signed", {}, True),
        (f"/ob2/assertions/{valid}/signed/baked.png", {}, True),
        (f"/ob3/credentials/{valid}", {"Accept": "application/vc+ld+json"}, True),
        (f"/ob3/credentials/{valid}/jwt", {}, True),
        (f"/ob3/credentials/{valid}/baked.svg", {}, True),
        (f"/ob2/issuers/{ids.issuer}", {}, True),
        (f"/ob2/badge-classes/{ids.badge_class}", {}, True),
        (f"/badges/{valid}", {"Accept": BROWSER}, True),
        (f"/badges/{valid}?lang=en", {}, True),
        (f"/badges/{valid}", {"Accept-Language": "en-GB,en;q=0.8"}, True),
        (f"/badges/{valid}/print", {}, True),
        (f"/badges/{valid}/assertion.json", {}, True),
        (f"/badge-classes/{ids.badge_class}", {}, True),
        (f"/badge-classes/{ids.badge_class}?lang=en", {}, True),
        (f"/issuers/{ids.issuer}", {}, True),
        (f"/ob2/assertions/{revoked}", {}, True),  # the route returns its 410 itself
        (f"/badges/{UNKNOWN}", {"Accept": BROWSER}, True),  # the HTML "not found" page
        (f"/ob2/assertions/{revoked}/baked.png", {}, False),  # raises Gone
        (f"/ob3/credentials/{revoked}/baked.png", {}, False),
        (f"/ob2/assertions/{UNKNOWN}", {}, False),  # raises NotFound
        ("/ob2/assertions/not-a-uuid", {}, False),  # does not validate
        (f"/ob2/assertions/{valid}/baked.gif", {}, False),
        (f"/badges/{valid}?lang=toolonglanguage", {}, False),
    ]


def test_answers_are_the_ones_fastapi_gives(
    client: TestClient, direct: DirectRoutes, ids: Ids
) -> None:
    table = direct.table()
    for url, headers, expected in urls(ids):
        answered = direct.answered
        fast = client.get(url, headers=headers, follow_redirects=False)
        was_direct = direct.answered > answered
        direct._table = {}
        try:
            slow = client.get(url, headers=headers, follow_redirects=False)
        finally:
            direct._table = table
        assert comparable(fast) == comparable(slow), url
        assert was_direct is expected, url


def test_revocation_takes_effect_at_once(
    client: TestClient, direct: DirectRoutes, session: Session, settings: Settings
) -> None:
    tenant = create_tenant(session)
    issuer = create_issuer(session, tenant)
    badge_class = create_badge_class(session, tenant, settings, issuer.id)
    award = create_award(session, tenant, settings, badge_class.id)
    session.commit()
    paths = [f"/ob2/assertions/{award.id}", f"/ob2/assertions/{award.id}/baked.png"]
    assert [client.get(path).status_code for path in paths] == [200, 200]
    vault = vault_from_settings(settings)
    award_service.revoke(session, tenant.principal, award.id, "Retiré.", vault=vault)
    session.commit()
    answered = direct.answered
    gone = [client.get(path) for path in paths]
    assert [response.status_code for response in gone] == [410, 410]
    assert gone[0].json()["revocationReason"] == "Retiré."
    assert direct.answered == answered + 1  # the image's 410 is a raised problem: FastAPI's


def test_head_and_conditional_requests_go_through_the_direct_path(
    client: TestClient, direct: DirectRoutes, ids: Ids
) -> None:
    path = f"/ob2/assertions/{ids.valid}"
    answered = direct.answered
    head = client.head(path)
    assert head.status_code == 200
    assert head.content == b""
    tag = head.headers["ETag"]
    again = client.get(path, headers={"If-None-Match": tag})
    assert again.status_code == 304
    assert again.headers["ETag"] == tag
    assert direct.answered == answered + 2


def test_other_methods_and_paths_are_left_to_fastapi(
    client: TestClient, direct: DirectRoutes, ids: Ids
) -> None:
    answered = direct.answered
    assert client.post(f"/ob2/assertions/{ids.valid}", json={}).status_code == 405
    assert client.get("/openapi.json").status_code == 200
    assert client.get("/ob2/nothing-here").status_code == 404
    assert direct.answered == answered


def test_sqlite_reads_run_on_the_loop_and_server_reads_in_a_thread(
    client: TestClient, direct: DirectRoutes, ids: Ids, database_url: str
) -> None:
    assert client.get(f"/ob2/assertions/{ids.valid}").status_code == 200
    assert direct._inline is database_url.startswith("sqlite")
