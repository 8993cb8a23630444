"""Webhook fixtures: committed data (the worker uses its own sessions), tiny backoff.

The worker commits, so these tests get databases of their own (one per module and
backend), never the suite's shared one whose tests roll back.
"""

from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from uuid import UUID

import pytest
from sqlalchemy import Engine, update
from sqlalchemy.orm import Session, sessionmaker

from badgeforge.awards import service as award_service
from badgeforge.awards.models import Award
from badgeforge.awards.schemas import AwardCreate
from badgeforge.core.keys import KeyVault
from badgeforge.db import make_engine, make_sessionmaker
from badgeforge.jobs.worker import Worker
from badgeforge.migrate import upgrade
from badgeforge.settings import Settings
from badgeforge.signing.vault import vault_from_settings
from badgeforge.webhooks import service
from badgeforge.webhooks.models import WebhookDelivery, WebhookEndpoint
from badgeforge.webhooks.schemas import WebhookEndpointCreate
from tests.conftest import BACKENDS, TEST_BASE_URL, scratch_postgres_database
from tests.factories import Tenant, create_badge_class, create_issuer, create_tenant


def fast_settings(data_dir: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "data_dir": data_dir,
        "public_base_url": TEST_BASE_URL,
        "outbound_allow_loopback": True,
        "webhook_timeout_seconds": 1.0,
        "webhook_retry_delays_seconds": [0.05, 0.05],
        "worker_poll_seconds": 0.05,
        **overrides,
    }
    return Settings(**values)  # type: ignore[arg-type]


@dataclass
class Org:
    """A committed tenant with an issuer and a badge class, and helpers to act as it."""

    sessions: sessionmaker[Session]
    settings: Settings
    vault: KeyVault
    tenant: Tenant
    badge_class_id: UUID

    def endpoint(self, url: str, **fields: object) -> tuple[WebhookEndpoint, str]:
        with self.sessions() as session, session.begin():
            data = WebhookEndpointCreate(url=url, **fields)  # type: ignore[arg-type]
            return service.create(
                session, self.tenant.principal, data, settings=self.settings, vault=self.vault
            )

    def award(self, email: str = "camille@example.org") -> Award:
        data = AwardCreate(badge_class_id=self.badge_class_id, recipient_email=email)
        with self.sessions() as session, session.begin():
            award, _ = award_service.award(
                session, self.tenant.principal, data, vault=self.vault, base_url=TEST_BASE_URL
            )
            return award

    def worker(self) -> Worker:
        return Worker(self.sessions, self.settings)


@pytest.fixture(scope="module", params=BACKENDS)
def committed_engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    with ExitStack() as stack:
        if request.param == "sqlite":
            url = f"sqlite:///{tmp_path_factory.mktemp('webhooks') / 'w.db'}"
        else:
            url = stack.enter_context(scratch_postgres_database("webhooks"))
        upgrade(url)
        engine = make_engine(url)
        yield engine
        engine.dispose()


@pytest.fixture
def sessions(committed_engine: Engine) -> sessionmaker[Session]:
    return make_sessionmaker(committed_engine, writer=True)


@pytest.fixture
def org(sessions: sessionmaker[Session], tmp_path: Path) -> Iterator[Org]:
    settings = fast_settings(tmp_path)
    with sessions() as session, session.begin():
        tenant = create_tenant(session)
        issuer = create_issuer(session, tenant)
        badge_class = create_badge_class(session, tenant, settings, issuer.id)
    yield Org(sessions, settings, vault_from_settings(settings), tenant, badge_class.id)
    with sessions() as session, session.begin():  # leave no due work to later tests
        session.execute(
            update(WebhookDelivery)
            .where(WebhookDelivery.organisation_id == tenant.organisation_id)
            .values(status="failed", next_attempt_at=None)
        )
