"""The webhook work source of the worker: claim due deliveries, POST them, record outcomes.

Each round leases up to ``webhook_concurrency`` due deliveries (``jobs.queue``), sends
them in parallel outside any transaction, then records each attempt. The ``webhook-id``
is the event's id, the same on every retry and redelivery. A failed attempt is retried
after the next delay of ``webhook_retry_delays_seconds`` (+/-20% jitter); when the last
one fails, the delivery is ``failed`` and its endpoint disabled, with the reason on the
endpoint and an audit log line. A lease outlives one attempt (twice the timeout plus
5 s); a worker killed mid-delivery leaves it to expire, then another worker retries.
"""

import json
import logging
import random
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from uuid import UUID

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from badgeforge.core.keys import KeyVault
from badgeforge.jobs.queue import claim, due, holds_lease
from badgeforge.observability import WEBHOOK_DELIVERIES
from badgeforge.settings import Settings
from badgeforge.signing.vault import vault_from_settings
from badgeforge.webhooks import signing
from badgeforge.webhooks.events import message
from badgeforge.webhooks.models import (
    DeliveryStatus,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)
from badgeforge.webhooks.sender import Outcome, Sender

logger = logging.getLogger(__name__)
audit = logging.getLogger("badgeforge.audit")
JITTER = 0.2


@dataclass(frozen=True)
class Job:
    """A claimed delivery, ready to send: everything read inside the claim's transaction."""

    delivery_id: UUID
    organisation_id: UUID
    endpoint_id: UUID
    token: str
    attempt: int
    retries: int
    url: str
    event_id: UUID
    event_type: str
    body: str
    secrets: tuple[str, ...]


def lease_for(settings: Settings) -> timedelta:
    """How long a claimed delivery stays with its worker (longer than any attempt)."""
    return timedelta(seconds=2 * settings.webhook_timeout_seconds + 5)


def retry_delay(settings: Settings, retries: int) -> float | None:
    """Seconds before retry number ``retries + 1``, jittered; None when none is left."""
    delays = settings.webhook_retry_delays_seconds
    if retries >= len(delays):
        return None
    return delays[retries] * random.uniform(1 - JITTER, 1 + JITTER)  # noqa: S311 - jitter


def signing_secrets(vault: KeyVault, endpoint: WebhookEndpoint, now: datetime) -> tuple[str, ...]:
    """The endpoint's secret, and the previous one while the rotation overlap lasts."""
    current = signing.unseal(vault, endpoint.secret_sealed)
    previous = endpoint.previous_secret_sealed
    expires = endpoint.previous_secret_expires_at
    if previous is not None and expires is not None and expires > now:
        return (current, signing.unseal(vault, previous))
    return (current,)


def _claim(session: Session, settings: Settings, vault: KeyVault, now: datetime) -> list[Job]:
    enabled = select(WebhookEndpoint.id).where(WebhookEndpoint.enabled.is_(True))
    statement = (
        select(WebhookDelivery)
        .where(
            WebhookDelivery.status == DeliveryStatus.PENDING,
            due(WebhookDelivery, now),
            WebhookDelivery.endpoint_id.in_(enabled),
        )
        .order_by(WebhookDelivery.next_attempt_at)
    )
    claimed = claim(
        session, statement, now, lease=lease_for(settings), limit=settings.webhook_concurrency
    )
    jobs = []
    for delivery, token in claimed:
        delivery.attempts += 1
        event = session.get_one(WebhookEvent, delivery.event_id)
        endpoint = session.get_one(WebhookEndpoint, delivery.endpoint_id)
        jobs.append(
            Job(
                delivery_id=delivery.id,
                organisation_id=delivery.organisation_id,
                endpoint_id=endpoint.id,
                token=token,
                attempt=delivery.attempts,
                retries=delivery.retries,
                url=endpoint.url,
                event_id=event.id,
                event_type=event.type,
                body=json.dumps(message(event), ensure_ascii=False, separators=(",", ":")),
                secrets=signing_secrets(vault, endpoint, now),
            )
        )
    session.flush()
    return jobs


