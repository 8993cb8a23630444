"""The committed OpenAPI document is the contract partners code against: it must not drift."""

import json
from pathlib import Path

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
            if path.startswith("/api/"):
                assert "401" in operation["responses"], f"{where} documents no 401"
                assert "422" in operation["responses"], f"{where} documents no 422"
                assert operation.get("security"), f"{where} declares no API key security"
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if body is not None:
                schema_name = body["schema"]["$ref"].rsplit("/", 1)[1]
                schema = document["components"]["schemas"][schema_name]
                assert schema.get("examples"), f"{where} request schema has no example"
