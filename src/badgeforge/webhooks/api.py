"""HTTP API of webhook endpoints and their delivery log."""

from typing import Annotated
from uuid import UUID

from fastapi import Query, Request, Response, status
from fastapi.responses import JSONResponse

from badgeforge.audit.service import record as audit
from badgeforge.db import SessionDep
from badgeforge.deps import SettingsDep, VaultDep
from badgeforge.etags import ETAG_HEADER, IfMatch, set_etag
from badgeforge.idempotency import IdempotencyKey, Sealed, idempotent
from badgeforge.pagination import Page, PageDep
from badgeforge.problems import (
    BadRequest,
    Conflict,
    NotFound,
    PreconditionFailed,
    UnprocessableContent,
    problem_responses,
)
from badgeforge.routing import api_router
from badgeforge.security import ManageAccess, ReadAccess
from badgeforge.webhooks import service
from badgeforge.webhooks.models import DeliveryStatus, WebhookDelivery
from badgeforge.webhooks.schemas import (
    DeliveryRead,
    SecretRotated,
    SecretRotation,
    WebhookEndpointCreate,
    WebhookEndpointCreated,
    WebhookEndpointRead,
    WebhookEndpointUpdate,
)

router = api_router("/api/v1", "webhooks")
ENDPOINT = "/webhook-endpoints/{endpoint_id}"


def _delivery(session: SessionDep, delivery: WebhookDelivery) -> DeliveryRead:
    event_type = service.event_types(session, [delivery])[delivery.event_id]
    return DeliveryRead.of(
        delivery, event_type, service.attempts_of(session, [delivery])[delivery.id]
    )


@router.post(
    "/webhook-endpoints",
    status_code=status.HTTP_201_CREATED,
    response_model=WebhookEndpointCreated,
    summary="Create a webhook endpoint",
    responses=problem_responses(UnprocessableContent),
)
def create_endpoint(
    request: Request,
    response: Response,
    body: WebhookEndpointCreate,
    session: SessionDep,
    principal: ManageAccess,
    settings: SettingsDep,
    vault: VaultDep,
    idempotency_key: IdempotencyKey = None,
) -> WebhookEndpointCreated | JSONResponse:
    """Subscribe a URL to events; the answer shows its `whsec_` signing secret, once.

    Needs the `manage` scope. Deliveries follow Standard Webhooks (`webhook-id`,
    `webhook-timestamp`, `webhook-signature`). An `Idempotency-Key` makes a retry safe: it
    gets the same endpoint and secret back (the stored answer is encrypted under the master
    keys, for 24 hours).
    """

    def create() -> WebhookEndpointCreated:
        endpoint, secret = service.create(session, principal, body, settings=settings, vault=vault)
        audit(session, principal, "webhook_endpoint.create", "webhook_endpoint", endpoint.id)
        read = WebhookEndpointRead.from_model(endpoint)
        return WebhookEndpointCreated(**read.model_dump(), secret=secret)

    response.headers["Cache-Control"] = "no-store"  # the secret must not sit in any cache
    return idempotent(
        request,
        session,
        principal,
        idempotency_key,
        body,
        create,
        status_code=status.HTTP_201_CREATED,
        sealed=Sealed(("secret",), vault.master_keys),
    )


@router.get(
    "/webhook-endpoints",
    summary="List webhook endpoints",
    responses=problem_responses(BadRequest),
)
def list_endpoints(
    session: SessionDep, principal: ReadAccess, page: PageDep
) -> Page[WebhookEndpointRead]:
    """Your organisation's webhook endpoints, oldest first (never their secrets)."""
    found = service.list_endpoints(session, principal, page)
    return Page.of([WebhookEndpointRead.from_model(e) for e in found.rows], found, page)


@router.get(
    ENDPOINT,
    summary="Get a webhook endpoint",
    responses={**problem_responses(NotFound), 200: {"headers": ETAG_HEADER}},
)
def get_endpoint(
    endpoint_id: UUID, session: SessionDep, principal: ReadAccess, response: Response
) -> WebhookEndpointRead:
    """One endpoint; `disabled_reason` says why failures disabled it, if they did.

    Its `ETag` is the version to send in `If-Match` when you update it or rotate its secret.
    """
    endpoint = service.get(session, principal, endpoint_id)
    set_etag(response, endpoint.id, endpoint.version)
    return WebhookEndpointRead.from_model(endpoint)


