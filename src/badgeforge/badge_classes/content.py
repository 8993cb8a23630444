"""The design matrix of a badge class: one schema for requests, responses and storage.

A version stores ``BadgeClassContent.model_dump(mode="json")``; the API reads and writes the
same fields; :func:`to_record` hands them to the core renderers. A new matrix field is added
here, in ``core.records.BadgeClassRecord`` and in the renderer that publishes it.
"""

from dataclasses import fields
from typing import Annotated, Any, Literal, Self, get_args
from uuid import UUID

from pydantic import ConfigDict, Field, StringConstraints, TypeAdapter, model_validator

from badgeforge.badge_classes.models import BadgeClass, BadgeClassVersion
from badgeforge.core import records
from badgeforge.fields import (
    LANGUAGE_TAG_PATTERN,
    TEXT_PATTERN,
    Days,
    LanguageTag,
    Markdown,
    Name,
    RequestModel,
    SchemaPattern,
    ShortText,
    Tag,
    WebUrl,
)
from badgeforge.issuance.models import ProofFormat
from badgeforge.stored import load

Code = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=64),
    SchemaPattern(TEXT_PATTERN),
]
AchievementType = Literal[
    "Achievement", "ApprenticeshipCertificate", "Assessment", "Assignment", "AssociateDegree",
    "Award", "Badge", "BachelorDegree", "Certificate", "CertificateOfCompletion", "Certification",
    "CommunityService", "Competency", "Course", "CoCurricular", "Degree", "Diploma",
    "DoctoralDegree", "Fieldwork", "GeneralEducationDevelopment", "JourneymanCertificate",
    "LearningProgram", "License", "Membership", "ProfessionalDoctorate",
    "QualityAssuranceCredential", "MasterCertificate", "MasterDegree", "MicroCredential",
    "ResearchDoctorate", "SecondarySchoolDiploma",
]  # fmt: skip
"""The OB 3.0 AchievementType vocabulary (``achievementType``)."""
EASY_READ = "fr-x-falc"
"""The translation key of the French easy-to-read (FALC) version."""


class Alignment(RequestModel):
    """A competency framework item the badge is aligned to (RECTEC, RNCP block…)."""

    target_name: Name = Field(description="Name of the competency, e.g. 'Communiquer'.")
    target_url: WebUrl = Field(description="URL describing the competency.")
    target_description: ShortText | None = None
    target_framework: Name | None = Field(default=None, description="e.g. 'RECTEC'.")
    target_code: Code | None = Field(default=None, description="e.g. 'C5' or 'RNCP35669BC01'.")


class AlignmentInput(RequestModel):
    """An alignment given in full, or by a competency framework item's id (GET
    /api/v1/frameworks/{id}/items), whose name, URL, framework and code are then filled in."""

    model_config = ConfigDict(
        json_schema_extra={
            "anyOf": [
                {
                    "required": ["target_name", "target_url"],
                    "properties": {
                        "target_name": {"type": "string"},
                        "target_url": {"type": "string"},
                    },
                },
                {
                    "required": ["framework_item_id"],
                    "properties": {"framework_item_id": {"type": "string"}},
                },
            ]
        }
    )

    framework_item_id: UUID | None = Field(
        default=None,
        description="A framework item: its name, URL, framework and code replace the fields below.",
    )
    target_name: Name | None = Field(default=None, description="e.g. 'Communiquer'.")
    target_url: WebUrl | None = Field(default=None, description="URL describing it.")
    target_description: ShortText | None = None
    target_framework: Name | None = Field(default=None, description="e.g. 'RECTEC'.")
    target_code: Code | None = Field(default=None, description="e.g. 'C5'.")

    @model_validator(mode="after")
    def _one_way(self) -> Self:
        if self.framework_item_id is None and not (self.target_name and self.target_url):
            raise ValueError("give target_name and target_url, or a framework_item_id")
        return self


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


class Level(RequestModel):
    """A mastery level the badge recognises (e.g. a RECTEC circle), lowest first."""

    name: Name = Field(description="e.g. 'Cercle 1 : identifie'.")
    description: Markdown | None = None


class Translation(RequestModel):
    """The matrix in another language, or in easy-to-read French (key ``fr-x-falc``)."""

    name: Name
    description: Markdown
    audience: Markdown | None = None
    criteria: Criteria | None = None
    evidence_expectations: Markdown | None = None
    endorsement_expectations: Markdown | None = None


