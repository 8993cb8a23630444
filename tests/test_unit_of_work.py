"""Writes are transactional: a request either commits all its work before answering, or none."""

from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from badgeforge.access import service as access_service
from badgeforge.access.models import Organisation
from badgeforge.app import create_app
from badgeforge.db import SessionDep, make_engine, make_sessionmaker
from badgeforge.migrate import upgrade
from badgeforge.problems import Conflict
from badgeforge.settings import Settings


def count_organisations(url: str) -> int:
    engine = make_engine(url)
    with make_sessionmaker(engine)() as session:
        total = session.scalar(select(func.count()).select_from(Organisation)) or 0
    engine.dispose()
    return total


def test_failed_request_leaves_nothing_and_successful_one_is_committed(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    url = settings.resolved_database_url
    upgrade(url)
    app = create_app(settings)

    @app.post("/half-done")
    def half_done(session: SessionDep) -> None:
        access_service.create_organisation(session, "written then refused")
        raise Conflict("refused after a write")

    @app.post("/done", status_code=201)
    def done(session: SessionDep) -> None:
        access_service.create_organisation(session, "written")

    with TestClient(app) as client:
        assert client.post("/half-done").status_code == 409
        assert count_organisations(url) == 0
        assert client.post("/done").status_code == 201
        assert count_organisations(url) == 1
