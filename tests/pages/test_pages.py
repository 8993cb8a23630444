# ruff: noqa: RUF001 - French typography in the expected texts
"""The public human pages over HTTP: content in French and English, masking, verdicts."""

import html
import json
import re
from uuid import uuid4

import html5lib
import pytest
from fastapi.testclient import TestClient

from badgeforge.pages.i18n import negotiate
from badgeforge.pages.service import mask_email
from badgeforge.pages.templating import safe_href, simple_markdown
from tests.pages.conftest import RECIPIENT, Badges

BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def page(client: TestClient, path: str, **headers: str) -> str:
    response = client.get(path, headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert "script-src" not in response.headers["content-security-policy"]
    body = response.text
    html5lib.HTMLParser(strict=True).parse(body)  # raises on any parse error
    return body


def checks(body: str) -> list[tuple[str, str, str]]:
    """(id, status, message) of the award's named checks (the first list of checks)."""
    section = body.split('<ul class="checks">', 1)[1].split("</ul>", 1)[0]
    found = re.findall(
        r'<li class="check check-(\w+)" data-check="(\w+)">.*?'
        r'<span class="check-message">(.*?)</span>',
        section,
        re.DOTALL,
    )
    return [(check, status, html.unescape(message)) for status, check, message in found]


def formats(body: str) -> dict[str, str]:
    """Each format's outcome (``passed`` or ``failed``) as the page shows it."""
    found = re.findall(r'<li class="check check-(\w+)" data-format="(\w+)">', body)
    return {name: status for status, name in found}


def paths(badges: Badges) -> list[str]:
    return [
        f"/badges/{badges.valid.id}",
        f"/badges/{badges.revoked.id}",
        f"/badges/{badges.expired.id}",
        f"/badges/{badges.valid.id}/print",
        f"/badge-classes/{badges.badge_class.id}",
        f"/issuers/{badges.issuer.id}",
    ]


class TestAwardPage:
    def test_french_by_default(self, client: TestClient, badges: Badges) -> None:
        body = page(client, f"/badges/{badges.valid.id}")
        assert '<html lang="fr">' in body
        for text in (
            "<h1>Sécurité et hygiène au travail</h1>",
            "Badge authentique et valide",
            "Critères d’obtention",
            "<li>Porte les EPI</li><li>Range son poste</li>",
            "Délivré par",
            "ESAT Les Ateliers",
            "Observé pendant trois mois.",
            "Photos de l&#39;atelier",
            "Référentiel\u00a0: RECTEC",
            "Ajouter à Open Badge Passport",
            "1er janvier 2099",
            'alt="Image du badge « Sécurité et hygiène au travail » délivré par ESAT Les',
        ):
            assert text in body, text
        assert 'id="endorsements-title"' not in body  # no endorsements: no section

    def test_english_on_request(self, client: TestClient, badges: Badges) -> None:
        body = page(client, f"/badges/{badges.valid.id}?lang=en")
        assert '<html lang="en">' in body
        for text in (
            "Genuine and valid badge",
            "Criteria",
            "Issued by",
            "Add to Open Badge Passport",
            "Add to a digital wallet",
            "1 January 2099",
            "Framework: RECTEC",
        ):
            assert text in body, text
        assert "Badge authentique" not in body

    def test_the_cores_named_checks(self, client: TestClient, badges: Badges) -> None:
        """The page lists exactly the checks /api/v1/verify reports for the credential URL."""
        url = f"http://testserver/ob3/credentials/{badges.valid.id}"
        report = client.post("/api/v1/verify", json={"url": url}).json()
        assert report["verdict"] == "valid"
        for language in ("fr", "en"):
            body = page(client, f"/badges/{badges.valid.id}?lang={language}")
            assert checks(body) == [
                (check["id"], check["status"], check["message"][language])
                for check in report["checks"]
            ]
        assert [check[:2] for check in checks(body)] == [
            ("input", "passed"),
            ("structure", "passed"),
            ("schema", "passed"),
            ("key", "passed"),
            ("proof", "passed"),
            ("status", "passed"),
            ("validity", "passed"),
            ("recipient", "skipped"),
            ("endorsements", "skipped"),
        ]
        for label in ("Digital signature", "Signing key", "Revocation", "Validity dates"):
            assert f'<span class="check-label">{label}</span>' in body
        assert "The digital signature (Data Integrity) is valid." in body

    def test_every_format_is_verified(self, client: TestClient, badges: Badges) -> None:
        body = page(client, f"/badges/{badges.valid.id}?lang=en")
        assert formats(body) == {
            "format_ob3": "passed",
            "format_ob3_jwt": "passed",
            "format_ob2": "passed",
            "format_ob2_signed": "passed",
        }
        for text in (
            "The digital signature (VC-JWT) is valid.",
            "The digital signature (JWS) is valid.",
            "The issuer’s server serves this badge at http://testserver/ob2/assertions/",
            "<summary>Checks: Open Badges 2.0 signed (JWS, RS256)</summary>",
        ):
            assert text in body, text

    def test_downloads_of_every_format(self, client: TestClient, badges: Badges) -> None:
        award_id = badges.valid.id
        body = page(client, f"/badges/{award_id}")
        for href in (
            f"/ob2/assertions/{award_id}/baked.png",
            f"/ob2/assertions/{award_id}/baked.svg",
            f"/badges/{award_id}/assertion.json",
            f"/ob2/assertions/{award_id}/signed",
            f"/ob3/credentials/{award_id}",
            f"/ob3/credentials/{award_id}/jwt",
        ):
            assert f'href="{href}"' in body
            assert client.get(href, headers={"Accept": BROWSER_ACCEPT}).status_code == 200, href
        download = client.get(f"/badges/{award_id}/assertion.json")
        assert "attachment" in download.headers["content-disposition"]
        assert json.loads(download.text)["id"] == f"http://testserver/ob2/assertions/{award_id}"
        assert f"http://testserver/ob2/assertions/{award_id}</code>" in body

    def test_revoked_says_so_in_words(self, client: TestClient, badges: Badges) -> None:
        french = page(client, f"/badges/{badges.revoked.id}")
        assert "Badge révoqué : il n’est plus valide" in french
        assert "L’émetteur a révoqué ce badge le" in french
        assert "Motif : Attribué par erreur." in french
        assert "Ce badge n’est plus valide : il ne peut plus être téléchargé." in french
        assert "/baked.png" not in french
        assert ("status", "failed", "L’émetteur a révoqué ce badge.") in checks(french)
        english = page(client, f"/badges/{badges.revoked.id}?lang=en")
        assert "Revoked badge: it is no longer valid" in english
        assert "Reason: Attribué par erreur." in english
        assert set(formats(english).values()) == {"failed"}  # every format says revoked
        assert english.count("This badge has been revoked by its issuer.") == 4
        assert client.get(f"/badges/{badges.revoked.id}/assertion.json").status_code == 410

    def test_expired_says_so_in_words(self, client: TestClient, badges: Badges) -> None:
        french = page(client, f"/badges/{badges.expired.id}")
        assert "Badge expiré : il n’est plus valide" in french
        assert "Ce badge a expiré le 1er janvier 2021." in french
        assert "A expiré le" in french
        english = page(client, f"/badges/{badges.expired.id}?lang=en")
        assert "Expired badge: it is no longer valid" in english
        assert "This badge expired on 1 January 2021." in english
        found = {check[0]: check[1] for check in checks(english)}
        assert found["validity"] == "failed"
        assert english.count("The badge expired on 2021-01-01") == 4  # in every format
        # the signatures themselves still verify: expiry is not forgery
        assert found["proof"] == found["key"] == found["status"] == "passed"

    def test_recipient_email_is_masked_everywhere(self, client: TestClient, badges: Badges) -> None:
        for path in paths(badges):
            for language in ("fr", "en"):
                body = page(client, f"{path}?lang={language}")
                assert RECIPIENT not in body
                assert "camille.martin" not in body
        assert "c•••••@example.org" in page(client, f"/badges/{badges.valid.id}")

    def test_unknown_or_malformed_ids_are_html_404(self, client: TestClient) -> None:
        for path in (f"/badges/{uuid4()}", "/badges/not-a-uuid", f"/issuers/{uuid4()}"):
            response = client.get(path, headers={"Accept-Language": "en"})
            assert response.status_code == 404
            assert response.headers["content-type"] == "text/html; charset=utf-8"
            assert "Page not found" in response.text


class TestOtherPages:
    def test_badge_class_page(self, client: TestClient, badges: Badges) -> None:
        body = page(client, f"/badge-classes/{badges.badge_class.id}")
        assert "<h1>Sécurité et hygiène au travail</h1>" in body
        assert "Critères d’obtention" in body
        assert "RECTEC" in body
        assert f'href="/issuers/{badges.issuer.id}?lang=fr"' in body
        assert "Criteria" in page(client, f"/badge-classes/{badges.badge_class.id}?lang=en")

    def test_issuer_page(self, client: TestClient, badges: Badges) -> None:
        body = page(client, f"/issuers/{badges.issuer.id}?lang=en")
        assert "<h1>ESAT Les Ateliers</h1>" in body
        assert "Menuiserie, espaces verts." in body
        assert "Badges issued" in body
        assert f'href="/badge-classes/{badges.badge_class.id}?lang=en"' in body

    def test_accessibility_structure(self, client: TestClient, badges: Badges) -> None:
        for path in paths(badges):
            body = page(client, path)
            assert '<a class="skip" href="#main">Aller au contenu</a>' in body
            assert '<main id="main"' in body
            for landmark in ("<header", "<footer", "<nav"):
                assert landmark in body
            assert f'href="{path}?lang=en" lang="en" hreflang="en"' in body
            assert body.count("<h1") == 1


class TestLanguage:
    @pytest.mark.parametrize(
        ("query", "header", "expected"),
        [
            (None, None, "fr"),
            (None, "en-US,en;q=0.9", "en"),
            (None, "de-DE,de;q=0.9", "fr"),
            (None, "de,en;q=0.5,fr;q=0.4", "en"),
            (None, "en;q=0.5,fr;q=0.8", "fr"),
            (None, "en;q=0", "fr"),
            (None, "fr-CA", "fr"),
            ("en", "fr", "en"),
            ("fr", "en", "fr"),
            ("de", "en", "en"),
            (None, "en;q=bad", "fr"),
        ],
    )
    def test_negotiation(self, query: str | None, header: str | None, expected: str) -> None:
        assert negotiate(query, header) == expected

    def test_accept_language_on_the_wire(self, client: TestClient, badges: Badges) -> None:
        response = client.get(
            f"/badges/{badges.valid.id}", headers={"Accept-Language": "en-GB,en;q=0.9,fr;q=0.8"}
        )
        assert '<html lang="en">' in response.text
        assert response.headers["content-language"] == "en"
        assert "Accept-Language" in response.headers["vary"]
        forced = client.get(f"/badges/{badges.valid.id}?lang=fr", headers={"Accept-Language": "en"})
        assert '<html lang="fr">' in forced.text


class TestHelpers:
    @pytest.mark.parametrize(
        ("email", "masked"),
        [
            ("camille@example.org", "c•••••@example.org"),
            ("a@b.fr", "a•••••@b.fr"),
            ("x.very.long.name@example.org", "x•••••@example.org"),
        ],
    )
    def test_mask(self, email: str, masked: str) -> None:
        assert mask_email(email) == masked

    def test_unsafe_links_are_not_links(self) -> None:
        assert safe_href("javascript:alert(1)") is None
        assert safe_href("//evil.example") is None
        assert safe_href("data:text/html,x") is None
        assert safe_href("https://ok.example/x") == "https://ok.example/x"
        assert safe_href("/badges/1") == "/badges/1"

    def test_markdown_escapes(self) -> None:
        rendered = simple_markdown("<script>x</script>\n\n- <b>a</b>\n- b")
        assert "<script>" not in rendered
        assert "&lt;script&gt;" in rendered
        assert "<ul><li>&lt;b&gt;a&lt;/b&gt;</li><li>b</li></ul>" in rendered
