"""Request and response shapes of the award API."""

from dataclasses import asdict
from datetime import datetime
from typing import Annotated, Any, Self
from uuid import UUID

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    TypeAdapter,
    model_validator,
)

from badgeforge.awards.models import Award
from badgeforge.core.records import Evidence
from badgeforge.fields import (
    Email,
    Markdown,
    Name,
    RequestModel,
    ShortText,
    Timestamp,
    WebUrl,
    json_integer,
)
from badgeforge.issuance.models import IssuedAward, ProofFormat
from badgeforge.public.links import PublicLinks
from badgeforge.stored import STORED_RECORDS, load

STORED_EVIDENCE = TypeAdapter(list[Evidence], config=STORED_RECORDS)


def stored_evidence(award: Award) -> tuple[Evidence, ...]:
    """The award's evidence column as records (CorruptStoredData if its shape drifted)."""
    items = load(STORED_EVIDENCE, award.evidence, table="award", column="evidence", row_id=award.id)
    return tuple(items)


Level = Annotated[int, Strict(), Field(ge=1, le=10), BeforeValidator(json_integer)]
"""A mastery level number, 1 for a badge class's first (lowest) level."""


class EvidenceItem(RequestModel):
    """A piece of evidence: a URL to a document, a narrative, or both."""

    model_config = ConfigDict(
        json_schema_extra={
            "anyOf": [
                {"required": ["narrative"], "properties": {"narrative": {"type": "string"}}},
                {"required": ["url"], "properties": {"url": {"type": "string"}}},
            ]
        }
    )

    url: WebUrl | None = Field(default=None, description="Where the evidence can be seen.")
    narrative: Markdown | None = Field(default=None, description="What was observed (Markdown).")
    name: Name | None = None
    description: ShortText | None = None
    genre: Name | None = Field(default=None, description="e.g. 'Photo', 'Attestation'.")
    audience: ShortText | None = Field(default=None, description="Who the evidence is for.")

    @model_validator(mode="after")
    def _url_or_narrative(self) -> Self:
        if not self.url and not self.narrative:
            raise ValueError("evidence needs a url, a narrative, or both")
        return self


class AwardCreate(RequestModel):
    """Award a badge class to a recipient identified by email."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "badge_class_id": "0b9d5f7e-2c4a-4e8b-8f1d-6a3c9e2b7d40",
                    "recipient_email": "camille.martin@example.org",
                    "narrative": "Camille a appliqué les consignes pendant trois mois d'atelier.",
                    "evidence": [
                        {
                            "url": "https://portfolio.example.org/camille/atelier",
                            "name": "Photos de l'atelier",
                            "genre": "Photo",
                        }
                    ],
                }
            ]
        },
    )

    badge_class_id: UUID
    recipient_email: Email = Field(
        description="The learner's address; the badge carries only its salted SHA-256 hash."
    )
    issued_on: Timestamp | None = Field(
        default=None, description="Defaults to now; cannot be in the future."
    )
    expires: Timestamp | None = Field(
        default=None, description="Defaults to the badge class expiry policy, if any."
    )
    narrative: Markdown | None = None
    evidence: list[EvidenceItem] = Field(default_factory=list, max_length=20)
    level: Level | None = Field(
        default=None,
        description="The mastery level reached, 1 for the badge class's first level "
        "(published in OB 3.0 as the credential's `result`).",
    )
    ob3_proof: ProofFormat | None = Field(
        default=None,
        description="Which OB 3.0 proof the award presents first (its baked OB 3.0 images): "
        "`data-integrity` or `vc-jwt`. Defaults to the badge class's, then the issuer's "
        "choice. Both forms are issued either way.",
    )


class AwardRevoke(RequestModel):
    """Why the award is withdrawn; verifiers and wallets show this reason."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"reason": "Attribué par erreur."}]})

    reason: ShortText


