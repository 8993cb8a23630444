"""Date-times are ISO 8601 text, in bodies and in query filters: ``"0.5"`` or ``"1700000000"``
(which pydantic would read as Unix times) are refused like the published pattern refuses
them. Found by the contract run: ``GET /api/v1/awards?issued_before=0.5`` answered 200."""

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories import create_tenant


@pytest.mark.parametrize("path", ["/api/v1/awards", "/api/v1/audit-events"])
@pytest.mark.parametrize("value", ["0.5", "1700000000", "99-01-01T00:00:00Z"])
def test_a_query_date_that_is_not_iso_text_is_refused(
    client: TestClient, session: Session, path: str, value: str
) -> None:
    tenant = create_tenant(session)
    name = "issued_before" if path.endswith("awards") else "occurred_before"
    response = client.get(path, params={name: value}, headers=tenant.headers)
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == f"query.{name}"


@pytest.mark.parametrize("path", ["/api/v1/awards", "/api/v1/audit-events"])
def test_an_iso_query_date_is_accepted(client: TestClient, session: Session, path: str) -> None:
    tenant = create_tenant(session)
    name = "issued_before" if path.endswith("awards") else "occurred_before"
    response = client.get(path, params={name: "2026-12-01T00:00:00Z"}, headers=tenant.headers)
    assert response.status_code == 200, response.text


def test_a_body_date_that_is_not_iso_text_is_refused(client: TestClient, session: Session) -> None:
    tenant = create_tenant(session)
    response = client.post(
        "/api/v1/awards",
        json={
            "badge_class_id": "0b9d5f7e-2c4a-4e8b-8f1d-6a3c9e2b7d40",
            "recipient_email": "camille@example.org",
            "issued_on": "0.5",
        },
        headers=tenant.headers,
    )
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == "body.issued_on"
