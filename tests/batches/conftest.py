"""Fixtures of the batch tests: a badge class to award, and a worker on the test's session."""

from collections.abc import Callable
from uuid import UUID

import pytest
from sqlalchemy.orm import Session, sessionmaker

from badgeforge.batches.worker import process_next
from badgeforge.db import utcnow
from badgeforge.settings import Settings
from tests.factories import Tenant, create_badge_class, create_issuer, create_tenant


@pytest.fixture
def tenant(session: Session) -> Tenant:
    return create_tenant(session)


@pytest.fixture
def badge_class_id(session: Session, tenant: Tenant, settings: Settings) -> UUID:
    issuer = create_issuer(session, tenant)
    return create_badge_class(session, tenant, settings, issuer.id).id


@pytest.fixture
def drain(session: Session, settings: Settings) -> Callable[[], int]:
    """Run the batch worker on the test's connection until no row is pending."""
    factory = sessionmaker(
        bind=session.connection(), join_transaction_mode="create_savepoint", expire_on_commit=False
    )

    def run() -> int:
        calls = 0
        while process_next(factory, settings, utcnow()):
            calls += 1
        return calls

    return run
