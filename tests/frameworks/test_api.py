"""The framework catalogue over HTTP: built-ins, own frameworks, items, imports, isolation."""

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from badgeforge.core.frameworks import builtin_framework_id, builtin_item_id
from badgeforge.security import Scope
from tests.factories import create_key, create_tenant

API = "/api/v1/frameworks"
RECTEC = str(builtin_framework_id("rectec"))
FRAMEWORK: dict[str, Any] = {
    "slug": "savoir-etre",
    "name": "Savoir-être en atelier",
    "url": "https://ateliers.example.fr/referentiel",
    "levels": [{"level": 1, "name": "Débutant"}, {"level": 2, "name": "Confirmé"}],
}
ITEM: dict[str, Any] = {
    "code": "S1",
    "name": "Ponctualité",
    "group": "Attitudes",
    "levels": [{"level": 2, "description": "Toujours à l'heure, prévient d'un retard."}],
}


class TestBuiltIn:
    def test_rectec_is_listed_for_every_organisation(
        self, client: TestClient, session: Session
    ) -> None:
        for name in ("ESAT A", "IME B"):
            tenant = create_tenant(session, name)
            page = client.get(API, params={"built_in": "true"}, headers=tenant.headers).json()
            (rectec,) = page["items"]
            assert rectec["id"] == RECTEC
            assert rectec["slug"] == "rectec"
            assert rectec["built_in"] is True
            assert rectec["item_count"] == 12
            assert [level["name"] for level in rectec["levels"]] == [
                f"Cercle {n}" for n in range(1, 5)
            ]
            assert rectec["translations"]["en"]["name"] == "RECTEC"
            assert rectec["public_url"] == "http://testserver/frameworks/rectec"

    def test_items_in_order_with_poles_and_alignment_urls(
        self, client: TestClient, session: Session
    ) -> None:
        tenant = create_tenant(session)
        page = client.get(f"{API}/{RECTEC}/items", headers=tenant.headers).json()
        assert page["total"] == 12
        items = page["items"]
        assert [item["code"] for item in items] == [f"C{n}" for n in range(1, 13)]
        c3 = items[2]
        assert c3["id"] == str(builtin_item_id("rectec", "C3"))
        assert c3["name"] == "Travailler en équipe"
        assert c3["group"] == "Organisationnel"
        assert c3["translations"]["en"]["name"] == "Work in a team"
        assert c3["target_url"] == "http://testserver/frameworks/rectec#C3"
        pole = client.get(
            f"{API}/{RECTEC}/items",
            params={"group": "Communicationnel", "limit": 2},
            headers=tenant.headers,
        ).json()
        assert pole["total"] == 4
        assert [item["code"] for item in pole["items"]] == ["C5", "C6"]
        rest = client.get(
            f"{API}/{RECTEC}/items",
            params={"group": "Communicationnel", "limit": 2, "cursor": pole["next"]},
            headers=tenant.headers,
        ).json()
        assert [item["code"] for item in rest["items"]] == ["C7", "C8"]
        assert rest["next"] is None

    def test_built_ins_are_read_only(self, client: TestClient, session: Session) -> None:
        tenant = create_tenant(session)
        url = f"{API}/{RECTEC}"
        changed = client.patch(url, json={"name": "Mine"}, headers=tenant.headers)
        assert changed.status_code == 409
        assert "/extend" in changed.json()["detail"]
        assert client.delete(url, headers=tenant.headers).status_code == 409
        added = client.post(f"{url}/items", json=ITEM, headers=tenant.headers)
        assert added.status_code == 409
        item = str(builtin_item_id("rectec", "C1"))
        patched = client.patch(f"{url}/items/{item}", json={"name": "x"}, headers=tenant.headers)
        assert patched.status_code == 409
        assert client.get(url, headers=tenant.headers).json()["name"] == "RECTEC"


