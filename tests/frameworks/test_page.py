"""The public page of a built-in framework: where alignments to its items point."""

import html5lib
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories import create_tenant


class TestFrameworkPage:
    def test_french_by_default_with_an_anchor_per_item(self, client: TestClient) -> None:
        response = client.get("/frameworks/rectec")
        assert response.status_code == 200
        assert response.headers["content-language"] == "fr"
        assert "no-store" not in response.headers["cache-control"]
        page = response.text
        html5lib.HTMLParser(strict=True).parse(page)
        assert '<html lang="fr">' in page
        assert '<li id="C3"><strong>C3</strong>\u00a0: <span>Travailler en équipe</span>' in page
        assert "<h3>Organisationnel</h3>" in page
        assert "Travailler en équipe" in page
        assert "Organisationnel" in page
        assert "Cercle 4" in page
        assert "Compétences (12)" in page

    def test_english(self, client: TestClient) -> None:
        page = client.get("/frameworks/rectec", params={"lang": "en"}).text
        assert '<html lang="en">' in page
        assert "Work in a team" in page
        assert "Mastery levels" in page
        assert '<h3 lang="fr">Organisationnel</h3>' in page  # no English name: marked French
        assert '<li value="1" lang="fr">Cercle 1' in page
        by_header = client.get("/frameworks/rectec", headers={"Accept-Language": "en-GB"})
        assert by_header.headers["content-language"] == "en"

    def test_json(self, client: TestClient) -> None:
        for response in (
            client.get("/frameworks/rectec", params={"format": "json"}),
            client.get("/frameworks/rectec", headers={"Accept": "application/json"}),
        ):
            assert response.status_code == 200
            document = response.json()
            assert document["slug"] == "rectec"
            assert [item["code"] for item in document["items"]][:3] == ["C1", "C2", "C3"]
            assert document["items"][2]["target_url"] == "http://testserver/frameworks/rectec#C3"

    def test_unknown_and_organisation_frameworks_are_not_public(
        self, client: TestClient, session: Session
    ) -> None:
        tenant = create_tenant(session)
        framework = {"slug": "interne", "name": "Interne", "url": "https://example.org/r"}
        assert client.post("/api/v1/frameworks", json=framework, headers=tenant.headers).is_success
        for slug in ("interne", "nope", "<script>"):
            response = client.get(f"/frameworks/{slug}")
            assert response.status_code == 404
            assert "<script>" not in response.text
        missing = client.get("/frameworks/interne", params={"format": "json"})
        assert missing.status_code == 404
        assert missing.headers["content-type"] == "application/problem+json"
