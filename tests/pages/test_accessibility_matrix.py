"""WCAG 2.2 AA on the design matrix: axe-core finds no violation on the badge class and
award pages of a multilingual, levelled badge, in French, English and easy-to-read French."""

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.live_server import LiveServer, api, live_server
from tests.pages.axe import audit, axe_script, browser, describe, require_chromium
from tests.pages.test_accessibility import DESKTOP, PHONE, SCREENSHOTS
from tests.pages.test_matrix_pages import MATRIX

pytestmark = pytest.mark.accessibility


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    require_chromium()
    with live_server(tmp_path_factory.mktemp("matrix-pages")) as running:
        yield running


@pytest.fixture(scope="module")
def pages(server: LiveServer) -> dict[str, str]:
    with api(server) as client:
        issuer = client.post(
            "/api/v1/issuers",
            json={
                "name": "ESAT Les Ateliers du Val",
                "url": "https://ateliers-du-val.example.fr",
                "email": "badges@ateliers-du-val.example.fr",
            },
        ).json()
        badge_class = client.post(
            "/api/v1/badge-classes", json={"issuer_id": issuer["id"], "publish": True, **MATRIX}
        )
        assert badge_class.status_code == 201, badge_class.text
        award = client.post(
            "/api/v1/awards",
            json={
                "badge_class_id": badge_class.json()["id"],
                "recipient_email": "camille.martin@example.org",
                "level": 2,
            },
        )
        assert award.status_code == 201, award.text
    return {
        "badge_class": f"/badge-classes/{badge_class.json()['id']}",
        "award": f"/badges/{award.json()['id']}",
    }


@pytest.fixture(scope="module")
def chromium(server: LiveServer) -> Iterator[Any]:
    with browser() as launched:
        yield launched


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("query", ["lang=fr", "lang=en", "lang=fr&version=falc"])
@pytest.mark.parametrize("kind", ["badge_class", "award"])
def test_no_wcag_violation_on_the_matrix(
    server: LiveServer,
    pages: dict[str, str],
    chromium: Any,
    kind: str,
    query: str,
    viewport: dict[str, int],
) -> None:
    url = f"{server.base_url}{pages[kind]}?{query}"
    assert httpx.get(url).status_code == 200
    context = chromium.new_context(bypass_csp=True, viewport=viewport, java_script_enabled=True)
    try:
        page = context.new_page()
        page.goto(url)
        expected = "en" if query == "lang=en" else "fr"
        assert page.evaluate("document.documentElement.lang") == expected
        assert page.locator("#levels-title").count() == 1
        page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")
        violations = audit(page, axe_script())
        assert violations == [], describe(violations)
        if viewport is PHONE:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            name = f"matrix-{kind}-{query.replace('&', '-').replace('=', '-')}-phone.png"
            page.screenshot(path=str(SCREENSHOTS / name), full_page=True)
    finally:
        context.close()
