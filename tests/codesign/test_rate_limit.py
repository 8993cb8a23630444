"""The co-design page is rate-limited per client address, like the other public pages."""

from pathlib import Path

from fastapi.testclient import TestClient

from badgeforge.app import create_app
from badgeforge.codesign import invitations
from badgeforge.codesign.models import Role
from badgeforge.db import make_engine, make_sessionmaker, utcnow
from badgeforge.migrate import upgrade
from badgeforge.settings import Settings
from tests.codesign.conftest import draft
from tests.factories import create_tenant


def test_a_client_past_its_quota_gets_429_with_retry_after(tmp_path: Path) -> None:
    settings = Settings(
        data_dir=tmp_path,
        public_base_url="http://testserver",
        rate_limit_verify="3/minute",
    )
    upgrade(settings.resolved_database_url)
    engine = make_engine(settings.resolved_database_url)
    try:
        with make_sessionmaker(engine)() as session, session.begin():
            tenant = create_tenant(session)
            badge_class = draft(session, tenant, settings, "Travailler en équipe")
            _, token = invitations.create(
                session,
                tenant.principal,
                badge_class.id,
                role=Role.COMMENTER,
                name="Léa",
                days=30,
                now=utcnow(),
            )
        with TestClient(create_app(settings, engine=engine)) as client:
            answers = [client.get(f"/co-design/{token}") for _ in range(4)]
    finally:
        engine.dispose()
    assert [answer.status_code for answer in answers] == [200, 200, 200, 429]
    assert answers[3].headers["ratelimit-policy"] == '"co-design";q=3;w=60'
    assert "retry-after" in answers[3].headers
