"""Request and response shapes of the issuer API."""

from datetime import datetime
from typing import Any, Self
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from badgeforge.core.did import did_web
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
from badgeforge.issuance.models import IdentifierStyle, ProofFormat, StatusMethod
from badgeforge.issuers.models import Issuer
from badgeforge.public.links import OB3_ISSUER_JWKS_PATH, PublicLinks

_ID = "6f1c2a8e-3b7d-4c1e-9a55-0d2b8f3e4a10"
_BASE = "http://localhost:8000"
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
    identifier_style: IdentifierStyle = Field(
        default=IdentifierStyle.URL,
        description="The issuer's OB 3.0 identifier: `url` (an https URL served here), "
        "`did:web` (its DID document served here) or `did:key` (the Ed25519 key itself; it "
        "changes when the key is rotated).",
    )
    ob3_proof: ProofFormat = Field(
        default=ProofFormat.DATA_INTEGRITY,
        description="OB 3.0 proof the awards present first: `data-integrity` "
        "(eddsa-rdfc-2022) or `vc-jwt` (RS256). Both are always issued.",
    )
    ob3_status: StatusMethod = Field(
        default=StatusMethod.BITSTRING,
        description="How OB 3.0 credentials announce revocation: `bitstring` (W3C Bitstring "
        "Status List) or `1edtech` (1EdTech Revocation List).",
    )


class IssuerUpdate(PartialUpdate):
    """Fields to change; absent fields stay as they are."""

    required_fields = (
        "name",
        "url",
        "email",
        "language",
        "identifier_style",
        "ob3_proof",
        "ob3_status",
    )

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"description": "Nouvelle description."}]}
    )

    name: Name | None = None
    url: WebUrl | None = None
    email: Email | None = None
    description: Markdown | None = None
    telephone: Telephone | None = None
    language: LanguageTag | None = None
    identifier_style: IdentifierStyle | None = Field(
        default=None, description="Applies to awards made from now on."
    )
    ob3_proof: ProofFormat | None = None
    ob3_status: StatusMethod | None = Field(
        default=None, description="Applies to awards made from now on."
    )


class IssuerRead(BaseModel):
    """An issuer profile with its public Open Badges URL."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": _ID,
                    **EXAMPLE,
                    "image_url": None,
                    "identifier_style": "url",
                    "ob3_proof": "data-integrity",
                    "ob3_status": "bitstring",
                    "public_url": f"{_BASE}/ob2/issuers/{_ID}",
                    "ob3_url": f"{_BASE}/ob3/issuers/{_ID}",
                    "did_web": f"did:web:localhost%3A8000:ob3:issuers:{_ID}",
                    "jwks_url": f"{_BASE}/ob3/issuers/{_ID}/jwks.json",
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
    identifier_style: IdentifierStyle
    ob3_proof: ProofFormat
    ob3_status: StatusMethod
    image_url: str | None = Field(description="Public URL of the issuer's logo, if any.")
    public_url: str = Field(description="Hosted OB 2.0 Issuer Profile (JSON).")
    ob3_url: str = Field(description="OB 3.0 identifier document (URL style): its keys.")
    did_web: str = Field(description="The issuer's did:web (its DID document is served here).")
    jwks_url: str = Field(description="The issuer's public keys as a JSON Web Key Set.")
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
            identifier_style=IdentifierStyle(issuer.identifier_style),
            ob3_proof=ProofFormat(issuer.ob3_proof),
            ob3_status=StatusMethod(issuer.ob3_status),
            image_url=links.issuer_image(issuer.id) if issuer.image_media_type else None,
            public_url=links.issuer(issuer.id),
            ob3_url=links.ob3_issuer(issuer.id),
            did_web=did_web(links.ob3_issuer(issuer.id)),
            jwks_url=links.base_url + OB3_ISSUER_JWKS_PATH.format(issuer_id=issuer.id),
            created_at=issuer.created_at,
            updated_at=issuer.updated_at,
        )
