"""Concurrent writers on the embedded SQLite default wait for each other; none fails."""

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from tests.live_server import LiveServer, api, live_server


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with live_server(tmp_path_factory.mktemp("concurrency")) as running:
        yield running


def test_concurrent_awards_all_succeed(server: LiveServer, tmp_path: Path) -> None:
    with api(server) as client:
        issuer = client.post(
            "/api/v1/issuers",
            json={"name": "ESAT", "url": "https://esat.example.fr", "email": "a@esat.example.fr"},
        ).json()
        badge_class = client.post(
            "/api/v1/badge-classes",
            json={
                "issuer_id": issuer["id"],
                "name": "Accueil du public",
                "description": "Accueille les clients.",
                "criteria": {"narrative": "Accueille."},
            },
        ).json()

    def award_many(worker: int) -> list[int]:
        statuses = []
        with httpx.Client(base_url=server.base_url, headers=server.headers, timeout=60) as c:
            for index in range(25):
                body = {
                    "badge_class_id": badge_class["id"],
                    "recipient_email": f"learner{worker}.{index}@example.org",
                }
                statuses.append(c.post("/api/v1/awards", json=body).status_code)
                statuses.append(c.get("/api/v1/awards", params={"limit": 1}).status_code)
        return statuses

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = [status for statuses in pool.map(award_many, range(4)) for status in statuses]
    assert results.count(201) == 100
    assert results.count(200) == 100
    with api(server) as client:
        assert client.get("/api/v1/awards").json()["total"] == 100
