"""Concurrent requests against a real server, on SQLite and PostgreSQL.

Writers on the embedded SQLite default wait for each other and none fails. Check-then-write
rules (the last admin key, revoking an award once, deleting only a never-awarded badge class)
hold when requests really collide: each race releases its requests together through a
barrier, several rounds in a row, and every answer must be the one right answer, never a 500.
"""

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tests.conftest import BACKENDS, scratch_postgres_database
from tests.live_server import LiveServer, api, live_server

# PostgreSQL runs writers side by side, so its races need rounds to show; SQLite writers
# take turns by design, a few rounds keep that true.
ROUNDS = {"sqlite": 4, "postgresql": 10}


@dataclass(frozen=True)
class Call:
    """One request of a race, made with its own key."""

    token: str
    method: str
    path: str
    body: dict[str, Any] | None = None


@pytest.fixture(scope="module", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    return name


@pytest.fixture(scope="module")
def server(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    data_dir = tmp_path_factory.mktemp("concurrency")
    if backend == "sqlite":
        with live_server(data_dir) as running:
            yield running
        return
    with scratch_postgres_database("races") as url, live_server(data_dir, url) as running:
        yield running


@pytest.fixture(scope="module")
def rounds(backend: str) -> int:
    return ROUNDS[backend]


@pytest.fixture(scope="module")
def staff(server: LiveServer) -> LiveServer:
    """A key that issues and manages, which stays valid while the admin keys fight."""
    with api(server) as client:
        response = client.post(
            "/api/v1/api-keys", json={"name": "staff", "scopes": ["manage", "issue"]}
        )
    assert response.status_code == 201, response.text
    return LiveServer(server.base_url, response.json()["key"])


@pytest.fixture(scope="module")
def badge_class_factory(staff: LiveServer) -> Callable[[], str]:
    server = staff
    with api(server) as client:
        issuer = client.post(
            "/api/v1/issuers",
            json={"name": "ESAT", "url": "https://esat.example.fr", "email": "a@esat.example.fr"},
        ).json()

    def create() -> str:
        with api(server) as client:
            response = client.post(
                "/api/v1/badge-classes",
                json={
                    "issuer_id": issuer["id"],
                    "name": "Accueil du public",
                    "description": "Accueille les clients.",
                    "criteria": {"narrative": "Accueille."},
                    "publish": True,
                },
            )
        assert response.status_code == 201, response.text
        identifier: str = response.json()["id"]
        return identifier

    return create


def collide(server: LiveServer, calls: list[Call]) -> list[httpx.Response]:
    """Send every call at the same moment, each on its own connection."""
    barrier = threading.Barrier(len(calls))

    def run(index: int) -> httpx.Response:
        call = calls[index]
        headers = {"Authorization": f"Bearer {call.token}"}
        with httpx.Client(base_url=server.base_url, headers=headers, timeout=60) as client:
            client.get("/health")  # open the connection before the start line
            barrier.wait(timeout=30)
            return client.request(call.method, call.path, json=call.body)

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, range(len(calls))))


def statuses(responses: list[httpx.Response]) -> list[int]:
    return sorted(response.status_code for response in responses)


def test_concurrent_awards_all_succeed(
    staff: LiveServer, badge_class_factory: Callable[[], str]
) -> None:
    server = staff
    badge_class_id = badge_class_factory()

    def award_many(worker: int) -> list[int]:
        codes = []
        with httpx.Client(base_url=server.base_url, headers=server.headers, timeout=60) as c:
            for index in range(25):
                body = {
                    "badge_class_id": badge_class_id,
                    "recipient_email": f"learner{worker}.{index}@example.org",
                }
                codes.append(c.post("/api/v1/awards", json=body).status_code)
                codes.append(c.get("/api/v1/awards", params={"limit": 1}).status_code)
        return codes

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = [code for codes in pool.map(award_many, range(4)) for code in codes]
    assert results.count(201) == 100
    assert results.count(200) == 100
    with api(server) as client:
        listed = client.get("/api/v1/awards", params={"badge_class_id": badge_class_id})
        assert listed.json()["total"] == 100


