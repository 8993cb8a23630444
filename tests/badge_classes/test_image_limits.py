"""Hostile images on every path that renders (uploads, logos, templates): a 422 in seconds."""

import shutil
import time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from badgeforge.settings import Settings
from tests.conftest import TEST_BASE_URL
from tests.factories import Tenant, create_issuer, create_tenant
from tests.images import (
    MORPHOLOGY_BOMB,
    SAFE_SVG,
    TURBULENCE_BOMB,
    bomb_png,
    svg_embedding,
    svg_filtered,
)

TEMPLATES = Path(__file__).parents[2] / "badge_templates"
RENDER_TIMEOUT = 0.3
NEAR_THE_BUDGET = svg_filtered(
    '<feMorphology radius="3"/><feTurbulence baseFrequency="0.05" numOctaves="10"/>'
)
"""Within the cost check (about 8e7 of 1e8 pixel passes), so it reaches the renderer, where
it needs well over RENDER_TIMEOUT (about 2 s on the project's machine)."""

BOMBS = {
    "feTurbulence numOctaves=1000": (TURBULENCE_BOMB, "numOctaves is 1000"),
    "feMorphology radius=100": (MORPHOLOGY_BOMB, "feMorphology radius is 512 pixels"),
    "PNG 16000x16000 in <image>": (svg_embedding(bomb_png(16000, 16000)), "16000x16000"),
    "PNG 50000x50000 in <image>": (svg_embedding(bomb_png(50000, 50000)), "50000x50000"),
}


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Test settings with a short render timeout and a template folder holding a bomb."""
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    (templates / "bombe.svg").write_bytes(TURBULENCE_BOMB)
    return Settings(
        data_dir=tmp_path,
        public_base_url=TEST_BASE_URL,
        badge_templates_dir=templates,
        render_timeout_seconds=RENDER_TIMEOUT,
    )


def upload(client: TestClient, tenant: Tenant, path: str, data: bytes) -> Any:
    return client.put(
        path,
        files={"file": ("badge.svg", data, "image/svg+xml")},
        headers=tenant.headers,
    )


def new_badge_class(client: TestClient, tenant: Tenant, issuer_id: str, **extra: Any) -> Any:
    body = {
        "issuer_id": issuer_id,
        "name": "Sécurité au travail",
        "description": "Applique les règles de sécurité.",
        "criteria": {"narrative": "- Porte les EPI"},
        "publish": True,
        **extra,
    }
    return client.post("/api/v1/badge-classes", json=body, headers=tenant.headers)


@pytest.fixture
def badge_class(client: TestClient, session: Session) -> tuple[Tenant, str, str]:
    tenant = create_tenant(session)
    issuer = create_issuer(session, tenant)
    created = new_badge_class(client, tenant, str(issuer.id))
    assert created.status_code == 201, created.text
    return tenant, str(issuer.id), created.json()["id"]


@pytest.mark.parametrize("bomb", BOMBS, ids=list(BOMBS))
def test_hostile_badge_images_are_refused_quickly(
    client: TestClient, badge_class: tuple[Tenant, str, str], bomb: str
) -> None:
    tenant, _, badge_class_id = badge_class
    svg, reason = BOMBS[bomb]
    started = time.monotonic()
    response = upload(client, tenant, f"/api/v1/badge-classes/{badge_class_id}/image", svg)
    assert time.monotonic() - started < 3
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] == "/problems/invalid-image"
    assert reason in response.json()["detail"]


@pytest.mark.parametrize("bomb", ["feTurbulence numOctaves=1000", "PNG 50000x50000 in <image>"])
def test_hostile_issuer_logos_are_refused(
    client: TestClient, badge_class: tuple[Tenant, str, str], bomb: str
) -> None:
    tenant, issuer_id, _ = badge_class
    svg, reason = BOMBS[bomb]
    response = upload(client, tenant, f"/api/v1/issuers/{issuer_id}/image", svg)
    assert response.status_code == 422, response.text
    assert reason in response.json()["detail"]


def test_hostile_templates_are_refused(
    client: TestClient, badge_class: tuple[Tenant, str, str]
) -> None:
    tenant, issuer_id, badge_class_id = badge_class
    created = new_badge_class(client, tenant, issuer_id, image={"template": "bombe"})
    assert created.status_code == 422, created.text
    assert "numOctaves is 1000" in created.json()["detail"]
    path = f"/api/v1/badge-classes/{badge_class_id}"
    changed = client.patch(path, json={"image": {"template": "bombe"}}, headers=tenant.headers)
    assert changed.status_code == 422, changed.text


def test_a_render_past_the_timeout_is_stopped_and_the_next_upload_works(
    client: TestClient, badge_class: tuple[Tenant, str, str]
) -> None:
    tenant, _, badge_class_id = badge_class
    path = f"/api/v1/badge-classes/{badge_class_id}/image"
    started = time.monotonic()
    slow = upload(client, tenant, path, NEAR_THE_BUDGET)
    assert slow.status_code == 422, slow.text
    assert f"took longer than {RENDER_TIMEOUT:g} s" in slow.json()["detail"]
    assert time.monotonic() - started < 1.5
    honest = upload(client, tenant, path, SAFE_SVG)
    assert honest.status_code == 200, honest.text
    preview = client.get(honest.json()["image_png_url"], headers=tenant.headers)
    assert preview.content.startswith(b"\x89PNG")
