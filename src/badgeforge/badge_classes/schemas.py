"""Request and response shapes of the badge class API (content: ``content.py``)."""

from collections.abc import Callable
from dataclasses import asdict
from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from badgeforge.badge_classes.content import (
    AchievementType,
    Alignment,
    AlignmentInput,
    BadgeClassContent,
    Code,
    Criteria,
    Level,
    Translation,
    Translations,
    stored_content,
)
from badgeforge.badge_classes.models import (
    BadgeClass,
    BadgeClassChange,
    BadgeClassState,
    BadgeClassVersion,
)
from badgeforge.designs.schemas import TemplateImage
from badgeforge.fields import (
    Days,
    LanguageTag,
    Markdown,
    Name,
    PartialUpdate,
    ShortText,
    Tag,
)
from badgeforge.issuance.models import ProofFormat
from badgeforge.public.links import MEDIA_TYPES, PublicLinks
from badgeforge.stored import load

__all__ = ["Alignment", "Criteria", "Level", "TemplateImage", "Translation"]

STORED_TEMPLATE = TypeAdapter(TemplateImage | None)


def stored_template(version: BadgeClassVersion) -> TemplateImage | None:
    """The template the image was generated from, if any (CorruptStoredData if it drifted)."""
    return load(
        STORED_TEMPLATE,
        version.image_template or None,
        table="badge_class_version",
        column="image_template",
        row_id=version.id,
    )


EXAMPLE: dict[str, Any] = {
    "issuer_id": "6f1c2a8e-3b7d-4c1e-9a55-0d2b8f3e4a10",
    "name": "Sécurité et hygiène au travail",
    "description": "Avec ce badge, je rends visible que j'applique les règles de sécurité "
    "et d'hygiène de l'atelier.",
    "audience": "Toute personne sensibilisée à la santé et à la sécurité au travail.",
    "criteria": {
        "narrative": "- Je porte les équipements de protection adaptés\n"
        "- Je range mon poste de travail en fin de journée"
    },
    "evidence_expectations": "Photos de mon poste rangé, attestation de mon tuteur.",
    "endorsement_expectations": "Mon éducateur, mon tuteur en entreprise.",
    "achievement_type": "Competency",
    "alignments": [
        {
            "target_name": "Prendre en compte les règles",
            "target_url": "https://rectec.example.org/competences/C2",
            "target_framework": "RECTEC",
            "target_code": "C2",
        }
    ],
    "levels": [
        {"name": "Cercle 1 : j'identifie les règles"},
        {"name": "Cercle 2 : j'applique les règles"},
    ],
    "tags": ["sécurité", "hygiène"],
    "language": "fr",
    "translations": {
        "en": {
            "name": "Health and safety at work",
            "description": "With this badge, I show that I follow the workshop's safety rules.",
        },
        "fr-x-falc": {
            "name": "Sécurité et hygiène au travail",
            "description": "Je connais les règles de sécurité. Je les respecte.",
        },
    },
    "expires_after_days": 730,
    "image": {"template": "medaillon", "primary_colour": "#1d4e89", "secondary_colour": "#f2a541"},
    "publish": False,
}


Resolver = Callable[[list[UUID]], dict[UUID, Any]]
"""Framework item ids -> their alignments (``records.Alignment``), or NotFound."""


def resolved(items: list[AlignmentInput], resolve: Resolver) -> list[dict[str, Any]]:
    """Alignments as stored: framework item references replaced by the items' alignments."""
    ids = [item.framework_item_id for item in items if item.framework_item_id is not None]
    found = resolve(ids) if ids else {}
    return [
        asdict(found[item.framework_item_id])
        if item.framework_item_id is not None
        else item.model_dump(exclude={"framework_item_id"})
        for item in items
    ]


class BadgeClassCreate(BadgeClassContent):
    """A new badge class: a draft (version 1) unless ``publish`` is true.

    Without ``image``, the image comes from the default template.
    """

    model_config = ConfigDict(json_schema_extra={"examples": [EXAMPLE]})

    issuer_id: UUID
    alignments: list[AlignmentInput] = Field(  # type: ignore[assignment]
        default_factory=list,
        max_length=50,
        description="Competency framework items, given in full or by `framework_item_id`.",
    )
    image: TemplateImage = Field(default_factory=TemplateImage)
    publish: bool = Field(
        default=False,
        description="Publish version 1 at once (skipping review), so it can be awarded.",
    )

    def content(self, resolve: Resolver) -> BadgeClassContent:
        """The design matrix of this request, framework items resolved by ``resolve``."""
        fields = self.model_dump(exclude={"issuer_id", "image", "publish", "alignments"})
        alignments = resolved(self.alignments, resolve)
        return BadgeClassContent.model_validate({**fields, "alignments": alignments})


