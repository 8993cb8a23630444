"""Response shape of audit events."""

from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from badgeforge.audit.models import AuditEvent


class AuditEventRead(BaseModel):
    """One change: who (API key), what (action), to which object, when, in which request."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "3f9c2b1e-6a4d-4e8f-b7c0-5d1a2e3f4b60",
                    "occurred_at": "2026-12-01T10:00:00Z",
                    "action": "award.revoke",
                    "object_type": "award",
                    "object_id": "5d2e8c1a-7b3f-4e9d-a6c0-1f4b8e2d9a73",
                    "api_key_id": "8c1f0d2e-4b6a-4f3e-9d7c-2a5b8e1f0c3d",
                    "api_key_name": "SI formation",
                    "api_key_prefix": "3fa85f6457c4",
                    "request_id": "0b2f6c9e1d4a4b7e",
                    "details": {"reason": "Attribué par erreur."},
                }
            ]
        }
    )

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
