"""WCAG 2.2 AA: axe-core finds no violation on the co-design page, in French and English,
for an editor and a commenter, at a phone and a desktop width, and with errors shown."""

from typing import Any

import httpx
import pytest

from tests.live_server import LiveServer, api
from tests.pages.axe import DESKTOP, PHONE, assert_accessible, opened, unfold

pytestmark = pytest.mark.accessibility


@pytest.fixture(scope="module")
def links(page_server: LiveServer) -> dict[str, str]:
    with api(page_server) as client:
        issuer = client.post(
            "/api/v1/issuers",
            json={
                "name": "ESAT Les Ateliers du Val",
                "url": "https://ateliers.example.fr",
                "email": "badges@ateliers.example.fr",
            },
        ).json()
        badge_class = client.post(
            "/api/v1/badge-classes",
            json={
                "issuer_id": issuer["id"],
                "name": "Sécurité et hygiène au travail",
                "description": "Avec ce badge, je montre que je respecte les règles.",
                "audience": "Toute personne qui travaille en atelier.",
                "criteria": {"narrative": "- Je porte les EPI\n- Je range mon poste"},
                "levels": [{"name": "Cercle 1 : j'identifie"}, {"name": "Cercle 2 : j'applique"}],
                "translations": {"en": {"name": "Health and safety", "description": "I follow."}},
            },
        ).json()
        url = f"/api/v1/badge-classes/{badge_class['id']}"
        made = {
            role: client.post(
                f"{url}/invitations", json={"name": f"Léa ({role})", "role": role}
            ).json()["url"]
            for role in ("editor", "commenter")
        }
        client.post(f"{url}/comments", json={"field": "audience", "body": "Et les stagiaires ?"})
    return made


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("role", ["editor", "commenter"])
def test_no_wcag_violation(
    links: dict[str, str], chromium: Any, role: str, language: str, viewport: dict[str, int]
) -> None:
    url = f"{links[role]}?lang={language}"
    assert httpx.get(url).status_code == 200
    with opened(chromium, url, viewport=viewport, language=language) as page:
        assert page.locator("#f-name").count() == (1 if role == "editor" else 0)
        # every field's comment form is folded in <details>: audit them unfolded too
        assert unfold(page) == 11
        assert_accessible(page)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_errors_and_status_messages_have_no_wcag_violation(
    links: dict[str, str], chromium: Any, language: str
) -> None:
    """The forms sent as a person would (no JavaScript needed), then each answer audited."""
    with opened(chromium, f"{links['editor']}?lang={language}") as page:
        page.locator("#f-name").fill("")
        with page.expect_navigation():
            page.locator("form.codesign button[type=submit]").first.click()
        assert page.locator(".error-summary a[href='#f-name']").count() == 1
        assert page.locator("#f-name").get_attribute("aria-invalid") == "true"
        assert_accessible(page)
        page.locator("#c-general").fill("Merci pour ce badge.")
        with page.expect_navigation():
            page.locator("#comments-general button[type=submit]").click()
        assert page.locator("#status[role=status]").count() == 1
        assert_accessible(page)


def test_the_page_works_without_javascript(links: dict[str, str], chromium: Any) -> None:
    with opened(chromium, f"{links['editor']}?lang=fr", javascript=False) as page:
        page.locator("#f-evidence_expectations").fill("Des photos de mon poste rangé.")
        with page.expect_navigation():
            page.locator("form.codesign button[type=submit]").first.click()
        assert "La fiche est enregistrée." in page.content()
        page.get_by_role("link", name="English").click()
        assert "Co-design the badge" in page.locator("h1").inner_text()
        assert page.locator("#f-evidence_expectations").input_value() == (
            "Des photos de mon poste rangé."
        )