class BadgeClassUpdate(PartialUpdate):
    """Fields of the design matrix to change; absent fields stay as they are."""

    required_fields = ("name", "description", "criteria", "language", "achievement_type")

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"tags": ["sécurité"], "expires_after_days": None}]},
    )

    name: Name | None = None
    description: Markdown | None = None
    audience: Markdown | None = None
    criteria: Criteria | None = None
    evidence_expectations: Markdown | None = None
    endorsement_expectations: Markdown | None = None
    achievement_type: AchievementType | None = None
    human_code: Code | None = None
    field_of_study: ShortText | None = None
    specialization: ShortText | None = None
    alignments: list[AlignmentInput] | None = Field(
        default=None,
        max_length=50,
        description="Competency framework items, given in full or by `framework_item_id`.",
    )
    levels: list[Level] | None = Field(default=None, max_length=10)
    tags: list[Tag] | None = Field(default=None, max_length=30)
    language: LanguageTag | None = None
    translations: Translations | None = None
    expires_after_days: Days | None = None
    ob3_proof: ProofFormat | None = Field(
        default=None,
        description="OB 3.0 proof its awards present first; null follows the issuer's choice.",
    )
    image: TemplateImage | None = Field(
        default=None, description="Re-generate the image from a template."
    )

    def applied_to(self, content: BadgeClassContent, resolve: Resolver) -> BadgeClassContent:
        """``content`` with these changes, validated as a whole."""
        changes = self.model_dump(exclude_unset=True, exclude={"image"})
        if self.alignments is not None:
            changes["alignments"] = resolved(self.alignments, resolve)
        merged = {**content.model_dump(), **changes}
        for key in ("alignments", "levels", "tags", "translations"):
            if merged.get(key) is None:
                merged.pop(key, None)
        return BadgeClassContent.model_validate(merged)


_ID = "0b9d5f7e-2c4a-4e8b-8f1d-6a3c9e2b7d40"
_HOSTED = f"http://localhost:8000/ob2/badge-classes/{_ID}"
READ_EXAMPLE: dict[str, Any] = {
    "id": _ID,
    **{key: value for key, value in EXAMPLE.items() if key not in {"image", "publish"}},
    "criteria": {"narrative": EXAMPLE["criteria"]["narrative"], "url": None},
    "human_code": None,
    "field_of_study": None,
    "specialization": None,
    "ob3_proof": None,
    "state": "draft",
    "version_number": 1,
    "published_version": None,
    "image": EXAMPLE["image"],
    "image_media_type": "image/svg+xml",
    "image_png_url": f"{_HOSTED}/image.png",
    "image_svg_url": f"{_HOSTED}/image.svg",
    "public_url": _HOSTED,
    "created_at": "2026-11-26T10:00:00Z",
    "updated_at": "2026-11-26T10:00:00Z",
}


def _image_url(
    badge_class: BadgeClass, version: BadgeClassVersion, links: PublicLinks, extension: str
) -> str:
    """The public image of a published version; the private preview of a draft's."""
    if version.published_at is not None and version.number == badge_class.published_number:
        return links.badge_class_image(badge_class.id, MEDIA_TYPES[extension])
    return (
        f"{links.base_url}/api/v1/badge-classes/{badge_class.id}"
        f"/versions/{version.number}/image.{extension}"
    )


