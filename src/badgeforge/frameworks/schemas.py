"""Request and response shapes of the competency framework API."""

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, Strict, StringConstraints

from badgeforge.core import frameworks as core
from badgeforge.fields import (
    TEXT_PATTERN,
    LanguageTag,
    Markdown,
    Name,
    PartialUpdate,
    RequestModel,
    SchemaPattern,
    WebUrl,
    json_integer,
)

RECTEC_ID = str(core.builtin_framework_id("rectec"))
C3_ID = str(core.builtin_item_id("rectec", "C3"))
_TIME = "2026-12-01T06:00:00Z"

Slug = Annotated[
    str, StringConstraints(strip_whitespace=True, pattern=core.SLUG_PATTERN, max_length=64)
]
Code = Annotated[
    str,
    StringConstraints(strip_whitespace=True, pattern=core.CODE_PATTERN, max_length=64),
]
Group = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
    SchemaPattern(TEXT_PATTERN),
]
LevelNumber = Annotated[
    int, Strict(), Field(ge=1, le=core.MAX_LEVELS), BeforeValidator(json_integer)
]


class TranslationIn(RequestModel):
    """The name (and description) in another language."""

    name: Name
    description: Markdown | None = None


TranslationTag = Annotated[str, StringConstraints(pattern=core.LANGUAGE_PATTERN, max_length=35)]
"""A BCP 47 tag as a key: not trimmed, so the schema's pattern is exactly what is accepted."""
Translations = Annotated[
    dict[TranslationTag, TranslationIn],
    Field(
        max_length=20,
        description="By BCP 47 tag, e.g. `en`, `fr-x-falc`.",
        json_schema_extra={
            "additionalProperties": False,
            "propertyNames": {"pattern": core.LANGUAGE_PATTERN, "maxLength": 35},
        },
    ),
]


class LevelIn(RequestModel):
    """A mastery level of the framework."""

    level: LevelNumber = Field(description="1 is the lowest.")
    name: Name
    description: Markdown | None = None


class ItemLevelIn(RequestModel):
    """What an item looks like at one level of the framework."""

    level: LevelNumber
    description: Markdown


_LEVELS: list[dict[str, Any]] = [{"level": n, "name": f"Cercle {n}"} for n in range(1, 5)]
_ITEM: dict[str, Any] = {
    "code": "C3",
    "name": "Travailler en équipe",
    "group": "Organisationnel",
    "levels": [{"level": 1, "description": "Repère les membres de son équipe."}],
    "translations": {"en": {"name": "Work in a team"}},
}
_FRAMEWORK: dict[str, Any] = {
    "slug": "savoir-etre-atelier",
    "name": "Savoir-être en atelier",
    "description": "Les attitudes attendues dans nos ateliers.",
    "url": "https://ateliers-du-val.example.fr/referentiel",
    "language": "fr",
    "levels": _LEVELS,
}


class ItemCreate(RequestModel):
    """A new item (competency) of one of your frameworks."""

    model_config = ConfigDict(json_schema_extra={"examples": [_ITEM]})

    code: Code = Field(description="Unique in the framework: `C3`, `RNCP37274BC01`…")
    name: Name
    description: Markdown | None = None
    url: WebUrl | None = Field(default=None, description="Its own page, if it has one.")
    group: Group | None = Field(default=None, description="Its pole, block or domain.")
    levels: list[ItemLevelIn] = Field(default_factory=list, max_length=core.MAX_LEVELS)
    translations: Translations = Field(default_factory=dict)


class ItemUpdate(PartialUpdate):
    """Fields of an item to change; `levels` replaces its per-level descriptors."""

    required_fields = ("name", "levels", "translations")
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"levels": [{"level": 1, "description": "Repère son équipe."}]}]
        }
    )

    name: Name | None = None
    description: Markdown | None = None
    url: WebUrl | None = None
    group: Group | None = None
    levels: list[ItemLevelIn] | None = Field(default=None, max_length=core.MAX_LEVELS)
    translations: Translations | None = None


