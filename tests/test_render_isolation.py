"""On a real server, rendering never stalls other requests nor swells the server's memory."""

import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.images import SAFE_SVG, TURBULENCE_BOMB, bomb_png, svg_embedding, svg_filtered
from tests.live_server import LiveServer, api, live_server

SLOW = svg_filtered(
    '<feMorphology radius="3"/><feTurbulence baseFrequency="0.05" numOctaves="10"/>'
)
"""Accepted by the cost check and about two seconds of renderer time: the GIL-holding
renderer would stall every request of the server for that long if it ran in-process."""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with live_server(tmp_path_factory.mktemp("render")) as server:
        yield server


@pytest.fixture(scope="module")
def badge_image_url(server: LiveServer) -> str:
    with api(server) as client:
        issuer = client.post(
            "/api/v1/issuers",
            json={
                "name": "ESAT du Val",
                "url": "https://esat.example",
                "email": "contact@esat.example",
            },
        )
        assert issuer.status_code == 201, issuer.text
        badge_class = client.post(
            "/api/v1/badge-classes",
            json={
                "issuer_id": issuer.json()["id"],
                "name": "Sécurité",
                "description": "Applique les règles.",
                "criteria": {"narrative": "- Porte les EPI"},
                "publish": True,
            },
        )
        assert badge_class.status_code == 201, badge_class.text
        return f"/api/v1/badge-classes/{badge_class.json()['id']}/image"


def put_image(server: LiveServer, path: str, svg: bytes) -> httpx.Response:
    with api(server) as client:
        return client.put(path, files={"file": ("badge.svg", svg, "image/svg+xml")})


def test_health_answers_while_renders_are_in_flight(
    server: LiveServer, badge_image_url: str
) -> None:
    results: list[httpx.Response] = []
    uploads = [
        threading.Thread(target=lambda: results.append(put_image(server, badge_image_url, SLOW)))
        for _ in range(2)
    ]
    for upload in uploads:
        upload.start()
    time.sleep(0.3)  # both renders under way
    latencies = []
    with httpx.Client(base_url=server.base_url, timeout=30) as client:
        while any(upload.is_alive() for upload in uploads):
            started = time.monotonic()
            assert client.get("/health").status_code == 200
            latencies.append(time.monotonic() - started)
            time.sleep(0.05)
    for upload in uploads:
        upload.join()
    assert [response.status_code for response in results] == [200, 200]
    assert len(latencies) >= 5, "/health was stalled while the images rendered"
    assert max(latencies) < 0.5, latencies


def _peak_rss_reset() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _peak_rss_bytes() -> int:
    status = Path("/proc/self/status").read_text()
    match = re.search(r"VmHWM:\s+(\d+) kB", status)
    assert match is not None
    return int(match.group(1)) * 1024


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc")
def test_hostile_uploads_are_refused_fast_and_the_server_stays_small(
    server: LiveServer, badge_image_url: str
) -> None:
    bombs = [TURBULENCE_BOMB, svg_embedding(bomb_png(16000, 16000))]
    bombs.append(svg_embedding(bomb_png(50000, 50000)))
    if not _peak_rss_reset():
        pytest.skip("cannot reset the peak RSS of this process")
    for bomb in bombs:
        started = time.monotonic()
        response = put_image(server, badge_image_url, bomb)
        assert response.status_code == 422, response.text
        assert time.monotonic() - started < 3
    assert put_image(server, badge_image_url, SAFE_SVG).status_code == 200
    assert _peak_rss_bytes() < 512 * 2**20  # the server runs in this process