class BadgeClassRead(BadgeClassContent):
    """A badge class: its newest version's matrix, where its design stands, its URLs."""

    model_config = ConfigDict(json_schema_extra={"examples": [READ_EXAMPLE]})

    id: UUID
    issuer_id: UUID
    state: BadgeClassState = Field(description="draft, in_review, published or archived.")
    version_number: int = Field(description="The version shown (the newest).")
    published_version: int | None = Field(
        description="The version awards are made of; null until first published."
    )
    image: TemplateImage | None = Field(description="The template, if generated from one.")
    image_media_type: str = Field(description="Media type of the image as designed.")
    image_png_url: str = Field(description="Image of the version shown (a draft's: private).")
    image_svg_url: str
    public_url: str = Field(description="Hosted OB 2.0 BadgeClass of the published version.")
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_model(
        cls, badge_class: BadgeClass, version: BadgeClassVersion, links: PublicLinks
    ) -> "BadgeClassRead":
        content = stored_content(version.content, version_id=version.id)
        return cls.model_construct(
            **dict(content),
            id=badge_class.id,
            issuer_id=badge_class.issuer_id,
            state=BadgeClassState(badge_class.state),
            version_number=version.number,
            published_version=badge_class.published_number,
            image=stored_template(version),
            image_media_type=version.image_media_type,
            image_png_url=_image_url(badge_class, version, links, "png"),
            image_svg_url=_image_url(badge_class, version, links, "svg"),
            public_url=links.badge_class(badge_class.id),
            created_at=badge_class.created_at,
            updated_at=max(badge_class.updated_at, version.updated_at),
        )


_NOT_IN_VERSION = {
    "id", "issuer_id", "state", "version_number", "published_version", "image_png_url",
    "image_svg_url", "public_url",
}  # fmt: skip


class BadgeClassVersionRead(BadgeClassContent):
    """One version of a badge class's matrix; published versions never change."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    **{k: v for k, v in READ_EXAMPLE.items() if k not in _NOT_IN_VERSION},
                    "badge_class_id": _ID,
                    "number": 1,
                    "status": "published",
                    "published_at": "2026-11-27T10:00:00Z",
                    "public_url": f"{_HOSTED}/versions/3f9c2b7a1d5e4c8b9a0f6e2d4c1b7a95",
                }
            ]
        }
    )

    badge_class_id: UUID
    number: int
    status: BadgeClassState = Field(description="draft, in_review or published.")
    image: TemplateImage | None
    image_media_type: str
    created_at: datetime
    updated_at: datetime
    published_at: datetime | None
    public_url: str | None = Field(
        description="Its hosted OB 2.0 BadgeClass, stored when it was published (never changes)."
    )

    @classmethod
    def from_model(
        cls, badge_class: BadgeClass, version: BadgeClassVersion, links: PublicLinks
    ) -> "BadgeClassVersionRead":
        content = stored_content(version.content, version_id=version.id)
        published = version.published_at is not None
        return cls.model_construct(
            **dict(content),
            badge_class_id=badge_class.id,
            number=version.number,
            status=BadgeClassState.PUBLISHED if published else BadgeClassState(badge_class.state),
            image=stored_template(version),
            image_media_type=version.image_media_type,
            created_at=version.created_at,
            updated_at=version.updated_at,
            published_at=version.published_at,
            public_url=links.badge_class_version(badge_class.id, version.hosted_version)
            if version.hosted_version
            else None,
        )


class ChangeAuthor(BaseModel):
    """Who made a change: an API key (staff) or an invited co-designer."""

    kind: str = Field(description="`api_key` or `invitation`.")
    id: UUID
    name: str


class BadgeClassChangeRead(BaseModel):
    """One step of a badge class's design."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "version_number": 2,
                    "action": "edit",
                    "author": {
                        "kind": "invitation",
                        "id": "1c7e4b9a-2d3f-4a5b-8c6d-7e8f9a0b1c2d",
                        "name": "Léa (travailleuse, co-conceptrice)",
                    },
                    "changes": {
                        "audience": {"before": None, "after": "Toute personne en atelier."}
                    },
                    "created_at": "2026-11-27T10:00:00Z",
                }
            ]
        }
    )

    version_number: int
    action: str = Field(
        description="create, edit, image, comment, submit, return, publish, archive, "
        "restore or discard_draft."
    )
    author: ChangeAuthor
    changes: dict[str, Any] = Field(description="Per field edited: before and after.")
    created_at: datetime

    @classmethod
    def from_model(cls, change: BadgeClassChange) -> "BadgeClassChangeRead":
        author = ChangeAuthor(kind=change.author_kind, id=change.author_id, name=change.author_name)
        return cls(
            version_number=change.version_number,
            action=change.action,
            author=author,
            changes=change.changes,
            created_at=change.created_at,
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
