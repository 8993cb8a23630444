"""Request and response shapes of the badge class API."""

from dataclasses import asdict
from datetime import datetime
from typing import Annotated, Any, Self, TypeVar
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, TypeAdapter, model_validator

from badgeforge.badge_classes.models import BadgeClass
from badgeforge.core import records
from badgeforge.fields import (
    TEXT_PATTERN,
    Days,
    LanguageTag,
    Markdown,
    Name,
    PartialUpdate,
    RequestModel,
    SchemaPattern,
    ShortText,
    Tag,
    WebUrl,
)
from badgeforge.issuance.models import ProofFormat
from badgeforge.public.links import PublicLinks
from badgeforge.stored import STORED_RECORDS, load

T = TypeVar("T")
Code = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=64),
    SchemaPattern(TEXT_PATTERN),
]
Colour = Annotated[str, StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$")]


class Alignment(RequestModel):
    """A competency framework item the badge is aligned to (RECTEC, RNCP block…)."""

    target_name: Name = Field(description="Name of the competency, e.g. 'Communiquer'.")
    target_url: WebUrl = Field(description="URL describing the competency.")
    target_description: ShortText | None = None
    target_framework: Name | None = Field(default=None, description="e.g. 'RECTEC'.")
    target_code: Code | None = Field(default=None, description="e.g. 'C1' or 'RNCP35669BC01'.")


class Criteria(RequestModel):
    """What one must show to earn the badge: a Markdown narrative, a URL, or both."""

    model_config = ConfigDict(
        json_schema_extra={
            "anyOf": [
                {"required": ["narrative"], "properties": {"narrative": {"type": "string"}}},
                {"required": ["url"], "properties": {"url": {"type": "string"}}},
            ]
        }
    )

    narrative: Markdown | None = None
    url: WebUrl | None = None

    @model_validator(mode="after")
    def _one_of(self) -> Self:
        if not self.narrative and not self.url:
            raise ValueError("give a criteria narrative, a criteria URL, or both")
        return self


class TemplateImage(RequestModel):
    """Generate the badge image from a design in ``badge_templates/`` with the badge's name."""

    template: str = Field(
        default="medaillon",
        max_length=63,
        pattern=r"^[a-z0-9][a-z0-9-]{0,62}$",
        description="A name from GET /api/v1/badge-templates.",
    )
    primary_colour: Colour = "#1d4e89"
    secondary_colour: Colour = "#f2a541"


STORED_ALIGNMENTS = TypeAdapter(list[records.Alignment], config=STORED_RECORDS)
STORED_TAGS = TypeAdapter(list[str])
STORED_TEMPLATE = TypeAdapter(TemplateImage | None)


def stored_alignments(badge_class: BadgeClass) -> tuple[records.Alignment, ...]:
    """The alignments column as records (CorruptStoredData if its shape drifted)."""
    items = _load(STORED_ALIGNMENTS, badge_class, "alignments", badge_class.alignments)
    return tuple(items)


def stored_tags(badge_class: BadgeClass) -> tuple[str, ...]:
    """The tags column, checked (CorruptStoredData if its shape drifted)."""
    tags = _load(STORED_TAGS, badge_class, "tags", badge_class.tags)
    return tuple(tags)


def stored_template(badge_class: BadgeClass) -> TemplateImage | None:
    """The template the image was generated from, if any (CorruptStoredData if it drifted)."""
    return _load(STORED_TEMPLATE, badge_class, "image_template", badge_class.image_template or None)


def _load(adapter: TypeAdapter[T], badge_class: BadgeClass, column: str, value: Any) -> T:
    return load(adapter, value, table="badge_class", column=column, row_id=badge_class.id)


EXAMPLE: dict[str, Any] = {
    "issuer_id": "6f1c2a8e-3b7d-4c1e-9a55-0d2b8f3e4a10",
    "name": "Sécurité et hygiène au travail",
    "description": "Applique les règles de sécurité et d'hygiène de l'atelier.",
    "criteria": {
        "narrative": "- Porte les équipements de protection adaptés\n"
        "- Range son poste de travail en fin de journée"
    },
    "alignments": [
        {
            "target_name": "Respecter les règles",
            "target_url": "https://rectec.example.org/competences/respecter-les-regles",
            "target_framework": "RECTEC",
            "target_code": "C4",
        }
    ],
    "tags": ["sécurité", "hygiène"],
    "language": "fr",
    "expires_after_days": 730,
    "image": {"template": "medaillon", "primary_colour": "#1d4e89", "secondary_colour": "#f2a541"},
}


class BadgeClassCreate(RequestModel):
    """A new badge class. Without ``image``, the image comes from the default template."""

    model_config = ConfigDict(json_schema_extra={"examples": [EXAMPLE]})

    issuer_id: UUID
    name: Name
    description: Markdown
    criteria: Criteria
    alignments: list[Alignment] = Field(default_factory=list, max_length=50)
    tags: list[Tag] = Field(default_factory=list, max_length=30)
    language: LanguageTag = "fr"
    expires_after_days: Days | None = Field(
        default=None, description="Awards expire this many days after issue."
    )
    image: TemplateImage = Field(default_factory=TemplateImage)
    ob3_proof: ProofFormat | None = Field(
        default=None,
        description="OB 3.0 proof its awards present first; null follows the issuer's choice.",
    )


class BadgeClassUpdate(PartialUpdate):
    """Fields to change; absent fields stay as they are."""

    required_fields = ("name", "description", "criteria", "language")

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"tags": ["sécurité"], "expires_after_days": None}]},
    )

    name: Name | None = None
    description: Markdown | None = None
    criteria: Criteria | None = None
    alignments: list[Alignment] | None = Field(default=None, max_length=50)
    tags: list[Tag] | None = Field(default=None, max_length=30)
    language: LanguageTag | None = None
    expires_after_days: Days | None = None
    image: TemplateImage | None = Field(
        default=None, description="Re-generate the image from a template."
    )
    ob3_proof: ProofFormat | None = Field(
        default=None,
        description="OB 3.0 proof its awards present first; null follows the issuer's choice.",
    )


