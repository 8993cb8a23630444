"""Deliveries to a real receiver that checks every signature with ``standardwebhooks``.

Fault injection: the receiver down, slow beyond the timeout, answering 500 then 200;
every event is delivered at least once and every attempt carries the event's id.
"""

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest
from sqlalchemy import func, select

from badgeforge.jobs.worker import Worker
from badgeforge.observability import WEBHOOK_DELIVERIES
from badgeforge.problems import Conflict
from badgeforge.webhooks import delivery, service
from badgeforge.webhooks.models import (
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)
from badgeforge.webhooks.schemas import WebhookEndpointUpdate
from tests.webhooks.conftest import Org
from tests.webhooks.receiver import Receiver, receiving


def run_until(worker: Worker, done: Callable[[], bool], timeout: float = 20.0) -> None:
    end = time.monotonic() + timeout
    while not done():
        assert time.monotonic() < end, "the worker did not get there in time"
        if not worker.run_once():
            time.sleep(0.02)


def delivery_of(org: Org, event_type: str = "award.issued") -> WebhookDelivery:
    with org.sessions() as session:
        return session.scalars(
            select(WebhookDelivery)
            .join(WebhookEvent, WebhookEvent.id == WebhookDelivery.event_id)
            .where(
                WebhookDelivery.organisation_id == org.tenant.organisation_id,
                WebhookEvent.type == event_type,
            )
        ).one()


def attempts(org: Org, delivery: WebhookDelivery) -> list[WebhookAttempt]:
    with org.sessions() as session:
        return list(
            session.scalars(
                select(WebhookAttempt)
                .where(WebhookAttempt.delivery_id == delivery.id)
                .order_by(WebhookAttempt.attempt)
            )
        )


