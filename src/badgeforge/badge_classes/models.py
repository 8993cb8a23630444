"""Badge classes (identity and workflow state) and their immutable published versions."""

import enum
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import JSON, ForeignKey, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from badgeforge.db import Base, UTCDateTime, utcnow
from badgeforge.tenancy import OrganisationOwned


def precise_now() -> datetime:
    """Now, to the microsecond: the steps of a design keep their order."""
    return datetime.now(UTC)


class BadgeClassState(enum.StrEnum):
    """Where a badge class stands in its design workflow (its newest version's state)."""

    DRAFT = "draft"
    IN_REVIEW = "in_review"
    PUBLISHED = "published"
    ARCHIVED = "archived"


class BadgeClass(OrganisationOwned, Base):
    """A badge an issuer awards: who owns it, where its design stands, which version is live.

    Its content lives in :class:`BadgeClassVersion` rows: versions up to
    ``published_number`` are published and never change; a newer one is the working draft.
    """

    __tablename__ = "badge_class"

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    issuer_id: Mapped[UUID] = mapped_column(ForeignKey("issuer.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    """The newest version's name, kept here to list and search badge classes."""
    state: Mapped[str] = mapped_column(String(16), default=BadgeClassState.DRAFT)
    published_number: Mapped[int | None] = mapped_column(Integer)
    """The live version (awards are made of it); None until first published."""
    latest_number: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    """Counts changes; the ETag of the badge class (``If-Match`` on PATCH and transitions)."""


class BadgeClassVersion(OrganisationOwned, Base):
    """One version of a badge class's content and image; immutable once published."""

    __tablename__ = "badge_class_version"
    __table_args__ = (UniqueConstraint("badge_class_id", "number"),)

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    badge_class_id: Mapped[UUID] = mapped_column(
        ForeignKey("badge_class.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    """The design matrix as ``badge_classes.content.BadgeClassContent`` dumps it."""
    image_media_type: Mapped[str] = mapped_column(String(32))
    image_template: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    image_png: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    image_svg: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    hosted_version: Mapped[str | None] = mapped_column(String(64))
    """Where its hosted OB 2.0 BadgeClass was stored when published (``…/versions/{this}``)."""


class BadgeClassChange(OrganisationOwned, Base):
    """One step in a badge class's design: an edit, a comment, a transition."""

    __tablename__ = "badge_class_change"

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    badge_class_id: Mapped[UUID] = mapped_column(
        ForeignKey("badge_class.id", ondelete="CASCADE"), index=True
    )
    version_number: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(32))
    author_kind: Mapped[str] = mapped_column(String(16))
    author_id: Mapped[UUID] = mapped_column()
    author_name: Mapped[str] = mapped_column(String(200))
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    """Per field: ``{"before": …, "after": …}`` (edits only)."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=precise_now)