@router.patch(
    ENDPOINT,
    summary="Update a webhook endpoint",
    responses={
        **problem_responses(NotFound, UnprocessableContent, PreconditionFailed),
        200: {"headers": ETAG_HEADER},
    },
)
def update_endpoint(
    endpoint_id: UUID,
    body: WebhookEndpointUpdate,
    session: SessionDep,
    principal: ManageAccess,
    settings: SettingsDep,
    response: Response,
    if_match: IfMatch = None,
) -> WebhookEndpointRead:
    """Change the URL, events or description; `enabled: true` re-enables a disabled endpoint.

    Send the `ETag` of the version you edited in `If-Match`: if the endpoint changed since
    (an update, a secret rotation, or failures disabling it), nothing is changed and the
    answer is `412` (without `If-Match`, last write wins).
    """
    endpoint = service.update_endpoint(
        session, principal, endpoint_id, body, settings=settings, if_match=if_match
    )
    changed = sorted(body.model_fields_set)
    audit(
        session,
        principal,
        "webhook_endpoint.update",
        "webhook_endpoint",
        endpoint.id,
        fields=changed,
    )
    set_etag(response, endpoint.id, endpoint.version)
    return WebhookEndpointRead.from_model(endpoint)


@router.delete(
    ENDPOINT,
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete a webhook endpoint",
    responses=problem_responses(NotFound),
)
def delete_endpoint(endpoint_id: UUID, session: SessionDep, principal: ManageAccess) -> None:
    """Delete an endpoint, its pending deliveries and its log."""
    service.delete(session, principal, endpoint_id)
    audit(session, principal, "webhook_endpoint.delete", "webhook_endpoint", endpoint_id)


@router.post(
    f"{ENDPOINT}/rotate-secret",
    summary="Rotate a webhook endpoint's secret",
    responses={**problem_responses(NotFound, PreconditionFailed), 200: {"headers": ETAG_HEADER}},
)
def rotate_secret(
    endpoint_id: UUID,
    body: SecretRotation,
    session: SessionDep,
    principal: ManageAccess,
    vault: VaultDep,
    response: Response,
    if_match: IfMatch = None,
) -> SecretRotated:
    """A new signing secret (shown once); the old one also signs during `overlap_seconds`.

    A rotation is a new version of the endpoint (a new `ETag`). With `If-Match`, a rotation
    from a version someone changed since (say, rotated already) is refused with `412`.
    """
    endpoint, secret = service.rotate_secret(
        session, principal, endpoint_id, body.overlap_seconds, vault=vault, if_match=if_match
    )
    audit(session, principal, "webhook_endpoint.rotate_secret", "webhook_endpoint", endpoint.id)
    response.headers["Cache-Control"] = "no-store"  # the secret must not sit in any cache
    set_etag(response, endpoint.id, endpoint.version)
    return SecretRotated(
        id=endpoint.id,
        secret=secret,
        previous_secret_expires_at=endpoint.previous_secret_expires_at,
    )


@router.post(
    f"{ENDPOINT}/test",
    status_code=status.HTTP_202_ACCEPTED,
    summary="Send a test event",
    responses=problem_responses(NotFound, Conflict),
)
def test_endpoint(endpoint_id: UUID, session: SessionDep, principal: ManageAccess) -> DeliveryRead:
    """Queue a signed `webhook.test` event for this endpoint; its log shows the outcome."""
    return _delivery(session, service.send_test(session, principal, endpoint_id))


@router.get(
    f"{ENDPOINT}/deliveries",
    summary="List a webhook endpoint's deliveries",
    responses=problem_responses(NotFound, BadRequest),
)
def list_deliveries(
    endpoint_id: UUID,
    session: SessionDep,
    principal: ReadAccess,
    page: PageDep,
    delivery_status: Annotated[DeliveryStatus | None, Query(alias="status")] = None,
) -> Page[DeliveryRead]:
    """The delivery log, newest first: event, attempts, status codes, durations, errors."""
    found = service.list_deliveries(session, principal, endpoint_id, page, status=delivery_status)
    deliveries = found.rows
    types = service.event_types(session, deliveries)
    logs = service.attempts_of(session, deliveries)
    items = [DeliveryRead.of(d, types[d.event_id], logs[d.id]) for d in deliveries]
    return Page.of(items, found, page)


@router.post(
    "/webhook-deliveries/{delivery_id}/redeliver",
    status_code=status.HTTP_202_ACCEPTED,
    summary="Redeliver a webhook",
    responses=problem_responses(NotFound, Conflict),
)
def redeliver(delivery_id: UUID, session: SessionDep, principal: ManageAccess) -> DeliveryRead:
    """Send a delivery again (same `webhook-id`), with a fresh retry schedule."""
    delivery = service.redeliver(session, principal, delivery_id)
    audit(session, principal, "webhook_delivery.redeliver", "webhook_delivery", delivery.id)
    return _delivery(session, delivery)
