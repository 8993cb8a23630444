"""Tables of co-design: invitations (a second kind of principal) and comments per field."""

import enum
from datetime import datetime
from uuid import UUID, uuid4

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from badgeforge.badge_classes.models import precise_now
from badgeforge.db import Base, UTCDateTime, utcnow
from badgeforge.tenancy import OrganisationOwned


class Role(enum.StrEnum):
    """What an invited co-designer may do on the one badge class they are invited to."""

    EDITOR = "editor"
    """Edit the draft's matrix, comment, submit it for review."""
    COMMENTER = "commenter"
    """Read the matrix and comment."""


class MatrixField(enum.StrEnum):
    """The parts of the design matrix a comment thread is about."""

    NAME = "name"
    DESCRIPTION = "description"
    AUDIENCE = "audience"
    CRITERIA = "criteria"
    EVIDENCE_EXPECTATIONS = "evidence_expectations"
    ENDORSEMENT_EXPECTATIONS = "endorsement_expectations"
    ALIGNMENTS = "alignments"
    LEVELS = "levels"
    TRANSLATIONS = "translations"
    IMAGE = "image"
    GENERAL = "general"


class Invitation(OrganisationOwned, Base):
    """A link that lets one person co-design one badge class; only its digest is stored."""

    __tablename__ = "codesign_invitation"

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    badge_class_id: Mapped[UUID] = mapped_column(
        ForeignKey("badge_class.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200))
    """The invitee as others see them in comments and the history ("Léa, travailleuse")."""
    prefix: Mapped[str] = mapped_column(String(32), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(64))
    created_by: Mapped[UUID] = mapped_column()
    """The API key that invited them."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Comment(OrganisationOwned, Base):
    """A comment on one field of a badge class's matrix, by staff or a co-designer."""

    __tablename__ = "codesign_comment"

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    badge_class_id: Mapped[UUID] = mapped_column(
        ForeignKey("badge_class.id", ondelete="CASCADE"), index=True
    )
    version_number: Mapped[int] = mapped_column(Integer)
    field: Mapped[str] = mapped_column(String(32))
    author_kind: Mapped[str] = mapped_column(String(16))
    author_id: Mapped[UUID] = mapped_column()
    author_name: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=precise_now)
