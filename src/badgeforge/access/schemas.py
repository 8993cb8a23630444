"""Request and response shapes of the API key endpoints."""

from datetime import datetime
from typing import Any, Self
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from badgeforge.access.models import ApiKey, Organisation
from badgeforge.fields import Name, RequestModel
from badgeforge.security import SCOPE_DESCRIPTIONS, Scope


class ApiKeyCreate(RequestModel):
    """A new API key for a partner platform or a staff member."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"name": "Plateforme LMS", "scopes": ["issue"]}]},
    )

    name: Name = Field(description="Who or what uses the key, to tell keys apart.")
    scopes: list[Scope] = Field(
        min_length=1,
        max_length=4,
        description="; ".join(f"`{scope}`: {text}" for scope, text in SCOPE_DESCRIPTIONS.items()),
    )


KEY_EXAMPLE: dict[str, Any] = {
    "id": "9a4c2e6f-1b3d-4f5a-8c7e-2d4f6a8b0c1e",
    "name": "Plateforme LMS",
    "prefix": "3f9a1c7e5b2d",
    "scopes": ["issue"],
    "created_at": "2026-11-26T10:00:00Z",
    "last_used_at": None,
    "revoked_at": None,
}


class ApiKeyRead(BaseModel):
    """An API key, without its secret."""

    model_config = ConfigDict(json_schema_extra={"examples": [KEY_EXAMPLE]})

    id: UUID
    name: str
    prefix: str = Field(description="The visible part of the key: bf_<prefix>_…")
    scopes: list[str]
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None

    @classmethod
    def from_model(cls, key: ApiKey) -> Self:
        return cls(
            id=key.id,
            name=key.name,
            prefix=key.prefix,
            scopes=list(key.scopes),
            created_at=key.created_at,
            last_used_at=key.last_used_at,
            revoked_at=key.revoked_at,
        )


class ApiKeyCreated(ApiKeyRead):
    """A new API key; ``key`` is shown this once and cannot be retrieved again."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{**KEY_EXAMPLE, "key": "bf_3f9a1c7e5b2d_Jx8…(43 characters)"}]
        }
    )

    key: str = Field(description="The secret key. Store it now: it is never shown again.")


class OrganisationRead(BaseModel):
    """The organisation the calling key belongs to, and the key's effective scopes."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "4e7a9c1b-3d5f-4a2c-9e8b-6f1d3a5c7e9b",
                    "name": "ESAT Les Ateliers du Val",
                    "created_at": "2026-11-26T10:00:00Z",
                    "scopes": ["issue", "read"],
                }
            ]
        }
    )

    id: UUID
    name: str
    created_at: datetime
    scopes: list[str] = Field(description="Effective scopes of the calling key.")

    @classmethod
    def from_model(cls, organisation: Organisation, scopes: frozenset[Scope]) -> Self:
        return cls(
            id=organisation.id,
            name=organisation.name,
            created_at=organisation.created_at,
            scopes=sorted(scopes),
        )
