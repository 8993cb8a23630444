"""Webhook endpoints and their delivery log, scoped to the caller's organisation.

Services flush, the request commits: an endpoint and its sealed secret, a rotation, a
queued test event or a redelivery are stored with the request's unit of work.
"""

from datetime import datetime, timedelta
from ipaddress import ip_address
from urllib.parse import urlsplit
from uuid import UUID

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from badgeforge.core.fetching import FetchError
from badgeforge.core.keys import KeyVault
from badgeforge.db import RowLock, utcnow
from badgeforge.etags import check_if_match
from badgeforge.outbound.network import GuardedBackend
from badgeforge.pagination import PageParams, Slice, keyset_page
from badgeforge.problems import Conflict, UnprocessableContent
from badgeforge.security import Principal
from badgeforge.settings import Settings
from badgeforge.tenancy import ScopedRepository
from badgeforge.webhooks import events, signing
from badgeforge.webhooks.models import (
    DeliveryStatus,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)
from badgeforge.webhooks.schemas import WebhookEndpointCreate, WebhookEndpointUpdate


class EndpointRepository(ScopedRepository[WebhookEndpoint]):
    model = WebhookEndpoint
    label = "webhook endpoint"


class DeliveryRepository(ScopedRepository[WebhookDelivery]):
    model = WebhookDelivery
    label = "webhook delivery"


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_url(url: str, settings: Settings) -> str:
    """``url`` if webhooks may be sent to it: https, or http to loopback in development."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.username or parts.password:
        raise UnprocessableContent("'url' must not carry a user name or password.")
    local = settings.outbound_allow_loopback and _is_loopback(host)
    if parts.scheme != "https" and not local:
        raise UnprocessableContent(
            "'url' must be https (http is accepted only for loopback, when "
            "BADGEFORGE_OUTBOUND_ALLOW_LOOPBACK is set)."
        )
    try:
        backend = GuardedBackend(allow_loopback=settings.outbound_allow_loopback)
        backend.check_literal(host if host != "localhost" else "127.0.0.1")
    except FetchError as error:
        raise UnprocessableContent(f"'url' cannot receive webhooks: {error}") from None
    return url


def _types(values: list[events.EventType]) -> list[str]:
    return list(dict.fromkeys(str(value) for value in values))


def create(
    session: Session,
    principal: Principal,
    data: WebhookEndpointCreate,
    *,
    settings: Settings,
    vault: KeyVault,
) -> tuple[WebhookEndpoint, str]:
    """A new endpoint and its signing secret (returned once, stored sealed)."""
    secret = signing.new_secret()
    endpoint = WebhookEndpoint(
        url=check_url(data.url, settings),
        description=data.description,
        event_types=_types(data.event_types),
        secret_sealed=signing.seal(vault, secret),
        enabled=True,
    )
    return EndpointRepository(session, principal).add(endpoint), secret


def list_endpoints(
    session: Session, principal: Principal, params: PageParams
) -> Slice[WebhookEndpoint]:
    """The organisation's endpoints, oldest first."""
    statement = EndpointRepository(session, principal).scoped()
    return keyset_page(
        session,
        statement,
        params,
        created_at=WebhookEndpoint.created_at,
        id=WebhookEndpoint.id,
        list_key="webhook-endpoints",
    )


def get(session: Session, principal: Principal, endpoint_id: UUID) -> WebhookEndpoint:
    """One endpoint of the organisation, or NotFound."""
    return EndpointRepository(session, principal).get(endpoint_id)


def update_endpoint(
    session: Session,
    principal: Principal,
    endpoint_id: UUID,
    data: WebhookEndpointUpdate,
    *,
    settings: Settings,
    if_match: str | None = None,
) -> WebhookEndpoint:
    """Change an endpoint if it is still the version ``if_match`` names (locked first).

    Re-enabling it retries its pending deliveries from now on.
    """
    endpoint = _locked(session, principal, endpoint_id, if_match)
    now = utcnow()
    fields = data.model_fields_set
    if "url" in fields and data.url is not None:
        endpoint.url = check_url(data.url, settings)
    if "event_types" in fields and data.event_types is not None:
        endpoint.event_types = _types(data.event_types)
    if "description" in fields:
        endpoint.description = data.description
    if data.enabled is True and not endpoint.enabled:
        endpoint.enabled, endpoint.disabled_at, endpoint.disabled_reason = True, None, None
        _restart_pending(session, endpoint, now)
    elif data.enabled is False and endpoint.enabled:
        endpoint.enabled, endpoint.disabled_at = False, now
        endpoint.disabled_reason = "Disabled by its owner."
    endpoint.updated_at = now
    endpoint.version += 1
    session.flush()
    return endpoint


def _locked(
    session: Session, principal: Principal, endpoint_id: UUID, if_match: str | None
) -> WebhookEndpoint:
    """The endpoint, row-locked, if ``if_match`` allows changing it (else 412)."""
    endpoint = EndpointRepository(session, principal).get(endpoint_id, lock=RowLock.NO_KEY_UPDATE)
    check_if_match(if_match, endpoint.id, endpoint.version)
    return endpoint


