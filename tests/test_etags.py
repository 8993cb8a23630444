"""ETag/If-Match on issuer and badge class updates: no lost update."""

from uuid import uuid4

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from badgeforge.etags import check_if_match, entity_tag
from badgeforge.problems import PreconditionFailed
from badgeforge.settings import Settings
from tests.factories import create_badge_class, create_issuer, create_tenant


class TestLostUpdate:
    def test_second_writer_with_a_stale_etag_gets_412_and_changes_nothing(
        self, client: TestClient, session: Session
    ) -> None:
        tenant = create_tenant(session)
        url = f"/api/v1/issuers/{create_issuer(session, tenant).id}"
        alice = client.get(url, headers=tenant.headers)
        bob = client.get(url, headers=tenant.headers)
        assert alice.headers["ETag"] == bob.headers["ETag"]
        first = client.patch(
            url,
            json={"name": "Alice's name"},
            headers={**tenant.headers, "If-Match": alice.headers["ETag"]},
        )
        assert first.status_code == 200, first.text
        assert first.headers["ETag"] != alice.headers["ETag"]
        second = client.patch(
            url,
            json={"description": "Bob's text"},
            headers={**tenant.headers, "If-Match": bob.headers["ETag"]},
        )
        assert second.status_code == 412
        assert second.headers["content-type"] == "application/problem+json"
        assert second.json()["current_etag"] == first.headers["ETag"]
        now = client.get(url, headers=tenant.headers)
        assert now.json()["name"] == "Alice's name"
        assert now.json()["description"] is None
        assert now.headers["ETag"] == first.headers["ETag"]

    def test_without_if_match_the_last_write_wins_as_before(
        self, client: TestClient, session: Session
    ) -> None:
        tenant = create_tenant(session)
        url = f"/api/v1/issuers/{create_issuer(session, tenant).id}"
        for name in ("One", "Two"):
            assert client.patch(url, json={"name": name}, headers=tenant.headers).is_success
        assert client.get(url, headers=tenant.headers).json()["name"] == "Two"
        star = client.patch(
            url, json={"name": "Three"}, headers={**tenant.headers, "If-Match": "*"}
        )
        assert star.status_code == 200

    def test_badge_class_etag_changes_with_its_image_too(
        self, client: TestClient, session: Session, settings: Settings
    ) -> None:
        tenant = create_tenant(session)
        issuer = create_issuer(session, tenant)
        url = f"/api/v1/badge-classes/{create_badge_class(session, tenant, settings, issuer.id).id}"
        etag = client.get(url, headers=tenant.headers).headers["ETag"]
        weak = client.patch(
            url, json={"name": "Accueil"}, headers={**tenant.headers, "If-Match": f"W/{etag}"}
        )
        assert weak.status_code == 412  # If-Match compares strongly
        listed = client.patch(
            url,
            json={"name": "Accueil"},
            headers={**tenant.headers, "If-Match": f'"other", {etag}'},
        )
        assert listed.status_code == 200
        stale = client.patch(
            url, json={"name": "Again"}, headers={**tenant.headers, "If-Match": etag}
        )
        assert stale.status_code == 412


def test_check_if_match() -> None:
    resource = uuid4()
    tag = entity_tag(resource, 3)
    check_if_match(None, resource, 3)
    check_if_match("*", resource, 3)
    check_if_match(tag, resource, 3)
    for header in (entity_tag(resource, 2), f"W/{tag}", "garbage", tag.strip('"'), ""):
        with pytest.raises(PreconditionFailed):
            check_if_match(header, resource, 3)
    assert entity_tag(uuid4(), 3) != tag