class FrameworkCreate(RequestModel):
    """A new framework of your organisation."""

    model_config = ConfigDict(json_schema_extra={"examples": [_FRAMEWORK]})

    slug: Slug = Field(description="Short name, unique in your catalogue: `savoir-etre`.")
    name: Name
    description: Markdown | None = None
    url: WebUrl = Field(description="Where the framework is published (alignment targets).")
    language: LanguageTag = "fr"
    levels: list[LevelIn] = Field(default_factory=list, max_length=core.MAX_LEVELS)
    translations: Translations = Field(default_factory=dict)


class FrameworkImport(FrameworkCreate):
    """A whole framework with its items, as one JSON document."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{**_FRAMEWORK, "slug": "referentiel-atelier", "items": [_ITEM]}]
        }
    )

    items: list[ItemCreate] = Field(min_length=1, max_length=core.MAX_ITEMS)


class FrameworkUpdate(PartialUpdate):
    """Fields to change; absent fields stay as they are."""

    required_fields = ("name", "url", "language", "levels", "translations")
    model_config = ConfigDict(json_schema_extra={"examples": [{"description": "Version 2."}]})

    name: Name | None = None
    description: Markdown | None = None
    url: WebUrl | None = None
    language: LanguageTag | None = None
    levels: list[LevelIn] | None = Field(default=None, max_length=core.MAX_LEVELS)
    translations: Translations | None = None


class FrameworkExtend(RequestModel):
    """The copy to make in your catalogue; by default it keeps the slug and the name."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"slug": "rectec-atelier"}]})

    slug: Slug | None = None
    name: Name | None = None


class CsvImportFingerprint(BaseModel):
    """What identifies a CSV import for Idempotency-Key retries."""

    slug: str
    name: str
    url: str
    description: str | None
    language: str
    sha256: str


class TranslationRead(BaseModel):
    name: str
    description: str | None = None


class LevelRead(BaseModel):
    level: int
    name: str
    description: str | None = None


class ItemLevelRead(BaseModel):
    level: int
    description: str


class FrameworkRead(BaseModel):
    """A framework of the catalogue: built in (read-only) or your organisation's."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": RECTEC_ID,
                    "slug": "rectec",
                    "name": "RECTEC",
                    "description": "Douze compétences transversales en quatre pôles.",
                    "url": "https://rectec.ac-versailles.fr/",
                    "language": "fr",
                    "levels": [{**level, "description": None} for level in _LEVELS],
                    "translations": {"en": {"name": "RECTEC", "description": None}},
                    "built_in": True,
                    "extends_id": None,
                    "item_count": 12,
                    "public_url": "http://localhost:8000/frameworks/rectec",
                    "created_at": _TIME,
                    "updated_at": _TIME,
                }
            ]
        }
    )

    id: UUID
    slug: str
    name: str
    description: str | None
    url: str | None
    language: str
    levels: list[LevelRead]
    translations: dict[str, TranslationRead]
    built_in: bool = Field(description="Built-in frameworks are read-only; `extend` copies one.")
    extends_id: UUID | None = Field(description="The framework this one was copied from.")
    item_count: int
    public_url: str | None = Field(description="Its public page (built-in frameworks).")
    created_at: datetime
    updated_at: datetime


class ItemRead(BaseModel):
    """An item of a framework, with the URL an alignment to it points at."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": C3_ID,
                    "framework_id": RECTEC_ID,
                    **_ITEM,
                    "levels": [],
                    "description": None,
                    "url": None,
                    "translations": {"en": {"name": "Work in a team", "description": None}},
                    "target_url": "http://localhost:8000/frameworks/rectec#C3",
                    "created_at": _TIME,
                }
            ]
        }
    )

    id: UUID = Field(description="Give it as `framework_item_id` in a badge class alignment.")
    framework_id: UUID
    code: str
    name: str
    description: str | None
    url: str | None
    group: str | None
    levels: list[ItemLevelRead]
    translations: dict[str, TranslationRead]
    target_url: str = Field(description="The alignment's `targetUrl`.")
    created_at: datetime