AWARD_ID = "5d2e8c1a-7b3f-4e9d-a6c0-1f4b8e2d9a73"
PUBLIC = f"http://localhost:8000/ob2/assertions/{AWARD_ID}"
READ_EXAMPLE: dict[str, Any] = {
    "id": AWARD_ID,
    "badge_class_id": "0b9d5f7e-2c4a-4e8b-8f1d-6a3c9e2b7d40",
    "badge_class_version_id": "5d1e7a3c-9b2f-4c6d-8e0a-1f3b5d7c9e2a",
    "level": None,
    "recipient_email": "camille.martin@example.org",
    "recipient_identity": "sha256$8f0c4d8e3c1a5b7e9d2f6a4c8b0e1d3f5a7c9e2b4d6f8a0c1e3b5d7f9a2c4e6b",
    "issued_on": "2026-11-26T10:00:00Z",
    "expires": "2028-11-26T10:00:00Z",
    "narrative": "Camille a appliqué les consignes pendant trois mois d'atelier.",
    "evidence": [{"url": "https://portfolio.example.org/camille/atelier", "name": "Photos"}],
    "revoked": False,
    "revoked_at": None,
    "revocation_reason": None,
    "assertion_url": PUBLIC,
    "baked_png_url": f"{PUBLIC}/baked.png",
    "baked_svg_url": f"{PUBLIC}/baked.svg",
    "formats": {
        "ob2_hosted": {
            "url": PUBLIC,
            "baked_png_url": f"{PUBLIC}/baked.png",
            "baked_svg_url": f"{PUBLIC}/baked.svg",
        },
        "ob2_signed": {
            "url": f"{PUBLIC}/signed",
            "baked_png_url": f"{PUBLIC}/signed/baked.png",
            "baked_svg_url": f"{PUBLIC}/signed/baked.svg",
        },
        "ob3": {
            "url": f"http://localhost:8000/ob3/credentials/{AWARD_ID}",
            "jwt_url": f"http://localhost:8000/ob3/credentials/{AWARD_ID}/jwt",
            "baked_png_url": f"http://localhost:8000/ob3/credentials/{AWARD_ID}/baked.png",
            "baked_svg_url": f"http://localhost:8000/ob3/credentials/{AWARD_ID}/baked.svg",
            "proof": "data-integrity",
        },
    },
    "created_at": "2026-11-26T10:00:00Z",
}


class FormatUrls(BaseModel):
    """Where one format of the award lives: the document and the badge images carrying it."""

    url: str
    baked_png_url: str
    baked_svg_url: str


class Ob3Urls(FormatUrls):
    """The OB 3.0 credential: Data Integrity JSON at ``url``, VC-JWT at ``jwt_url``."""

    jwt_url: str
    proof: ProofFormat = Field(description="The proof format the baked images carry.")


class AwardFormats(BaseModel):
    """Every format the award was issued in, all under one revocation."""

    ob2_hosted: FormatUrls = Field(description="OB 2.0 hosted assertion (Open Badge Passport).")
    ob2_signed: FormatUrls = Field(description="OB 2.0 signed assertion (JWS, RS256).")
    ob3: Ob3Urls = Field(description="OB 3.0 OpenBadgeCredential (Verifiable Credential).")

    @classmethod
    def of(cls, award_id: UUID, issued: IssuedAward) -> Self:
        links = PublicLinks(issued.base_url)
        png, svg = "image/png", "image/svg+xml"
        return cls(
            ob2_hosted=FormatUrls(
                url=links.assertion(award_id),
                baked_png_url=links.baked_image(award_id, png),
                baked_svg_url=links.baked_image(award_id, svg),
            ),
            ob2_signed=FormatUrls(
                url=links.signed_assertion(award_id),
                baked_png_url=links.signed_baked_image(award_id, png),
                baked_svg_url=links.signed_baked_image(award_id, svg),
            ),
            ob3=Ob3Urls(
                url=links.credential(award_id),
                jwt_url=links.credential_jwt(award_id),
                baked_png_url=links.credential_baked_image(award_id, png),
                baked_svg_url=links.credential_baked_image(award_id, svg),
                proof=ProofFormat(issued.ob3_default),
            ),
        )


class AwardRead(BaseModel):
    """An award with its public, verifiable URLs."""

    model_config = ConfigDict(json_schema_extra={"examples": [READ_EXAMPLE]})

    id: UUID
    badge_class_id: UUID
    badge_class_version_id: UUID = Field(description="The badge class version it was made of.")
    level: int | None = Field(description="The mastery level reached, if any.")
    recipient_email: str
    recipient_identity: str = Field(description="sha256$… of the lower-cased email + salt.")
    issued_on: datetime
    expires: datetime | None
    narrative: str | None
    evidence: list[EvidenceItem]
    revoked: bool
    revoked_at: datetime | None
    revocation_reason: str | None
    assertion_url: str = Field(description="Hosted OB 2.0 Assertion (JSON); 410 once revoked.")
    baked_png_url: str
    baked_svg_url: str
    formats: AwardFormats
    created_at: datetime

    @classmethod
    def from_model(cls, award: Award, issued: IssuedAward) -> Self:
        formats = AwardFormats.of(award.id, issued)
        return cls(
            id=award.id,
            badge_class_id=award.badge_class_id,
            badge_class_version_id=award.badge_class_version_id,
            level=award.level,
            recipient_email=award.recipient_email,
            recipient_identity=award.identity_hash,
            issued_on=award.issued_on,
            expires=award.expires_at,
            narrative=award.narrative,
            evidence=[
                EvidenceItem.model_construct(**asdict(item)) for item in stored_evidence(award)
            ],
            revoked=award.revoked_at is not None,
            revoked_at=award.revoked_at,
            revocation_reason=award.revocation_reason,
            assertion_url=formats.ob2_hosted.url,
            baked_png_url=formats.ob2_hosted.baked_png_url,
            baked_svg_url=formats.ob2_hosted.baked_svg_url,
            formats=formats,
            created_at=award.created_at,
        )
