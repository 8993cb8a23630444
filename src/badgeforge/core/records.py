"""Format-independent records of what an issuer publishes and awards.

The service loads these from the database; the renderers (``ob2`` today, ``ob3`` later)
turn the same records into each Open Badges format. Records hold data, not URLs: public
URLs come from a :class:`Links` object supplied by the caller.
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol
from uuid import UUID


@dataclass(frozen=True)
class IssuerRecord:
    """An issuing organisation's public profile."""

    id: UUID
    name: str
    url: str
    email: str
    description: str | None = None
    telephone: str | None = None
    language: str | None = None
    has_image: bool = False


@dataclass(frozen=True)
class Alignment:
    """A link from a badge to a competency framework item (RECTEC, RNCP block…)."""

    target_name: str
    target_url: str
    target_description: str | None = None
    target_framework: str | None = None
    target_code: str | None = None


@dataclass(frozen=True)
class Level:
    """A mastery level a badge recognises (e.g. a RECTEC circle)."""

    name: str
    description: str | None = None


@dataclass(frozen=True)
class Translation:
    """The human text of a badge class in another language (or easy-to-read French)."""

    language: str
    name: str
    description: str
    audience: str | None = None
    criteria_narrative: str | None = None
    criteria_url: str | None = None
    evidence_expectations: str | None = None
    endorsement_expectations: str | None = None


@dataclass(frozen=True)
class BadgeClassRecord:
    """What a badge recognises, for whom, what one must show and prove, who vouches."""

    id: UUID
    issuer_id: UUID
    name: str
    description: str
    image_media_type: str
    criteria_narrative: str | None = None
    criteria_url: str | None = None
    alignments: tuple[Alignment, ...] = ()
    tags: tuple[str, ...] = ()
    language: str | None = None
    audience: str | None = None
    evidence_expectations: str | None = None
    endorsement_expectations: str | None = None
    achievement_type: str = "Badge"
    human_code: str | None = None
    field_of_study: str | None = None
    specialization: str | None = None
    levels: tuple[Level, ...] = ()
    translations: tuple[Translation, ...] = ()
    version: int | None = None


@dataclass(frozen=True)
class Evidence:
    """A document or account that shows the recipient met the criteria."""

    url: str | None = None
    narrative: str | None = None
    name: str | None = None
    description: str | None = None
    genre: str | None = None
    audience: str | None = None


@dataclass(frozen=True)
class Recipient:
    """A hashed email identity: ``identity_hash`` is ``sha256$…`` of email + salt."""

    identity_hash: str
    salt: str


@dataclass(frozen=True)
class AwardRecord:
    """One badge awarded to one recipient."""

    id: UUID
    badge_class_id: UUID
    recipient: Recipient
    issued_on: datetime
    expires: datetime | None = None
    narrative: str | None = None
    evidence: tuple[Evidence, ...] = field(default_factory=tuple)
    revoked: bool = False
    revocation_reason: str | None = None
    level: int | None = None
    """The mastery level reached, numbered from 1 in the badge class's levels."""


class Links(Protocol):
    """Where the public documents of a service live (absolute URLs)."""

    def issuer(self, issuer_id: UUID) -> str: ...

    def issuer_image(self, issuer_id: UUID) -> str: ...

    def badge_class(self, badge_class_id: UUID) -> str: ...

    def badge_class_image(self, badge_class_id: UUID, media_type: str) -> str: ...

    def assertion(self, award_id: UUID) -> str: ...

    def baked_image(self, award_id: UUID, media_type: str) -> str: ...
