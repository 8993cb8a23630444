"""WCAG 2.2 AA: axe-core finds no violation on any page type, in French and English.

A live server (tests/live_server.py) serves every page type: a valid award, a revoked
one, the printable page, the badge class and the issuer. Each is opened in Debian's
headless Chromium at a phone width and at a desktop width, then audited by axe-core.
"""

from typing import Any

import httpx
import pytest

from tests.live_server import LiveServer, api
from tests.pages.axe import DESKTOP, PHONE, assert_accessible, opened, screenshot, unfold

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
            },
        ).json()
        awards = [
            client.post(
                "/api/v1/awards",
                json={
                    "badge_class_id": badge_class["id"],
                    "recipient_email": "camille.martin@example.org",
                    "narrative": "Observé pendant trois mois d'atelier.",
                    "evidence": [{"url": "https://portfolio.example.org/c", "name": "Photos"}],
                },
            ).json()
            for _ in range(2)
        ]
        revoked = client.post(
            f"/api/v1/awards/{awards[1]['id']}/revoke", json={"reason": "Attribué par erreur."}
        )
        assert revoked.status_code == 200, revoked.text
    return {
        "award": f"/badges/{awards[0]['id']}",
        "revoked": f"/badges/{awards[1]['id']}",
        "print": f"/badges/{awards[0]['id']}/print",
        "badge_class": f"/badge-classes/{badge_class['id']}",
        "issuer": f"/issuers/{issuer['id']}",
        "verify": "/verify",
        "assertion": f"/ob2/assertions/{awards[0]['id']}",
    }


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("kind", ["award", "revoked", "print", "badge_class", "issuer", "verify"])
def test_no_wcag_violation(
    page_server: LiveServer,
    pages: dict[str, str],
    chromium: Any,
    kind: str,
    language: str,
    viewport: dict[str, int],
) -> None:
    url = f"{page_server.base_url}{pages[kind]}?lang={language}"
    assert httpx.get(url).status_code == 200
    with opened(chromium, url, viewport=viewport, language=language) as page:
        # every format's checks folded in <details>: audit them unfolded too
        assert unfold(page) == (3 if kind in ("award", "revoked") else 0)
        assert_accessible(page)
        if kind == "award" and viewport is PHONE:
            screenshot(page, f"award-{language}-phone.png")


def test_pages_work_without_javascript(
    page_server: LiveServer, pages: dict[str, str], chromium: Any
) -> None:
    url = f"{page_server.base_url}{pages['award']}"
    with opened(chromium, url, javascript=False) as page:
        assert page.locator("h1").inner_text() == "Sécurité et hygiène au travail"
        page.get_by_role("link", name="English").click()
        assert page.locator("h1").inner_text() == "Sécurité et hygiène au travail"
        assert "Genuine and valid badge" in page.content()


@pytest.mark.parametrize("language", ["fr", "en"])
def test_verification_result_has_no_wcag_violation(
    page_server: LiveServer, pages: dict[str, str], chromium: Any, language: str
) -> None:
    """The /verify form filled in and sent (a plain form POST), then its verdict audited."""
    base = page_server.base_url
    with opened(chromium, f"{base}/verify?lang={language}") as page:
        page.locator("#verify-url").fill(f"{base}{pages['assertion']}")
        with page.expect_navigation():
            page.locator("form.verify button[type=submit]").click()
        assert "Sécurité et hygiène au travail" in page.content()
        assert page.evaluate("document.documentElement.lang") == language
        assert_accessible(page)
