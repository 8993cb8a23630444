"""A constraint violation that no check caught is a 409 problem and applies nothing, not a 500."""

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from badgeforge.access.models import ApiKey, Organisation
from badgeforge.app import create_app
from badgeforge.db import SessionDep, make_sessionmaker
from badgeforge.settings import Settings

PREFIX = "c0ffee000042"


def _two_keys_with_one_prefix(session: Session, *, flush: bool) -> None:
    organisation = Organisation(name="ESAT Doublon")
    session.add(organisation)
    session.flush()
    for name in ("first", "second"):
        session.add(
            ApiKey(
                organisation_id=organisation.id,
                name=name,
                prefix=PREFIX,
                secret_hash="0" * 64,
                scopes=["read"],
            )
        )
    if flush:  # else the request's commit finds it
        session.flush()


@pytest.mark.parametrize("when", ["in the service", "at commit"])
def test_integrity_error_is_a_409_problem(engine: Engine, settings: Settings, when: str) -> None:
    app = create_app(settings, engine=engine)

    @app.post("/test/duplicate")
    def duplicate(session: SessionDep) -> dict[str, str]:
        _two_keys_with_one_prefix(session, flush=when == "in the service")
        return {"status": "stored"}

    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.post("/test/duplicate")

    assert response.status_code == 409, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] == "/problems/conflict"
    with make_sessionmaker(engine)() as session:
        stored = session.scalar(select(func.count()).where(ApiKey.prefix == PREFIX))
        assert stored == 0
