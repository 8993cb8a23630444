"""Response shape of audit events."""

from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, Field

from badgeforge.audit.models import AuditEvent


class AuditEventRead(BaseModel):
    """One change: who (API key), what (action), to which object, when, in which request."""

    id: UUID
    occurred_at: datetime
    action: str = Field(examples=["award.revoke"])
    object_type: str = Field(examples=["award"])
    object_id: UUID | None
    api_key_id: UUID | None
    api_key_name: str | None
    api_key_prefix: str | None = Field(description="The key's public prefix (never a secret).")
    request_id: str | None = Field(description="The request's X-Request-Id (also in the logs).")
    details: dict[str, Any] = Field(description="E.g. the fields an update changed.")

    @classmethod
    def from_model(cls, event: AuditEvent) -> "AuditEventRead":
        return cls(
            id=event.id,
            occurred_at=event.created_at,
            action=event.action,
            object_type=event.object_type,
            object_id=event.object_id,
            api_key_id=event.api_key_id,
            api_key_name=event.api_key_name,
            api_key_prefix=event.api_key_prefix,
            request_id=event.request_id,
            details=event.details or {},
        )
