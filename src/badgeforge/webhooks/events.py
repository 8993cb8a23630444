"""Event types and the outbox: an event is written in the transaction of its change.

:func:`emit` adds the :class:`WebhookEvent` and one pending delivery per enabled endpoint
of the organisation subscribed to its type, with the caller's session and without
committing: the change and its event are committed, or rolled back, together.
"""

from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.orm import Session

from badgeforge.awards.models import Award
from badgeforge.webhooks.models import (
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
    precise_now,
)


class EventType(StrEnum):
    """What endpoints can subscribe to."""

    AWARD_ISSUED = "award.issued"
    AWARD_REVOKED = "award.revoked"
    AWARD_EXPIRED = "award.expired"
    #: Defined for the badge class co-design workflow; not emitted yet.
    BADGE_CLASS_PUBLISHED = "badge_class.published"
    #: Defined for the badge class co-design workflow; not emitted yet.
    BADGE_CLASS_ARCHIVED = "badge_class.archived"


#: Sent only by ``POST /api/v1/webhook-endpoints/{id}/test``, whatever the subscription.
TEST_EVENT = "webhook.test"


def _isoformat(value: datetime | None) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value is not None else None


def message(event: WebhookEvent) -> dict[str, Any]:
    """The JSON body sent for ``event``: Standard Webhooks' ``type``, ``timestamp``, ``data``."""
    return {
        "type": event.type,
        "timestamp": _isoformat(event.created_at),
        "data": event.payload,
    }


def _queue(session: Session, event: WebhookEvent, endpoints: list[WebhookEndpoint]) -> None:
    for endpoint in endpoints:
        session.add(
            WebhookDelivery(
                organisation_id=event.organisation_id,
                event_id=event.id,
                endpoint_id=endpoint.id,
                next_attempt_at=event.created_at,
            )
        )


def emit(
    session: Session,
    organisation_id: UUID,
    event_type: str,
    payload: dict[str, Any],
    *,
    subject_id: UUID | None = None,
    now: datetime | None = None,
) -> WebhookEvent:
    """Record an event in the outbox and queue it for every subscribed, enabled endpoint."""
    event = WebhookEvent(
        organisation_id=organisation_id,
        type=event_type,
        subject_id=subject_id,
        payload=payload,
        created_at=now or precise_now(),
    )
    session.add(event)
    session.flush()
    endpoints = session.scalars(
        select(WebhookEndpoint).where(
            WebhookEndpoint.organisation_id == organisation_id,
            WebhookEndpoint.enabled.is_(True),
        )
    ).all()
    _queue(session, event, [e for e in endpoints if event_type in e.event_types])
    session.flush()
    return event


def queue_test(session: Session, endpoint: WebhookEndpoint) -> WebhookDelivery:
    """A ``webhook.test`` event queued for ``endpoint`` alone (enabled or not)."""
    event = WebhookEvent(
        organisation_id=endpoint.organisation_id,
        type=TEST_EVENT,
        payload={"endpoint_id": str(endpoint.id)},
        created_at=precise_now(),
    )
    session.add(event)
    session.flush()
    delivery = WebhookDelivery(
        organisation_id=endpoint.organisation_id,
        event_id=event.id,
        endpoint_id=endpoint.id,
        next_attempt_at=event.created_at,
    )
    session.add(delivery)
    session.flush()
    return delivery


def award_payload(award: Award, assertion_url: str | None = None) -> dict[str, Any]:
    """What an award event says about the award (its public URL when known)."""
    payload: dict[str, Any] = {
        "award_id": str(award.id),
        "badge_class_id": str(award.badge_class_id),
        "recipient_email": award.recipient_email,
        "issued_on": _isoformat(award.issued_on),
        "expires": _isoformat(award.expires_at),
    }
    if award.revoked_at is not None:
        payload["revoked_at"] = _isoformat(award.revoked_at)
        payload["revocation_reason"] = award.revocation_reason
    if assertion_url is not None:
        payload["assertion_url"] = assertion_url
    return payload


def award_event(
    session: Session,
    award: Award,
    event_type: EventType,
    *,
    assertion_url: str | None = None,
    now: datetime | None = None,
) -> WebhookEvent:
    """Emit ``event_type`` about ``award`` in the current transaction."""
    return emit(
        session,
        award.organisation_id,
        event_type,
        award_payload(award, assertion_url),
        subject_id=award.id,
        now=now,
    )