def send(sender: Sender, job: Job) -> Outcome:
    """POST ``job``, signed now with each of its secrets."""
    headers = signing.headers(str(job.event_id), job.body, job.secrets)
    return sender.post(job.url, job.body.encode("utf-8"), headers)


def _disable(session: Session, job: Job, outcome: Outcome, now: datetime) -> None:
    reason = (
        f"Disabled at {now.isoformat(timespec='seconds')}: delivery {job.delivery_id} "
        f"({job.event_type}) failed {job.retries + 1} times; last error: {outcome.error}. "
        "Fix the endpoint, then re-enable it with PATCH (enabled: true)."
    )
    changed = session.execute(
        update(WebhookEndpoint)
        .where(WebhookEndpoint.id == job.endpoint_id, WebhookEndpoint.enabled.is_(True))
        .values(
            enabled=False,
            disabled_at=now,
            disabled_reason=reason,
            updated_at=now,
            version=WebhookEndpoint.version + 1,
        )
    )
    if getattr(changed, "rowcount", 0):
        audit.warning(
            "webhook endpoint disabled: organisation=%s endpoint=%s reason=%s",
            job.organisation_id,
            job.endpoint_id,
            reason,
        )


def _record(
    session: Session, settings: Settings, job: Job, outcome: Outcome, started: datetime
) -> None:
    now = started + timedelta(milliseconds=outcome.duration_ms)
    session.add(
        WebhookAttempt(
            organisation_id=job.organisation_id,
            delivery_id=job.delivery_id,
            endpoint_id=job.endpoint_id,
            attempt=job.attempt,
            status_code=outcome.status_code,
            duration_ms=outcome.duration_ms,
            error=outcome.error,
            started_at=started,
        )
    )
    result: dict[str, object] = {
        "last_status_code": outcome.status_code,
        "last_error": outcome.error,
    }
    if outcome.delivered:
        result |= {"status": DeliveryStatus.DELIVERED, "delivered_at": now, "next_attempt_at": None}
        WEBHOOK_DELIVERIES.labels("delivered").inc()
    elif (delay := retry_delay(settings, job.retries)) is not None:
        result |= {"retries": job.retries + 1, "next_attempt_at": now + timedelta(seconds=delay)}
        WEBHOOK_DELIVERIES.labels("failed").inc()
    else:
        result |= {"status": DeliveryStatus.FAILED, "next_attempt_at": None}
        WEBHOOK_DELIVERIES.labels("gave_up").inc()
    if not holds_lease(session, WebhookDelivery, job.delivery_id, job.token, **result):
        logger.warning("webhook delivery %s: lease lost, outcome logged only", job.delivery_id)
    elif result.get("status") == DeliveryStatus.FAILED:
        _disable(session, job, outcome, now)


@lru_cache(maxsize=4)
def _sender(allow_loopback: bool, timeout: float) -> Sender:
    return Sender(allow_loopback=allow_loopback, timeout=timeout)


@lru_cache(maxsize=4)
def _vault(settings_json: str) -> KeyVault:
    return vault_from_settings(Settings.model_validate_json(settings_json))


_pools: dict[int, ThreadPoolExecutor] = {}
_pools_lock = threading.Lock()


def _pool(size: int) -> ThreadPoolExecutor:
    with _pools_lock:
        if size not in _pools:
            _pools[size] = ThreadPoolExecutor(size, thread_name_prefix="badgeforge-webhook")
        return _pools[size]


def deliver_webhooks(sessions: sessionmaker[Session], settings: Settings, now: datetime) -> bool:
    """Work source: one round of due deliveries; True if there were any."""
    vault = _vault(settings.model_dump_json(include={"master_keys", "data_dir"}))
    with sessions() as session, session.begin():
        jobs = _claim(session, settings, vault, now)
    if not jobs:
        return False
    sender = _sender(settings.outbound_allow_loopback, settings.webhook_timeout_seconds)
    outcomes = list(_pool(settings.webhook_concurrency).map(lambda job: send(sender, job), jobs))
    with sessions() as session, session.begin():
        for job, outcome in zip(jobs, outcomes, strict=True):
            _record(session, settings, job, outcome, now)
    return True