READ_EXAMPLE: dict[str, Any] = {
    "id": "0b9d5f7e-2c4a-4e8b-8f1d-6a3c9e2b7d40",
    **{key: value for key, value in EXAMPLE.items() if key != "image"},
    "criteria": {"narrative": EXAMPLE["criteria"]["narrative"], "url": None},
    "image": EXAMPLE["image"],
    "image_media_type": "image/svg+xml",
    "image_png_url": "http://localhost:8000/ob2/badge-classes/0b9d5f7e-2c4a-4e8b-8f1d-6a3c9e2b7d40/image.png",
    "image_svg_url": "http://localhost:8000/ob2/badge-classes/0b9d5f7e-2c4a-4e8b-8f1d-6a3c9e2b7d40/image.svg",
    "public_url": "http://localhost:8000/ob2/badge-classes/0b9d5f7e-2c4a-4e8b-8f1d-6a3c9e2b7d40",
    "ob3_proof": None,
    "created_at": "2026-11-26T10:00:00Z",
    "updated_at": "2026-11-26T10:00:00Z",
}


class BadgeClassRead(BaseModel):
    """A badge class with its public URLs."""

    model_config = ConfigDict(json_schema_extra={"examples": [READ_EXAMPLE]})

    id: UUID
    issuer_id: UUID
    name: str
    description: str
    criteria: Criteria
    alignments: list[Alignment]
    tags: list[str]
    language: str
    expires_after_days: int | None
    image: TemplateImage | None = Field(description="The template, if generated from one.")
    image_media_type: str = Field(description="Media type of the image as designed.")
    image_png_url: str
    image_svg_url: str
    public_url: str = Field(description="Hosted OB 2.0 BadgeClass (JSON).")
    ob3_proof: ProofFormat | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_model(cls, badge_class: BadgeClass, links: PublicLinks) -> Self:
        return cls(
            id=badge_class.id,
            issuer_id=badge_class.issuer_id,
            name=badge_class.name,
            description=badge_class.description,
            criteria=Criteria(
                narrative=badge_class.criteria_narrative, url=badge_class.criteria_url
            ),
            alignments=[
                Alignment.model_construct(**asdict(item)) for item in stored_alignments(badge_class)
            ],
            tags=list(stored_tags(badge_class)),
            language=badge_class.language,
            expires_after_days=badge_class.expires_after_days,
            image=stored_template(badge_class),
            image_media_type=badge_class.image_media_type,
            image_png_url=links.badge_class_image(badge_class.id, "image/png"),
            image_svg_url=links.badge_class_image(badge_class.id, "image/svg+xml"),
            public_url=links.badge_class(badge_class.id),
            ob3_proof=ProofFormat(badge_class.ob3_proof) if badge_class.ob3_proof else None,
            created_at=badge_class.created_at,
            updated_at=badge_class.updated_at,
        )


class BadgeTemplateRead(BaseModel):
    """A badge design issuers can start from."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "name": "medaillon",
                    "title": "Médaillon / Medallion",
                    "description": "Round medallion with a coloured ring.",
                }
            ]
        }
    )

    name: str
    title: str
    description: str