def _restart_pending(session: Session, endpoint: WebhookEndpoint, now: datetime) -> None:
    session.execute(
        update(WebhookDelivery)
        .where(
            WebhookDelivery.endpoint_id == endpoint.id,
            WebhookDelivery.status == DeliveryStatus.PENDING,
        )
        .values(retries=0, next_attempt_at=now)
        .execution_options(synchronize_session=False)
    )


def delete(session: Session, principal: Principal, endpoint_id: UUID) -> None:
    """Delete an endpoint with its queue and log: nothing more is sent to it."""
    endpoint = EndpointRepository(session, principal).get(endpoint_id, lock=RowLock.UPDATE)
    session.delete(endpoint)
    session.flush()


def rotate_secret(
    session: Session,
    principal: Principal,
    endpoint_id: UUID,
    overlap_seconds: int,
    *,
    vault: KeyVault,
    if_match: str | None = None,
) -> tuple[WebhookEndpoint, str]:
    """A new secret; the current one keeps signing too for ``overlap_seconds``.

    Refused (412) if ``if_match`` names an older version of the endpoint.
    """
    endpoint = _locked(session, principal, endpoint_id, if_match)
    now = utcnow()
    secret = signing.new_secret()
    if overlap_seconds:
        endpoint.previous_secret_sealed = endpoint.secret_sealed
        endpoint.previous_secret_expires_at = now + timedelta(seconds=overlap_seconds)
    else:
        endpoint.previous_secret_sealed = endpoint.previous_secret_expires_at = None
    endpoint.secret_sealed = signing.seal(vault, secret)
    endpoint.updated_at = now
    endpoint.version += 1
    session.flush()
    return endpoint, secret


def _enabled(endpoint: WebhookEndpoint) -> None:
    if not endpoint.enabled:
        raise Conflict(
            "This webhook endpoint is disabled; re-enable it with PATCH (enabled: true) first.",
            disabled_reason=endpoint.disabled_reason,
        )


def send_test(session: Session, principal: Principal, endpoint_id: UUID) -> WebhookDelivery:
    """Queue a ``webhook.test`` event for this endpoint (the worker sends it at once)."""
    endpoint = EndpointRepository(session, principal).get(endpoint_id, lock=RowLock.KEY_SHARE)
    _enabled(endpoint)
    return events.queue_test(session, endpoint)


def event_types(session: Session, deliveries: list[WebhookDelivery]) -> dict[UUID, str]:
    """The type of each delivery's event, by event id."""
    ids = {delivery.event_id for delivery in deliveries}
    if not ids:
        return {}
    rows = session.execute(
        select(WebhookEvent.id, WebhookEvent.type).where(WebhookEvent.id.in_(ids))
    )
    return {row.id: row.type for row in rows}


def attempts_of(
    session: Session, deliveries: list[WebhookDelivery]
) -> dict[UUID, list[WebhookAttempt]]:
    """Each delivery's attempts, newest first."""
    logs: dict[UUID, list[WebhookAttempt]] = {delivery.id: [] for delivery in deliveries}
    if logs:
        statement = (
            select(WebhookAttempt)
            .where(WebhookAttempt.delivery_id.in_(logs))
            .order_by(WebhookAttempt.started_at.desc(), WebhookAttempt.attempt.desc())
        )
        for attempt in session.scalars(statement):
            logs[attempt.delivery_id].append(attempt)
    return logs


def list_deliveries(
    session: Session,
    principal: Principal,
    endpoint_id: UUID,
    params: PageParams,
    *,
    status: DeliveryStatus | None = None,
) -> Slice[WebhookDelivery]:
    """An endpoint's deliveries, newest first."""
    get(session, principal, endpoint_id)
    statement = DeliveryRepository(session, principal).scoped()
    statement = statement.where(WebhookDelivery.endpoint_id == endpoint_id)
    if status is not None:
        statement = statement.where(WebhookDelivery.status == status)
    return keyset_page(
        session,
        statement,
        params,
        created_at=WebhookDelivery.created_at,
        id=WebhookDelivery.id,
        list_key=f"webhook-deliveries:{endpoint_id}",
        filters={"status": status},
        descending=True,
    )


def redeliver(session: Session, principal: Principal, delivery_id: UUID) -> WebhookDelivery:
    """Queue a delivery again now, with a fresh retry schedule and the same ``webhook-id``."""
    delivery = DeliveryRepository(session, principal).get(delivery_id, lock=RowLock.NO_KEY_UPDATE)
    _enabled(session.get_one(WebhookEndpoint, delivery.endpoint_id))
    delivery.status = DeliveryStatus.PENDING
    delivery.retries = 0
    delivery.next_attempt_at = utcnow()
    session.flush()
    return delivery
