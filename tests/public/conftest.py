"""A live badgeforge server shared by the third-party conformance tests of this package."""

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.live_server import LiveServer, api, live_server

RECIPIENT = "camille.martin@example.org"


@pytest.fixture(scope="package")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with live_server(tmp_path_factory.mktemp("live")) as running:
        yield running


@pytest.fixture(scope="package")
def badge_class_id(server: LiveServer) -> str:
    with api(server) as client:
        issuer = client.post(
            "/api/v1/issuers",
            json={
                "name": "ESAT Les Ateliers du Val",
                "url": "https://ateliers-du-val.example.fr",
                "email": "badges@ateliers-du-val.example.fr",
                "description": "Menuiserie, espaces verts, restauration.",
            },
        ).json()
        badge_class = client.post(
            "/api/v1/badge-classes",
            json={
                "issuer_id": issuer["id"],
                "name": "Sécurité et hygiène au travail",
                "description": "Applique les règles de sécurité et d'hygiène de l'atelier.",
                "criteria": {"narrative": "- Porte les EPI\n- Range son poste"},
                "publish": True,
                "alignments": [
                    {
                        "target_name": "Respecter les règles",
                        "target_url": "https://competences.example.org/rectec/c4",
                        "target_framework": "RECTEC",
                        "target_code": "C4",
                    }
                ],
                "tags": ["sécurité"],
                "expires_after_days": 730,
            },
        )
        assert badge_class.status_code == 201, badge_class.text
        identifier: str = badge_class.json()["id"]
        return identifier


def award(server: LiveServer, badge_class_id: str, **extra: Any) -> dict[str, Any]:
    """Award the badge class to RECIPIENT over the HTTP API."""
    with api(server) as client:
        response = client.post(
            "/api/v1/awards",
            json={"badge_class_id": badge_class_id, "recipient_email": RECIPIENT, **extra},
        )
        assert response.status_code == 201, response.text
        created: dict[str, Any] = response.json()
        return created


def download(url: str) -> bytes:
    response = httpx.get(url, timeout=30)
    assert response.status_code == 200, response.text
    return response.content
