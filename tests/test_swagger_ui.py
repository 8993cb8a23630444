"""Swagger UI keeps the API key in localStorage only when the operator opts in."""

import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from badgeforge.app import create_app
from badgeforge.db import make_engine
from badgeforge.settings import Settings


def swagger_parameters(settings: Settings) -> dict[str, object]:
    engine = make_engine("sqlite://")
    try:
        with TestClient(create_app(settings, engine=engine)) as client:
            page = client.get("/docs")
    finally:
        engine.dispose()
    assert page.status_code == 200
    found = re.search(r'"persistAuthorization":\s*(\w+)', page.text)
    assert found is not None, page.text
    return {"persistAuthorization": json.loads(found.group(1))}


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    monkeypatch.chdir(tmp_path)  # no .env from the working tree
    monkeypatch.delenv("BADGEFORGE_SWAGGER_PERSIST_AUTHORIZATION", raising=False)
    monkeypatch.setenv("BADGEFORGE_DATA_DIR", str(tmp_path))
    return monkeypatch


def test_the_api_key_is_not_kept_in_local_storage_by_default(
    environment: pytest.MonkeyPatch,
) -> None:
    assert swagger_parameters(Settings()) == {"persistAuthorization": False}


def test_an_operator_can_opt_in_to_keeping_the_api_key(environment: pytest.MonkeyPatch) -> None:
    environment.setenv("BADGEFORGE_SWAGGER_PERSIST_AUTHORIZATION", "true")
    assert swagger_parameters(Settings()) == {"persistAuthorization": True}
