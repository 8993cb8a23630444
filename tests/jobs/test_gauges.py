"""The queue gauges of /metrics follow the pending batch rows and webhook deliveries."""

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from badgeforge.db import utcnow
from badgeforge.jobs import gauges
from badgeforge.jobs.gauges import INTERVAL, observe_queues
from badgeforge.observability import BATCH_ROWS_PENDING, BATCHES_RUNNING, QUEUE_DEPTH
from badgeforge.settings import Settings
from tests.factories import create_badge_class, create_issuer, create_tenant


def test_gauges_count_what_is_waiting(
    client: TestClient, session: Session, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(gauges, "_last", {})  # no observation made before this test
    tenant = create_tenant(session)
    issuer = create_issuer(session, tenant)
    badge_class = create_badge_class(session, tenant, settings, issuer.id)
    rows = [{"recipient_email": f"apprenant{i}@example.org"} for i in range(4)]
    created = client.post(
        "/api/v1/award-batches",
        json={"badge_class_id": str(badge_class.id), "rows": rows},
        headers=tenant.headers,
    )
    assert created.status_code == 202, created.text
    factory = sessionmaker(bind=session.connection(), join_transaction_mode="create_savepoint")
    now = utcnow()
    assert observe_queues(factory, settings, now) is False  # it never has work of its own
    assert BATCH_ROWS_PENDING._value.get() == 4
    assert BATCHES_RUNNING._value.get() == 1
    assert QUEUE_DEPTH.labels("batch_rows")._value.get() == 4
    assert QUEUE_DEPTH.labels("webhook_deliveries")._value.get() == 0
    BATCH_ROWS_PENDING.set(-1)
    observe_queues(factory, settings, now + INTERVAL / 2)  # too soon: not counted again
    assert BATCH_ROWS_PENDING._value.get() == -1
