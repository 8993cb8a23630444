"""ETag/If-Match on webhook endpoints: updates and secret rotations lose nothing."""

import threading
from concurrent.futures import ThreadPoolExecutor

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from badgeforge.etags import entity_tag
from badgeforge.problems import PreconditionFailed
from badgeforge.webhooks import service
from badgeforge.webhooks.models import WebhookEndpoint
from badgeforge.webhooks.schemas import WebhookEndpointUpdate
from tests.factories import Tenant, create_tenant
from tests.webhooks.conftest import Org

HOOK = "https://partner.example.org/hook"


def _endpoint(client: TestClient, tenant: Tenant) -> str:
    created = client.post("/api/v1/webhook-endpoints", json={"url": HOOK}, headers=tenant.headers)
    assert created.status_code == 201, created.text
    return f"/api/v1/webhook-endpoints/{created.json()['id']}"


class TestLostUpdate:
    def test_stale_if_match_is_refused_with_412_and_changes_nothing(
        self, client: TestClient, session: Session
    ) -> None:
        tenant = create_tenant(session)
        path = _endpoint(client, tenant)
        alice = client.get(path, headers=tenant.headers)
        bob = client.get(path, headers=tenant.headers)
        assert alice.headers["ETag"] == bob.headers["ETag"]
        assert alice.headers["ETag"].startswith('"')
        first = client.patch(
            path,
            json={"description": "SI formation"},
            headers={**tenant.headers, "If-Match": alice.headers["ETag"]},
        )
        assert first.status_code == 200, first.text
        assert first.headers["ETag"] not in (alice.headers["ETag"], None)
        second = client.patch(
            path,
            json={"enabled": False},
            headers={**tenant.headers, "If-Match": bob.headers["ETag"]},
        )
        assert second.status_code == 412
        assert second.headers["content-type"] == "application/problem+json"
        assert second.json()["current_etag"] == first.headers["ETag"]
        now = client.get(path, headers=tenant.headers)
        assert now.json()["description"] == "SI formation"
        assert now.json()["enabled"] is True
        assert now.headers["ETag"] == first.headers["ETag"]

    def test_matching_if_match_star_or_none_apply(
        self, client: TestClient, session: Session
    ) -> None:
        tenant = create_tenant(session)
        path = _endpoint(client, tenant)
        etag = client.get(path, headers=tenant.headers).headers["ETag"]
        weak = client.patch(
            path, json={"description": "x"}, headers={**tenant.headers, "If-Match": f"W/{etag}"}
        )
        assert weak.status_code == 412  # If-Match compares strongly
        listed = client.patch(
            path,
            json={"description": "One"},
            headers={**tenant.headers, "If-Match": f'"other", {etag}'},
        )
        assert listed.status_code == 200
        star = client.patch(
            path, json={"description": "Two"}, headers={**tenant.headers, "If-Match": "*"}
        )
        assert star.status_code == 200
        bare = client.patch(path, json={"description": "Three"}, headers=tenant.headers)
        assert bare.status_code == 200  # without If-Match the last write wins, as before
        assert bare.json()["description"] == "Three"
        assert len({listed.headers["ETag"], star.headers["ETag"], bare.headers["ETag"]}) == 3

    def test_rotation_is_a_new_version_and_honours_if_match(
        self, client: TestClient, session: Session
    ) -> None:
        tenant = create_tenant(session)
        path = _endpoint(client, tenant)
        etag = client.get(path, headers=tenant.headers).headers["ETag"]
        rotated = client.post(
            f"{path}/rotate-secret",
            json={"overlap_seconds": 0},
            headers={**tenant.headers, "If-Match": etag},
        )
        assert rotated.status_code == 200, rotated.text
        assert rotated.headers["ETag"] != etag
        assert rotated.headers["Cache-Control"] == "no-store"
        again = client.post(
            f"{path}/rotate-secret",
            json={"overlap_seconds": 0},
            headers={**tenant.headers, "If-Match": etag},
        )
        assert again.status_code == 412  # a second admin rotating from the old version
        assert "whsec_" not in again.text
        stale_patch = client.patch(
            path, json={"description": "x"}, headers={**tenant.headers, "If-Match": etag}
        )
        assert stale_patch.status_code == 412
        assert client.get(path, headers=tenant.headers).headers["ETag"] == rotated.headers["ETag"]


def test_concurrent_updates_from_one_version_apply_once(org: Org) -> None:
    """Writers released together with the same If-Match: exactly one wins, the rest get 412."""
    endpoint, _ = org.endpoint(HOOK)
    etag = entity_tag(endpoint.id, endpoint.version)
    writers = 4
    barrier = threading.Barrier(writers)

    def write(number: int) -> str:
        data = WebhookEndpointUpdate(description=f"writer {number}")
        barrier.wait()
        try:
            with org.sessions() as session, session.begin():
                service.update_endpoint(
                    session,
                    org.tenant.principal,
                    endpoint.id,
                    data,
                    settings=org.settings,
                    if_match=etag,
                )
        except PreconditionFailed:
            return "412"
        return data.description or ""

    with ThreadPoolExecutor(writers) as pool:
        outcomes = list(pool.map(write, range(writers)))
    winners = [outcome for outcome in outcomes if outcome != "412"]
    assert len(winners) == 1, outcomes
    with org.sessions() as session:
        stored = session.get_one(WebhookEndpoint, endpoint.id)
    assert stored.description == winners[0]
    assert stored.version == endpoint.version + 1
