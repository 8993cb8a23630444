"""WCAG 2.2 AA on the design matrix: axe-core finds no violation on the badge class and
award pages of a multilingual, levelled badge, in French, English and easy-to-read French."""

from typing import Any

import httpx
import pytest

from tests.live_server import LiveServer, api
from tests.pages.axe import DESKTOP, PHONE, assert_accessible, opened, screenshot, unfold
from tests.pages.test_matrix_pages import MATRIX

pytestmark = pytest.mark.accessibility


@pytest.fixture(scope="module")
def pages(page_server: LiveServer) -> dict[str, str]:
    with api(page_server) as client:
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


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("query", ["lang=fr", "lang=en", "lang=fr&version=falc"])
@pytest.mark.parametrize("kind", ["badge_class", "award"])
def test_no_wcag_violation_on_the_matrix(
    page_server: LiveServer,
    pages: dict[str, str],
    chromium: Any,
    kind: str,
    query: str,
    viewport: dict[str, int],
) -> None:
    url = f"{page_server.base_url}{pages[kind]}?{query}"
    assert httpx.get(url).status_code == 200
    language = "en" if query == "lang=en" else "fr"
    with opened(chromium, url, viewport=viewport, language=language) as page:
        assert page.locator("#levels-title").count() == 1
        unfold(page)
        assert_accessible(page)
        if viewport is PHONE:
            screenshot(page, f"matrix-{kind}-{query.replace('&', '-').replace('=', '-')}-phone.png")
