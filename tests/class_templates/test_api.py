"""GET /api/v1/badge-class-templates and /{key}: the catalogue over HTTP."""

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from badgeforge.security import Scope
from tests.factories import create_tenant

URL = "/api/v1/badge-class-templates"


class TestCatalogueApi:
    def test_list(self, client: TestClient, session: Session) -> None:
        tenant = create_tenant(session, scopes=(Scope.READ,))
        response = client.get(URL, headers=tenant.headers)
        assert response.status_code == 200, response.text
        entries = response.json()
        assert len(entries) == 13
        safety = next(entry for entry in entries if entry["key"] == "securite-hygiene-travail")
        assert safety["title"] == {
            "fr": "Sécurité et hygiène au travail",
            "en": "Health and safety at work",
        }
        assert safety["languages"] == ["fr", "en", "fr-x-falc"]
        assert set(safety) == {"key", "title", "summary", "languages"}

    def test_get(self, client: TestClient, session: Session) -> None:
        tenant = create_tenant(session, scopes=(Scope.READ,))
        response = client.get(f"{URL}/rectec-c3", headers=tenant.headers)
        assert response.status_code == 200, response.text
        template = response.json()
        assert template["name"] == "Travailler en équipe"
        assert template["achievement_type"] == "Competency"
        assert template["alignments"] == [{"framework": "rectec", "code": "C3"}]
        assert len(template["levels"]) == 4
        assert template["translations"]["fr-x-falc"]["name"] == "Travailler en équipe"
        assert template["image"]["template"] == "medaillon"

    def test_unknown_key_is_a_404_problem(self, client: TestClient, session: Session) -> None:
        tenant = create_tenant(session, scopes=(Scope.READ,))
        response = client.get(f"{URL}/rectec-c13", headers=tenant.headers)
        assert response.status_code == 404
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["key"] == "rectec-c13"
        assert "GET /api/v1/badge-class-templates" in response.json()["detail"]

    def test_malformed_key_is_a_404_problem(self, client: TestClient, session: Session) -> None:
        tenant = create_tenant(session, scopes=(Scope.READ,))
        for key in ("Rectec_C3", "..%2Fmedaillon", "x" * 64):
            response = client.get(f"{URL}/{key}", headers=tenant.headers)
            assert response.status_code == 404, key
            assert response.headers["content-type"] == "application/problem+json"

    def test_needs_an_api_key(self, client: TestClient) -> None:
        assert client.get(URL).status_code == 401
        assert client.get(f"{URL}/rectec-c3").status_code == 401