def _create_admin_key(client: httpx.Client, name: str) -> dict[str, Any]:
    response = client.post("/api/v1/api-keys", json={"name": name, "scopes": ["admin"]})
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def _active_admin_keys(client: httpx.Client) -> list[dict[str, Any]]:
    keys = client.get("/api/v1/api-keys", params={"limit": 100}).json()["items"]
    return [k for k in keys if k["revoked_at"] is None and "admin" in k["scopes"]]


def test_admin_keys_revoking_each_other_leave_one_admin(
    server: LiveServer, staff: LiveServer, rounds: int
) -> None:
    survivor = {"token": server.token}
    for round_ in range(rounds):
        headers = {"Authorization": f"Bearer {survivor['token']}"}
        with httpx.Client(base_url=server.base_url, headers=headers, timeout=30) as client:
            first = _create_admin_key(client, f"admin A{round_}")
            second = _create_admin_key(client, f"admin B{round_}")
            for key in _active_admin_keys(client):
                if key["id"] not in (first["id"], second["id"]):
                    assert client.delete(f"/api/v1/api-keys/{key['id']}").status_code == 200

        responses = collide(
            server,
            [
                Call(first["key"], "DELETE", f"/api/v1/api-keys/{second['id']}"),
                Call(second["key"], "DELETE", f"/api/v1/api-keys/{first['id']}"),
            ],
        )

        codes = statuses(responses)
        assert codes[0] == 200, [r.text for r in responses]
        assert codes[1] in (401, 409), [r.text for r in responses]  # 401 if it came too late
        survivor = first if responses[0].status_code == 200 else second
        headers = {"Authorization": f"Bearer {survivor['key']}"}
        with httpx.Client(base_url=server.base_url, headers=headers, timeout=30) as client:
            assert [k["id"] for k in _active_admin_keys(client)] == [survivor["id"]]
        survivor = {"token": survivor["key"]}


def test_concurrent_revocations_of_one_award_apply_once(
    staff: LiveServer, badge_class_factory: Callable[[], str], rounds: int
) -> None:
    server = staff
    badge_class_id = badge_class_factory()
    for round_ in range(rounds):
        with api(server) as client:
            award = client.post(
                "/api/v1/awards",
                json={"badge_class_id": badge_class_id, "recipient_email": f"r{round_}@ex.org"},
            ).json()
        url = f"/api/v1/awards/{award['id']}/revoke"
        revocations = [Call(server.token, "POST", url, {"reason": f"reason {n}"}) for n in range(8)]

        responses = collide(server, revocations)

        assert statuses(responses) == [200] + [409] * 7, [r.text for r in responses]
        winner = next(r for r in responses if r.status_code == 200).json()
        for loser in (r for r in responses if r.status_code == 409):
            assert loser.json()["detail"] == "This award is already revoked."
        with api(server) as client:
            stored = client.get(f"/api/v1/awards/{award['id']}").json()
        assert stored["revocation_reason"] == winner["revocation_reason"]
        assert stored["revoked_at"] == winner["revoked_at"]


def test_deleting_a_badge_class_while_awarding_it(
    staff: LiveServer, badge_class_factory: Callable[[], str], rounds: int
) -> None:
    server = staff
    for round_ in range(rounds):
        badge_class_id = badge_class_factory()
        calls = [
            Call(
                server.token,
                "POST",
                "/api/v1/awards",
                {"badge_class_id": badge_class_id, "recipient_email": f"d{round_}.{n}@ex.org"},
            )
            for n in range(3)
        ]
        calls.append(Call(server.token, "DELETE", f"/api/v1/badge-classes/{badge_class_id}"))

        *awarded, deleted = collide(server, calls)

        assert all(r.status_code in (201, 404) for r in awarded), [r.text for r in awarded]
        assert deleted.status_code in (204, 409), deleted.text
        created = [r for r in awarded if r.status_code == 201]
        with api(server) as client:
            remaining = client.get("/api/v1/awards", params={"badge_class_id": badge_class_id})
            exists = client.get(f"/api/v1/badge-classes/{badge_class_id}").status_code
        # either outcome is right (which request wins is the race's), never a mix of both
        if deleted.status_code == 204:
            assert not created
            assert exists == 404
            assert remaining.json()["total"] == 0
        else:
            assert created
            assert exists == 200
            assert remaining.json()["total"] == len(created)
