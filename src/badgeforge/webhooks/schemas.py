"""Request and response shapes of the webhook API."""

from datetime import datetime
from typing import Annotated, Any, Self
from uuid import UUID

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, Strict, StrictBool

from badgeforge.fields import (
    WEB_URL_PATTERN,
    PartialUpdate,
    RequestModel,
    SchemaPattern,
    ShortText,
    WebUrl,
    json_integer,
)
from badgeforge.webhooks.events import EventType
from badgeforge.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint

MAX_OVERLAP_SECONDS = 7 * 86_400
WebhookUrl = Annotated[WebUrl, SchemaPattern(WEB_URL_PATTERN.replace("^https?://", "^https://"))]
"""What the schema promises: https (http to loopback is accepted too, in development only)."""
EventTypes = Annotated[
    list[EventType],
    Field(
        min_length=1,
        max_length=len(EventType),
        description="Events sent to this endpoint. `badge_class.published` and "
        "`badge_class.archived` are reserved for the co-design workflow (not sent yet).",
    ),
]


_ENDPOINT_ID = "9a4c1e2f-3b5d-4f6a-8c7e-1d2b3a4c5e6f"
_TIME = "2026-12-01T10:00:00Z"
_ENDPOINT: dict[str, Any] = {
    "id": _ENDPOINT_ID,
    "url": "https://si-formation.example.fr/badgeforge/webhooks",
    "description": "SI formation",
    "event_types": ["award.issued", "award.revoked", "award.expired"],
    "enabled": True,
    "disabled_at": None,
    "disabled_reason": None,
    "previous_secret_expires_at": None,
    "created_at": _TIME,
    "updated_at": _TIME,
}
_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"  # noqa: S105 - a documentation example
_DELIVERY: dict[str, Any] = {
    "id": "1b2c3d4e-5f60-4718-9a0b-c1d2e3f40516",
    "endpoint_id": _ENDPOINT_ID,
    "event_id": "0e1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b",
    "event_type": "award.issued",
    "status": "delivered",
    "attempts": 1,
    "next_attempt_at": None,
    "last_status_code": 200,
    "last_error": None,
    "delivered_at": _TIME,
    "created_at": _TIME,
    "log": [
        {"attempt": 1, "status_code": 200, "duration_ms": 84, "error": None, "started_at": _TIME}
    ],
}


class WebhookEndpointCreate(RequestModel):
    """A new webhook endpoint."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "url": "https://si-formation.example.fr/badgeforge/webhooks",
                    "event_types": ["award.issued", "award.revoked"],
                    "description": "SI formation",
                }
            ]
        }
    )

    url: WebhookUrl = Field(
        description="https URL receiving the POSTs (http only for loopback, in development)."
    )
    event_types: EventTypes = Field(
        default_factory=lambda: [
            EventType.AWARD_ISSUED,
            EventType.AWARD_REVOKED,
            EventType.AWARD_EXPIRED,
        ]
    )
    description: ShortText | None = None


class WebhookEndpointUpdate(PartialUpdate):
    """Changes to an endpoint; `enabled: true` re-enables one disabled after failures."""

    required_fields = ("url", "event_types", "enabled")

    model_config = ConfigDict(json_schema_extra={"examples": [{"enabled": True}]})

    url: WebhookUrl | None = None
    event_types: EventTypes | None = None
    description: ShortText | None = None
    enabled: StrictBool | None = None


class SecretRotation(RequestModel):
    """How long the previous secret keeps signing next to the new one."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"overlap_seconds": 86400}]})

    overlap_seconds: Annotated[
        int,
        Strict(),
        Field(ge=0, le=MAX_OVERLAP_SECONDS),
        BeforeValidator(json_integer),
    ] = 86_400


class WebhookEndpointRead(BaseModel):
    """A webhook endpoint (never its secret)."""

    model_config = ConfigDict(json_schema_extra={"examples": [_ENDPOINT]})

    id: UUID
    url: str
    description: str | None
    event_types: list[str]
    enabled: bool
    disabled_at: datetime | None = Field(description="When failures disabled it, if they did.")
    disabled_reason: str | None = Field(description="Why it was disabled, for its owner.")
    previous_secret_expires_at: datetime | None = Field(
        description="Until then the previous secret signs too (after a rotation)."
    )
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_model(cls, endpoint: WebhookEndpoint) -> Self:
        return cls.model_validate(endpoint, from_attributes=True)


class WebhookEndpointCreated(WebhookEndpointRead):
    """A new endpoint with its signing secret, shown this once."""

    model_config = ConfigDict(json_schema_extra={"examples": [{**_ENDPOINT, "secret": _SECRET}]})

    secret: str = Field(description="`whsec_…`: verify signatures with it (shown once).")


class SecretRotated(BaseModel):
    """The new signing secret (shown once) and the end of the overlap."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"id": _ENDPOINT_ID, "secret": _SECRET, "previous_secret_expires_at": _TIME}
            ]
        }
    )

    id: UUID
    secret: str
    previous_secret_expires_at: datetime | None


class AttemptRead(BaseModel):
    """One HTTP request of a delivery."""

    attempt: int
    status_code: int | None
    duration_ms: int
    error: str | None
    started_at: datetime

    @classmethod
    def from_model(cls, attempt: WebhookAttempt) -> Self:
        return cls.model_validate(attempt, from_attributes=True)


class DeliveryRead(BaseModel):
    """One event to one endpoint, with its attempts (newest first)."""

    model_config = ConfigDict(json_schema_extra={"examples": [_DELIVERY]})

    id: UUID
    endpoint_id: UUID
    event_id: UUID = Field(description="Sent as `webhook-id`, the same on every attempt.")
    event_type: str
    status: str = Field(description="`pending`, `delivered` or `failed`.")
    attempts: int
    next_attempt_at: datetime | None
    last_status_code: int | None
    last_error: str | None
    delivered_at: datetime | None
    created_at: datetime
    log: list[AttemptRead]

    @classmethod
    def of(cls, delivery: WebhookDelivery, event_type: str, log: list[WebhookAttempt]) -> Self:
        return cls(
            id=delivery.id,
            endpoint_id=delivery.endpoint_id,
            event_id=delivery.event_id,
            event_type=event_type,
            status=delivery.status,
            attempts=delivery.attempts,
            next_attempt_at=delivery.next_attempt_at,
            last_status_code=delivery.last_status_code,
            last_error=delivery.last_error,
            delivered_at=delivery.delivered_at,
            created_at=delivery.created_at,
            log=[AttemptRead.from_model(attempt) for attempt in log],
        )
