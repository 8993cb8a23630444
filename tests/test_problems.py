"""Every failure is an RFC 9457 problem: no HTML error page, no stack trace, no 500."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from badgeforge.app import create_app
from badgeforge.settings import Settings
from tests.factories import Tenant, create_tenant

PROBLEM = "application/problem+json"


@pytest.fixture
def tenant(session: Session) -> Tenant:
    return create_tenant(session)


def assert_problem(response: object, status: int) -> dict[str, object]:
    from httpx import Response

    assert isinstance(response, Response)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body: dict[str, object] = response.json()
    assert body["status"] == status
    assert isinstance(body["title"], str)
    assert isinstance(body["detail"], str)
    assert body["detail"]
    assert str(body["type"]).startswith("/problems/")
    return body


class TestEdgeErrors:
    def test_unknown_route(self, client: TestClient) -> None:
        body = assert_problem(client.get("/nowhere"), 404)
        assert body["instance"] == "/nowhere"

    def test_wrong_method(self, client: TestClient) -> None:
        assert_problem(client.put("/health"), 405)

    def test_malformed_json(self, client: TestClient, tenant: Tenant) -> None:
        response = client.post(
            "/api/v1/issuers",
            content=b'{"name": ',
            headers={**tenant.headers, "Content-Type": "application/json"},
        )
        body = assert_problem(response, 400)
        assert "JSON" in str(body["detail"])

    def test_json_that_is_not_an_object(self, client: TestClient, tenant: Tenant) -> None:
        assert_problem(client.post("/api/v1/issuers", json=[1, 2], headers=tenant.headers), 422)

    def test_wrong_content_type(self, client: TestClient, tenant: Tenant) -> None:
        response = client.post(
            "/api/v1/issuers",
            content=b"name=x",
            headers={**tenant.headers, "Content-Type": "application/x-www-form-urlencoded"},
        )
        assert_problem(response, 415)

    def test_body_too_large_by_content_length(self, client: TestClient, tenant: Tenant) -> None:
        body = b'{"name": "' + b"x" * 2_000_000 + b'"}'
        response = client.post(
            "/api/v1/issuers",
            content=body,
            headers={**tenant.headers, "Content-Type": "application/json"},
        )
        assert_problem(response, 413)

    def test_body_too_large_when_streamed(self, client: TestClient, tenant: Tenant) -> None:
        def chunks() -> Iterator[bytes]:
            yield b'{"name": "'
            for _ in range(40):
                yield b"x" * 65536
            yield b'"}'

        response = client.post(
            "/api/v1/issuers",
            content=chunks(),
            headers={**tenant.headers, "Content-Type": "application/json"},
        )
        assert_problem(response, 413)

    def test_bad_path_parameter(self, client: TestClient, tenant: Tenant) -> None:
        """An id that is not a UUID names no resource: 404, like a missing one."""
        body = assert_problem(client.get("/api/v1/issuers/42", headers=tenant.headers), 404)
        assert body["detail"] == "No resource at /api/v1/issuers/42."

    def test_bad_query_parameter(self, client: TestClient, tenant: Tenant) -> None:
        response = client.get("/api/v1/awards", params={"limit": 100000}, headers=tenant.headers)
        assert_problem(response, 422)

    def test_problem_types_are_documented(self, client: TestClient) -> None:
        response = client.get("/problems/payload-too-large")
        assert response.status_code == 200
        assert response.json()["status"] == 413
        assert_problem(client.get("/problems/nope"), 404)


def test_unexpected_error_is_a_500_problem_without_trace(
    settings: Settings, engine: Engine
) -> None:
    app = create_app(settings, engine=engine)

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("secret internal detail")

    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/boom")
    body = assert_problem(response, 500)
    assert "secret" not in response.text
    assert "Traceback" not in response.text
    assert body["title"] == "Internal error"


def test_health(client: TestClient) -> None:
    assert client.get("/health").json()["status"] == "ok"


def test_home_leads_to_the_api_documentation(client: TestClient) -> None:
    response = client.get("/", follow_redirects=False)
    assert response.status_code == 307
    assert response.headers["location"] == "/docs"
    docs = client.get("/docs").text
    assert "/static/swagger-ui/swagger-ui-bundle.js" in docs
    assert "cdn." not in docs
    bundle = client.get("/static/swagger-ui/swagger-ui-bundle.js")
    assert bundle.status_code == 200
    assert "javascript" in bundle.headers["content-type"]
