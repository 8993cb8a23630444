"""Request and response shapes of the issuer API."""

from datetime import datetime
from typing import Any, Self
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from badgeforge.fields import (
    Email,
    LanguageTag,
    Markdown,
    Name,
    PartialUpdate,
    RequestModel,
    Telephone,
    WebUrl,
)
from badgeforge.issuers.models import Issuer
from badgeforge.public.links import PublicLinks

EXAMPLE: dict[str, Any] = {
    "name": "ESAT Les Ateliers du Val",
    "url": "https://ateliers-du-val.example.fr",
    "email": "badges@ateliers-du-val.example.fr",
    "description": "Établissement et service d'aide par le travail, Mayenne.",
    "telephone": "+33243000000",
    "language": "fr",
}


class IssuerCreate(RequestModel):
    """A new issuer profile."""

    model_config = ConfigDict(json_schema_extra={"examples": [EXAMPLE]})

    name: Name
    url: WebUrl = Field(description="The organisation's web site.")
    email: Email = Field(description="A contact address shown to badge verifiers.")
    description: Markdown | None = None
    telephone: Telephone | None = Field(default=None, description="E.164, e.g. +33243000000.")
    language: LanguageTag = Field(default="fr", description="BCP 47 language of the profile.")


class IssuerUpdate(PartialUpdate):
    """Fields to change; absent fields stay as they are."""

    required_fields = ("name", "url", "email", "language")

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"description": "Nouvelle description."}]}
    )

    name: Name | None = None
    url: WebUrl | None = None
    email: Email | None = None
    description: Markdown | None = None
    telephone: Telephone | None = None
    language: LanguageTag | None = None


class IssuerRead(BaseModel):
    """An issuer profile with its public Open Badges URL."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "6f1c2a8e-3b7d-4c1e-9a55-0d2b8f3e4a10",
                    **EXAMPLE,
                    "image_url": None,
                    "public_url": "http://localhost:8000/ob2/issuers/6f1c2a8e-3b7d-4c1e-9a55-0d2b8f3e4a10",
                    "created_at": "2026-11-26T10:00:00Z",
                    "updated_at": "2026-11-26T10:00:00Z",
                }
            ]
        }
    )

    id: UUID
    name: str
    url: str
    email: str
    description: str | None
    telephone: str | None
    language: str
    image_url: str | None = Field(description="Public URL of the issuer's logo, if any.")
    public_url: str = Field(description="Hosted OB 2.0 Issuer Profile (JSON).")
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_model(cls, issuer: Issuer, links: PublicLinks) -> Self:
        return cls(
            id=issuer.id,
            name=issuer.name,
            url=issuer.url,
            email=issuer.email,
            description=issuer.description,
            telephone=issuer.telephone,
            language=issuer.language,
            image_url=links.issuer_image(issuer.id) if issuer.image_media_type else None,
            public_url=links.issuer(issuer.id),
            created_at=issuer.created_at,
            updated_at=issuer.updated_at,
        )
