"""The committed OpenAPI document is the contract partners code against: it must not drift."""

import json
from pathlib import Path
from typing import Any

from badgeforge.__main__ import openapi_json
from badgeforge.settings import Settings

COMMITTED = Path(__file__).parents[1] / "openapi" / "openapi.json"
REGENERATE = "python -m badgeforge openapi > openapi/openapi.json"


def test_committed_openapi_matches_the_app() -> None:
    current = json.loads(openapi_json(Settings()))
    committed = json.loads(COMMITTED.read_text(encoding="utf-8"))
    assert current == committed, f"the API changed; review it and run: {REGENERATE}"


def test_every_operation_is_documented() -> None:
    document = json.loads(COMMITTED.read_text(encoding="utf-8"))
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            where = f"{method.upper()} {path}"
            assert operation.get("summary"), f"{where} has no summary"
            assert operation.get("description"), f"{where} has no description"
            anonymous = {} in operation.get("security", [])  # a key is optional there
            if path.startswith("/api/") and not anonymous:
                assert "401" in operation["responses"], f"{where} documents no 401"
                assert "422" in operation["responses"], f"{where} documents no 422"
                assert operation.get("security"), f"{where} declares no API key security"
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if body is not None:
                assert has_example(document, body), f"{where} request has no example"
            for status, response in operation["responses"].items():
                for media_type, content in response.get("content", {}).items():
                    if media_type.startswith("image/"):
                        continue
                    assert has_example(document, content), f"{where} {status} {media_type}"


def has_example(document: dict[str, Any], content: dict[str, Any]) -> bool:
    """Whether a request or response content (or the schema it names) carries an example."""
    if "example" in content or "examples" in content:
        return True
    schema = content.get("schema", {})
    if schema.get("type") == "array":
        schema = schema["items"]
    if "$ref" not in schema:
        return bool(schema.get("examples") or schema.get("example"))
    component = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    if str(component.get("title", "")).startswith("Page["):
        component = document["components"]["schemas"][
            component["properties"]["items"]["items"]["$ref"].rsplit("/", 1)[1]
        ]
    return bool(component.get("examples"))


def test_links_name_existing_operations_and_their_parameters() -> None:
    """Every create operation links its `id` to the operations that take it."""
    document = json.loads(COMMITTED.read_text(encoding="utf-8"))
    by_id = {
        operation["operationId"]: operation
        for methods in document["paths"].values()
        for operation in methods.values()
    }
    sources = 0
    for methods in document["paths"].values():
        for operation in methods.values():
            for response in operation["responses"].values():
                for name, link in response.get("links", {}).items():
                    sources += 1
                    target = by_id.get(link["operationId"])
                    assert target is not None, f"link {name} names no operation"
                    parameters = {p["name"] for p in target.get("parameters", [])}
                    assert set(link.get("parameters", {})) <= parameters, name
                    body = link.get("requestBody")
                    if body is not None:
                        assert "requestBody" in target, name
    assert sources >= 20
    creates = ("/api/v1/issuers", "/api/v1/badge-classes", "/api/v1/awards", "/api/v1/api-keys")
    for path in creates:
        assert document["paths"][path]["post"]["responses"]["201"]["links"], path


def test_operations_with_a_body_document_the_edge_answers() -> None:
    """Unparsable (400), too large (413) and wrongly typed (415) bodies are documented."""
    document = json.loads(COMMITTED.read_text(encoding="utf-8"))
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            if "requestBody" in operation:
                for status in ("400", "413", "415", "422"):
                    assert status in operation["responses"], f"{method} {path} {status}"
