"""POST /api/v1/verify and the /verify page: any badge, own badges from the records."""

import base64
import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from badgeforge.settings import Settings
from tests.factories import Tenant, create_badge_class, create_issuer, create_tenant


@pytest.fixture
def awarded(client: TestClient, session: Session, settings: Settings) -> dict[str, Any]:
    tenant = create_tenant(session)
    issuer = create_issuer(session, tenant)
    badge_class = create_badge_class(session, tenant, settings, issuer.id)
    body = {"badge_class_id": str(badge_class.id), "recipient_email": "camille@example.org"}
    award: dict[str, Any] = client.post("/api/v1/awards", json=body, headers=tenant.headers).json()
    return {**award, "tenant": tenant}


def verify(client: TestClient, body: dict[str, Any]) -> dict[str, Any]:
    response = client.post("/api/v1/verify", json=body)
    assert response.status_code == 200, response.text
    report: dict[str, Any] = response.json()
    return report


def test_own_badge_verifies_from_records_in_every_format(
    client: TestClient, awarded: dict[str, Any]
) -> None:
    formats = awarded["formats"]
    for url in (formats["ob2_hosted"]["url"], formats["ob3"]["url"], formats["ob2_signed"]["url"]):
        report = verify(client, {"url": url})
        assert report["verdict"] == "valid", (url, report["checks"])
        assert report["badge"]["name"] == "Sécurité et hygiène au travail"
        assert {"fr", "en"} <= set(report["message"])
    credential = client.get(formats["ob3"]["url"]).json()
    assert verify(client, {"credential": credential})["verdict"] == "valid"
    jwt = client.get(formats["ob3"]["jwt_url"]).text
    assert verify(client, {"jwt": jwt})["verdict"] == "valid"


def test_baked_images_upload(client: TestClient, awarded: dict[str, Any]) -> None:
    for url in (awarded["baked_png_url"], awarded["formats"]["ob3"]["baked_svg_url"]):
        image = client.get(url).content
        response = client.post("/api/v1/verify", files={"file": ("badge", image)})
        assert response.status_code == 200, response.text
        assert response.json()["verdict"] == "valid", response.json()["checks"]


def test_recipient_match_and_mismatch(client: TestClient, awarded: dict[str, Any]) -> None:
    url = awarded["assertion_url"]
    matched = verify(client, {"url": url, "recipient": "Camille@Example.org"})
    assert matched["verdict"] == "valid"
    other = verify(client, {"url": url, "recipient": "someone@example.org"})
    recipient = next(check for check in other["checks"] if check["id"] == "recipient")
    assert recipient["status"] == "failed"


def test_revoked_badge_reports_revoked_in_every_format(
    client: TestClient, awarded: dict[str, Any]
) -> None:
    tenant: Tenant = awarded["tenant"]
    credential = client.get(awarded["formats"]["ob3"]["url"]).json()
    revoked = client.post(
        f"/api/v1/awards/{awarded['id']}/revoke", json={"reason": "Erreur"}, headers=tenant.headers
    )
    assert revoked.status_code == 200
    assert verify(client, {"url": awarded["assertion_url"]})["verdict"] == "revoked"
    assert verify(client, {"credential": credential})["verdict"] == "revoked"


def test_tampered_credential_is_invalid(client: TestClient, awarded: dict[str, Any]) -> None:
    credential = client.get(awarded["formats"]["ob3"]["url"]).json()
    credential["credentialSubject"]["achievement"]["name"] = "Autre chose"
    report = verify(client, {"credential": credential})
    assert report["verdict"] == "invalid"


def test_loopback_elsewhere_is_refused_without_a_crash(client: TestClient) -> None:
    report = verify(client, {"url": "http://127.0.0.1:9/ob2/assertions/1"})
    assert report["verdict"] == "invalid"
    assert any(check["status"] == "failed" for check in report["checks"])


@pytest.mark.parametrize(
    "body",
    [{}, {"url": "https://a.example/1", "jwt": "a.b.c"}, {"url": "x", "extra": 1}],
)
def test_bad_requests_are_422(client: TestClient, body: dict[str, Any]) -> None:
    response = client.post("/api/v1/verify", json=body)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")


def test_bad_json_is_400_and_hostile_input_is_a_report(client: TestClient) -> None:
    response = client.post(
        "/api/v1/verify", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    deep: Any = {}
    for _ in range(500):
        deep = {"a": deep}
    report = verify(client, {"credential": deep})
    assert report["verdict"] == "invalid"
    none_jwt = ".".join(
        base64.urlsafe_b64encode(json.dumps(part).encode()).decode().rstrip("=")
        for part in ({"alg": "none"}, {"iss": "x"})
    )
    assert verify(client, {"jwt": none_jwt + ".c2ln"})["verdict"] == "invalid"


def test_verify_page_in_both_languages(client: TestClient, awarded: dict[str, Any]) -> None:
    french = client.get("/verify")
    assert french.status_code == 200
    assert 'lang="fr"' in french.text
    english = client.get("/verify?lang=en")
    assert 'lang="en"' in english.text
    result = client.post(
        "/verify?lang=en", data={"url": awarded["assertion_url"]}, files={"file": ("", b"")}
    )
    assert result.status_code == 200
    assert "Badge verified" in result.text
    assert "Sécurité et hygiène au travail" in result.text
    empty = client.post("/verify", data={"url": ""}, files={"file": ("", b"")})
    assert "Choisissez un fichier" in empty.text
    image = client.get(awarded["baked_png_url"]).content
    uploaded = client.post("/verify?lang=en", files={"file": ("badge.png", image)})
    assert "Badge verified" in uploaded.text
    forged = client.post("/verify?lang=en", files={"file": ("badge.png", image[:-40])})
    assert "Badge not verified" in forged.text