Translations = Annotated[
    dict[LanguageTag, Translation],
    Field(
        max_length=8,
        json_schema_extra={
            "additionalProperties": False,
            "propertyNames": {"pattern": LANGUAGE_TAG_PATTERN, "maxLength": 35},
        },
    ),
]
"""Translations by BCP 47 tag (the schema names the tags allowed, not only their values)."""


class BadgeClassContent(RequestModel):
    """What a badge recognises, for whom, what one must show, prove, and who vouches."""

    name: Name
    description: Markdown = Field(
        description="What it recognises, often in the learner's words ('Avec ce badge, je…')."
    )
    audience: Markdown | None = Field(default=None, description="Who this badge is for.")
    criteria: Criteria = Field(description="What one must do or show to obtain it.")
    evidence_expectations: Markdown | None = Field(
        default=None, description="Documents that can strengthen it (photos, videos, contents…)."
    )
    endorsement_expectations: Markdown | None = Field(
        default=None, description="Who could recommend the holder (educator, tutor, peers…)."
    )
    achievement_type: AchievementType = Field(default="Badge", description="OB 3.0 type.")
    human_code: Code | None = Field(default=None, description="A short code people use.")
    field_of_study: ShortText | None = None
    specialization: ShortText | None = None
    alignments: list[Alignment] = Field(default_factory=list, max_length=50)
    levels: list[Level] = Field(
        default_factory=list,
        max_length=10,
        description="Mastery levels, lowest first; an award may record the level reached.",
    )
    tags: list[Tag] = Field(default_factory=list, max_length=30)
    language: LanguageTag = "fr"
    translations: Translations = Field(
        default_factory=dict,
        description=f"By language tag: 'en' for English, '{EASY_READ}' for easy-to-read French.",
    )
    expires_after_days: Days | None = Field(
        default=None, description="Awards expire this many days after issue."
    )
    ob3_proof: ProofFormat | None = Field(
        default=None,
        description="OB 3.0 proof its awards present first; null follows the issuer's choice.",
    )

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        self.tags = list(dict.fromkeys(self.tags))
        if self.language in self.translations:
            raise ValueError(f"'{self.language}' is the main language, not a translation")
        return self


CONTENT_FIELDS = frozenset(BadgeClassContent.model_fields)
STORED_CONTENT = TypeAdapter(BadgeClassContent)
_RECORD_FIELDS = frozenset(field.name for field in fields(records.BadgeClassRecord))
ACHIEVEMENT_TYPES = frozenset(get_args(AchievementType))


def stored_content(value: Any, *, version_id: UUID) -> BadgeClassContent:
    """A version's content column, checked (CorruptStoredData if its shape drifted)."""
    return load(
        STORED_CONTENT, value, table="badge_class_version", column="content", row_id=version_id
    )


def _text(content: BadgeClassContent | Translation) -> dict[str, Any]:
    criteria = content.criteria
    return {
        "name": content.name,
        "description": content.description,
        "audience": content.audience,
        "criteria_narrative": criteria.narrative if criteria else None,
        "criteria_url": criteria.url if criteria else None,
        "evidence_expectations": content.evidence_expectations,
        "endorsement_expectations": content.endorsement_expectations,
    }


def to_record(
    content: BadgeClassContent,
    *,
    badge_class_id: UUID,
    issuer_id: UUID,
    image_media_type: str,
    version: int,
) -> records.BadgeClassRecord:
    """The format-independent record the core renders (same field names, no copy by hand)."""
    text = _text(content)
    plain = {
        name: getattr(content, name)
        for name in CONTENT_FIELDS & _RECORD_FIELDS
        if name not in {"alignments", "levels", "translations", "tags", *text}
    }
    return records.BadgeClassRecord(
        **plain,
        **text,
        id=badge_class_id,
        issuer_id=issuer_id,
        image_media_type=image_media_type,
        version=version,
        alignments=tuple(records.Alignment(**item.model_dump()) for item in content.alignments),
        levels=tuple(records.Level(**item.model_dump()) for item in content.levels),
        tags=tuple(content.tags),
        translations=tuple(
            records.Translation(language=tag, **_text(item))
            for tag, item in sorted(content.translations.items())
        ),
    )


def version_record(badge_class: BadgeClass, version: BadgeClassVersion) -> records.BadgeClassRecord:
    """The record of one version of a badge class, for the core renderers."""
    return to_record(
        stored_content(version.content, version_id=version.id),
        badge_class_id=badge_class.id,
        issuer_id=badge_class.issuer_id,
        image_media_type=version.image_media_type,
        version=version.number,
    )