class TestRoutes:
    def test_import_is_no_framework_id(self, client: TestClient, session: Session) -> None:
        tenant = create_tenant(session)
        patched = client.patch(f"{API}/import", json={"name": "x"}, headers=tenant.headers)
        assert patched.status_code == 405
        assert patched.headers["Allow"] == "POST"
        assert client.get(f"{API}/not-a-uuid", headers=tenant.headers).status_code == 404


class TestOwnFrameworks:
    def test_create_add_items_update_delete(self, client: TestClient, session: Session) -> None:
        tenant = create_tenant(session)
        created = client.post(API, json=FRAMEWORK, headers=tenant.headers)
        assert created.status_code == 201, created.text
        framework = created.json()
        assert framework["built_in"] is False
        assert framework["public_url"] is None
        url = f"{API}/{framework['id']}"
        item = client.post(f"{url}/items", json=ITEM, headers=tenant.headers)
        assert item.status_code == 201, item.text
        assert item.json()["target_url"] == "https://ateliers.example.fr/referentiel#S1"
        assert item.json()["levels"] == [ITEM["levels"][0]]
        again = client.post(f"{url}/items", json=ITEM, headers=tenant.headers)
        assert again.status_code == 409
        unknown_level = {**ITEM, "code": "S2", "levels": [{"level": 3, "description": "x"}]}
        refused = client.post(f"{url}/items", json=unknown_level, headers=tenant.headers)
        assert refused.status_code == 409
        twice = {**ITEM, "code": "S2", "levels": [ITEM["levels"][0]] * 2}
        refused = client.post(f"{url}/items", json=twice, headers=tenant.headers)
        assert refused.status_code == 422
        assert refused.json()["check"] == "framework-consistency"
        read = client.get(url, headers=tenant.headers)
        assert read.json()["item_count"] == 1
        etag = read.headers["ETag"]
        updated = client.patch(
            url, json={"description": "V2"}, headers={**tenant.headers, "If-Match": etag}
        )
        assert updated.status_code == 200
        assert updated.headers["ETag"] != etag
        stale = client.patch(
            url, json={"description": "V3"}, headers={**tenant.headers, "If-Match": etag}
        )
        assert stale.status_code == 412
        dropping = client.patch(
            url, json={"levels": [FRAMEWORK["levels"][0]]}, headers=tenant.headers
        )
        assert dropping.status_code == 409  # S1 describes level 2
        assert client.delete(url, headers=tenant.headers).status_code == 204
        assert client.get(url, headers=tenant.headers).status_code == 404

    def test_slug_is_unique_per_organisation(self, client: TestClient, session: Session) -> None:
        first, second = create_tenant(session, "A"), create_tenant(session, "B")
        assert client.post(API, json=FRAMEWORK, headers=first.headers).status_code == 201
        assert client.post(API, json=FRAMEWORK, headers=first.headers).status_code == 409
        assert client.post(API, json=FRAMEWORK, headers=second.headers).status_code == 201

    def test_idempotency_key_replays_the_creation(
        self, client: TestClient, session: Session
    ) -> None:
        tenant = create_tenant(session)
        headers = {**tenant.headers, "Idempotency-Key": "framework-1"}
        first = client.post(API, json=FRAMEWORK, headers=headers)
        second = client.post(API, json=FRAMEWORK, headers=headers)
        assert second.status_code == 201
        assert second.headers["Idempotent-Replayed"] == "true"
        assert second.json()["id"] == first.json()["id"]

    def test_filters_and_scopes(self, client: TestClient, session: Session) -> None:
        tenant = create_tenant(session)
        client.post(API, json=FRAMEWORK, headers=tenant.headers)
        mine = client.get(API, params={"built_in": "false"}, headers=tenant.headers).json()
        assert [f["slug"] for f in mine["items"]] == ["savoir-etre"]
        named = client.get(API, params={"name": "SAVOIR"}, headers=tenant.headers).json()
        assert named["total"] == 1
        assert (
            client.get(API, params={"slug": "rectec"}, headers=tenant.headers).json()["total"] == 1
        )
        reader = {"Authorization": f"Bearer {create_key(session, tenant, Scope.READ)}"}
        assert client.get(API, headers=reader).status_code == 200
        assert client.post(API, json={**FRAMEWORK, "slug": "x"}, headers=reader).status_code == 403