class TestDelivery:
    def test_every_event_arrives_signed_with_the_event_id(self, org: Org) -> None:
        with receiving(Receiver(secrets=[])) as receiver:
            _, secret = org.endpoint(receiver.url)
            receiver.secrets.append(secret)
            awards = [org.award(f"learner{i}@example.org") for i in range(3)]
            worker = org.worker()
            run_until(worker, lambda: len(receiver.received) == 3)
            assert worker.drain() == 0
        assert all(item.verified_with == [0] for item in receiver.received)
        with org.sessions() as session:
            events = session.scalars(
                select(WebhookEvent).where(
                    WebhookEvent.organisation_id == org.tenant.organisation_id,
                    WebhookEvent.type == "award.issued",  # the badge class was published before
                )
            ).all()
        assert sorted(receiver.ids()) == sorted(str(event.id) for event in events)
        bodies = {item.body["data"]["award_id"] for item in receiver.received if item.body}
        assert bodies == {str(award.id) for award in awards}
        assert {item.body["type"] for item in receiver.received if item.body} == {"award.issued"}

    def test_500_then_200_retries_with_the_same_webhook_id(self, org: Org) -> None:
        answers = {0: 500, 1: 503}
        receiver = Receiver(secrets=[], answer=lambda n: (answers.get(n, 200), 0.0))
        failed = WEBHOOK_DELIVERIES.labels("failed")._value.get()
        delivered = WEBHOOK_DELIVERIES.labels("delivered")._value.get()
        with receiving(receiver):
            _, secret = org.endpoint(receiver.url)
            receiver.secrets.append(secret)
            org.award()
            run_until(org.worker(), lambda: delivery_of(org).status == "delivered")
        assert len(set(receiver.ids())) == 1
        assert len(receiver.received) == 3
        assert all(item.verified_with == [0] for item in receiver.received)
        assert WEBHOOK_DELIVERIES.labels("failed")._value.get() == failed + 2
        assert WEBHOOK_DELIVERIES.labels("delivered")._value.get() == delivered + 1
        delivery = delivery_of(org)
        assert receiver.ids()[0] == str(delivery.event_id)
        log = attempts(org, delivery)
        assert [(a.attempt, a.status_code) for a in log] == [(1, 500), (2, 503), (3, 200)]
        assert log[0].error == "the endpoint answered HTTP 500"

    def test_slow_receiver_times_out_then_is_retried(self, org: Org) -> None:
        receiver = Receiver(secrets=[], answer=lambda n: (200, 2.5 if n == 0 else 0.0))
        with receiving(receiver):
            _, secret = org.endpoint(receiver.url)
            receiver.secrets.append(secret)
            org.award()
            started = time.monotonic()
            run_until(org.worker(), lambda: delivery_of(org).status == "delivered")
        log = attempts(org, delivery_of(org))
        assert log[0].status_code is None
        assert "within 1 s" in (log[0].error or "")
        assert log[0].duration_ms < 2000
        assert time.monotonic() - started < 10
        assert log[-1].status_code == 200
        assert len(set(receiver.ids())) == 1

    def test_receiver_down_disables_the_endpoint_after_the_last_retry(self, org: Org) -> None:
        with receiving(Receiver(secrets=[])) as receiver:
            url = receiver.url
        endpoint, _ = org.endpoint(url)  # nothing listens there any more
        org.award()
        run_until(org.worker(), lambda: delivery_of(org).status == "failed")
        delivery = delivery_of(org)
        assert [a.attempt for a in attempts(org, delivery)] == [1, 2, 3]
        assert all(a.status_code is None and a.error for a in attempts(org, delivery))
        with org.sessions() as session:
            stored = session.get_one(WebhookEndpoint, endpoint.id)
        assert stored.enabled is False
        assert stored.disabled_at is not None
        assert "failed 3 times" in (stored.disabled_reason or "")
        assert stored.version == endpoint.version + 1  # a new ETag: a stale PATCH gets 412
        org.award("another@example.org")  # a disabled endpoint gets no new deliveries
        with org.sessions() as session:
            count = session.scalar(
                select(func.count()).where(WebhookDelivery.endpoint_id == endpoint.id)
            )
        assert count == 1

    def test_reenabled_endpoint_gets_pending_and_redelivered_events(self, org: Org) -> None:
        with receiving(Receiver(secrets=[])) as receiver:
            endpoint, secret = org.endpoint(receiver.url)
            receiver.secrets.append(secret)
            org.award()
            self._enable(org, endpoint.id, False)
            worker = org.worker()
            assert worker.run_once() is False
            assert receiver.received == []
            with pytest.raises(Conflict), org.sessions() as session, session.begin():
                service.redeliver(session, org.tenant.principal, delivery_of(org).id)
            self._enable(org, endpoint.id, True)
            run_until(worker, lambda: len(receiver.received) == 1)
            with org.sessions() as session, session.begin():
                service.redeliver(session, org.tenant.principal, delivery_of(org).id)
            run_until(worker, lambda: len(receiver.received) == 2)
        assert receiver.ids() == [str(delivery_of(org).event_id)] * 2
        assert [a.status_code for a in attempts(org, delivery_of(org))] == [200, 200]

    @staticmethod
    def _enable(org: Org, endpoint_id: UUID, enabled: bool) -> None:
        with org.sessions() as session, session.begin():
            service.update_endpoint(
                session,
                org.tenant.principal,
                endpoint_id,
                WebhookEndpointUpdate(enabled=enabled),
                settings=org.settings,
            )

    def test_rotation_overlap_signs_with_both_secrets(self, org: Org) -> None:
        with receiving(Receiver(secrets=[])) as receiver:
            endpoint, old = org.endpoint(receiver.url)
            with org.sessions() as session, session.begin():
                _, new = service.rotate_secret(
                    session, org.tenant.principal, endpoint.id, 3600, vault=org.vault
                )
            receiver.secrets.extend([old, new])
            org.award()
            run_until(org.worker(), lambda: len(receiver.received) == 1)
            with org.sessions() as session, session.begin():
                service.rotate_secret(
                    session, org.tenant.principal, endpoint.id, 0, vault=org.vault
                )
            org.award("second@example.org")
            run_until(org.worker(), lambda: len(receiver.received) == 2)
        overlap, after = receiver.received
        assert overlap.verified_with == [0, 1]
        assert overlap.signatures == 2
        assert after.verified_with == []
        assert after.signatures == 1

    def test_a_lost_lease_is_logged_but_changes_nothing(self, org: Org) -> None:
        """A stalled worker whose lease expired: another one delivered meanwhile."""
        with receiving(Receiver(secrets=[])) as receiver:
            _, secret = org.endpoint(receiver.url)
            receiver.secrets.append(secret)
            org.award()
            now = datetime.now(UTC)
            with org.sessions() as session, session.begin():
                (stalled,) = delivery._claim(session, org.settings, org.vault, now)
            other = org.worker()
            other.clock = lambda: now + delivery.lease_for(org.settings) + timedelta(seconds=1)
            assert other.run_once() is True
            outcome = delivery.send(delivery._sender(True, 1.0), stalled)
            with org.sessions() as session, session.begin():
                delivery._record(session, org.settings, stalled, outcome, now)
        assert receiver.ids() == [str(stalled.event_id)] * 2
        assert delivery_of(org).status == "delivered"
        assert [a.attempt for a in attempts(org, delivery_of(org))] == [1, 2]
