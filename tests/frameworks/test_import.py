"""POST /api/v1/frameworks/import: CSV from a spreadsheet or a JSON document, all or nothing."""

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from badgeforge.settings import Settings
from tests.factories import Tenant, create_tenant

IMPORT = "/api/v1/frameworks/import"
FORM = {"slug": "cleas", "name": "Socle CléA", "url": "https://cleas.example.org/"}
CSV = (
    "\ufeffcode;nom;description;url;pôle;niveau\r\n"
    ";Niveau 1;Découvre;;;1\r\n"
    ";Niveau 2;Maîtrise;;;2\r\n"
    "D1;Communiquer en français;Lire, écrire, parler.;;Domaine 1;\r\n"
    "D1;;Lit une consigne simple.;;;1\r\n"
    "D2;Utiliser les règles de base de calcul;;https://cleas.example.org/d2;Domaine 2;\r\n"
)


def upload(client: TestClient, tenant: Tenant, content: bytes, **headers: str) -> Any:
    files = {"file": ("referentiel.csv", content, "text/csv")}
    return client.post(IMPORT, data=FORM, files=files, headers={**tenant.headers, **headers})


class TestCsvImport:
    def test_a_french_spreadsheet_export(self, client: TestClient, session: Session) -> None:
        tenant = create_tenant(session)
        response = upload(client, tenant, CSV.encode())
        assert response.status_code == 201, response.text
        framework = response.json()
        assert (framework["slug"], framework["item_count"]) == ("cleas", 2)
        assert [level["name"] for level in framework["levels"]] == ["Niveau 1", "Niveau 2"]
        items = client.get(
            f"/api/v1/frameworks/{framework['id']}/items", headers=tenant.headers
        ).json()["items"]
        assert [item["code"] for item in items] == ["D1", "D2"]
        assert items[0]["levels"] == [{"level": 1, "description": "Lit une consigne simple."}]
        assert items[0]["group"] == "Domaine 1"
        assert items[0]["target_url"] == "https://cleas.example.org/#D1"
        assert items[1]["target_url"] == "https://cleas.example.org/d2"

    def test_bad_rows_are_listed_by_line_and_nothing_is_imported(
        self, client: TestClient, session: Session
    ) -> None:
        tenant = create_tenant(session)
        bad = CSV + "D1;Doublon;;;;\r\nD3;;;;;\r\nD4;Quatre;;pas-une-url;;\r\n"
        response = upload(client, tenant, bad.encode())
        assert response.status_code == 422
        assert response.headers["content-type"] == "application/problem+json"
        problem = response.json()
        assert [error["line"] for error in problem["errors"]] == [7, 8, 9]
        assert "3 problems" in problem["detail"]
        assert problem["check"] == "framework-file"
        assert problem["errors"][0]["field"] == "line 7"
        listed = client.get(
            "/api/v1/frameworks", params={"built_in": "false"}, headers=tenant.headers
        )
        assert listed.json()["total"] == 0

    def test_form_fields_are_checked(self, client: TestClient, session: Session) -> None:
        tenant = create_tenant(session)
        files = {"file": ("r.csv", CSV.encode(), "text/csv")}
        response = client.post(
            IMPORT, data={**FORM, "slug": "Pas Bon", "url": ""}, files=files, headers=tenant.headers
        )
        assert response.status_code == 422
        fields = {error["field"] for error in response.json()["errors"]}
        assert fields == {"body.slug", "body.url"}
        no_file = client.post(IMPORT, data=FORM, files={"x": ("a", b"b")}, headers=tenant.headers)
        assert no_file.status_code == 422

    def test_size_is_bounded(
        self, client: TestClient, session: Session, settings: Settings
    ) -> None:
        tenant = create_tenant(session)
        settings.max_request_bytes = 2000
        big = CSV + "".join(f"X{n};Item {n};;;;\r\n" for n in range(200))
        response = upload(client, tenant, big.encode())
        assert response.status_code == 413

    def test_idempotent_retry_and_conflicting_slug(
        self, client: TestClient, session: Session
    ) -> None:
        tenant = create_tenant(session)
        first = upload(client, tenant, CSV.encode(), **{"Idempotency-Key": "import-1"})
        replay = upload(client, tenant, CSV.encode(), **{"Idempotency-Key": "import-1"})
        assert replay.headers["Idempotent-Replayed"] == "true"
        assert replay.json()["id"] == first.json()["id"]
        assert upload(client, tenant, CSV.encode()).status_code == 409

    def test_other_media_types_are_refused(self, client: TestClient, session: Session) -> None:
        tenant = create_tenant(session)
        response = client.post(
            IMPORT, content=CSV.encode(), headers={**tenant.headers, "Content-Type": "text/csv"}
        )
        assert response.status_code == 415


DOCUMENT: dict[str, Any] = {
    "slug": "rncp-aide-cuisine",
    "name": "Titre professionnel Agent de restauration",
    "url": "https://www.francecompetences.fr/recherche/rncp/37274/",
    "levels": [],
    "items": [
        {"code": "RNCP37274BC01", "name": "Préparer en assemblage des hors-d'œuvre"},
        {
            "code": "RNCP37274BC02",
            "name": "Réaliser des grillades",
            "translations": {"en": {"name": "Grill"}},
        },
    ],
}


class TestJsonImport:
    def test_a_json_document(self, client: TestClient, session: Session) -> None:
        tenant = create_tenant(session)
        response = client.post(IMPORT, json=DOCUMENT, headers=tenant.headers)
        assert response.status_code == 201, response.text
        assert response.json()["item_count"] == 2

    def test_cross_field_problems_are_listed(self, client: TestClient, session: Session) -> None:
        tenant = create_tenant(session)
        items = [
            *DOCUMENT["items"],
            {
                "code": "RNCP37274BC01",
                "name": "Doublon",
                "levels": [{"level": 1, "description": "x"}],
            },
        ]
        response = client.post(IMPORT, json={**DOCUMENT, "items": items}, headers=tenant.headers)
        assert response.status_code == 422
        fields = [error["field"] for error in response.json()["errors"]]
        assert fields == ["items[2].code", "items[2].levels[0].level"]

    def test_schema_errors_name_the_fields(self, client: TestClient, session: Session) -> None:
        tenant = create_tenant(session)
        response = client.post(
            IMPORT, json={**DOCUMENT, "items": [{"code": "a b"}]}, headers=tenant.headers
        )
        assert response.status_code == 422
        fields = {error["field"] for error in response.json()["errors"]}
        assert fields == {"body.items.0.code", "body.items.0.name"}
        assert (
            client.post(
                IMPORT, content=b"{", headers={**tenant.headers, "Content-Type": "application/json"}
            ).status_code
            == 400
        )