class TestTenantIsolation:
    def test_another_organisations_framework_is_invisible(
        self, client: TestClient, session: Session
    ) -> None:
        owner, other = create_tenant(session, "Owner"), create_tenant(session, "Other")
        framework = client.post(API, json=FRAMEWORK, headers=owner.headers).json()
        url = f"{API}/{framework['id']}"
        item = client.post(f"{url}/items", json=ITEM, headers=owner.headers).json()
        assert client.get(url, headers=other.headers).status_code == 404
        assert client.get(f"{url}/items", headers=other.headers).status_code == 404
        assert client.patch(url, json={"name": "x"}, headers=other.headers).status_code == 404
        assert client.delete(url, headers=other.headers).status_code == 404
        assert client.post(f"{url}/items", json=ITEM, headers=other.headers).status_code == 404
        assert client.post(f"{url}/extend", json={}, headers=other.headers).status_code == 404
        patch = client.patch(f"{url}/items/{item['id']}", json={"name": "x"}, headers=other.headers)
        assert patch.status_code == 404
        listed = client.get(API, headers=other.headers).json()
        assert [f["slug"] for f in listed["items"]] == ["rectec"]
        assert client.get(url, headers=owner.headers).json()["name"] == FRAMEWORK["name"]


class TestExtend:
    def test_copy_rectec_and_add_per_level_descriptors(
        self, client: TestClient, session: Session
    ) -> None:
        tenant = create_tenant(session)
        copied = client.post(f"{API}/{RECTEC}/extend", json={}, headers=tenant.headers)
        assert copied.status_code == 201, copied.text
        copy = copied.json()
        assert (copy["slug"], copy["built_in"], copy["extends_id"]) == ("rectec", False, RECTEC)
        assert copy["item_count"] == 12
        assert copy["url"] is None
        url = f"{API}/{copy['id']}"
        items = client.get(f"{url}/items", params={"code": "C3"}, headers=tenant.headers).json()
        (c3,) = items["items"]
        assert c3["id"] != str(builtin_item_id("rectec", "C3"))
        assert c3["target_url"] == "http://testserver/frameworks/rectec#C3"
        levels = [{"level": n, "description": f"Au cercle {n}"} for n in (2, 1)]
        etag = client.get(url, headers=tenant.headers).headers["ETag"]
        with_etag = {**tenant.headers, "If-Match": etag}
        patched = client.patch(
            f"{url}/items/{c3['id']}", json={"levels": levels}, headers=with_etag
        )
        assert patched.status_code == 200, patched.text
        assert [d["level"] for d in patched.json()["levels"]] == [1, 2]
        assert patched.headers["ETag"] == client.get(url, headers=tenant.headers).headers["ETag"]
        stale = client.patch(f"{url}/items/{c3['id']}", json={"name": "x"}, headers=with_etag)
        assert stale.status_code == 412
        extra = client.post(f"{url}/items", json={**ITEM, "levels": []}, headers=tenant.headers)
        assert extra.status_code == 201
        assert (
            client.post(f"{API}/{RECTEC}/extend", json={}, headers=tenant.headers).status_code
            == 409
        )
        other = client.post(
            f"{API}/{RECTEC}/extend", json={"slug": "rectec-2"}, headers=tenant.headers
        )
        assert other.status_code == 201
        builtin = client.get(f"{API}/{RECTEC}/items", params={"code": "C3"}, headers=tenant.headers)
        assert builtin.json()["items"][0]["levels"] == []
