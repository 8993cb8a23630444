"""The award table: one badge given to one recipient, independent of any OB format."""

from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from badgeforge.db import Base, UTCDateTime, utcnow
from badgeforge.tenancy import OrganisationOwned


class Award(OrganisationOwned, Base):
    """A badge class awarded to a recipient email; rendered as an OB 2.0 Assertion."""

    __tablename__ = "award"
    __table_args__ = (
        # revocation lists read an issuer's revoked awards only (migration 0012)
        Index(
            "ix_award_revoked_by_badge_class",
            "badge_class_id",
            "revoked_at",
            sqlite_where=text("revoked_at IS NOT NULL"),
            postgresql_where=text("revoked_at IS NOT NULL"),
        ),
    )

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    badge_class_id: Mapped[UUID] = mapped_column(ForeignKey("badge_class.id"), index=True)
    badge_class_version_id: Mapped[UUID] = mapped_column(
        ForeignKey("badge_class_version.id"), index=True
    )
    """The published version of the badge class this award was made of."""
    level: Mapped[int | None] = mapped_column(Integer)
    """The mastery level reached (1 = the badge class's first level), if it has levels."""
    recipient_email: Mapped[str] = mapped_column(String(320), index=True)
    salt: Mapped[str] = mapped_column(String(64))
    identity_hash: Mapped[str] = mapped_column(String(140))
    issued_on: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    narrative: Mapped[str | None] = mapped_column(Text)
    evidence: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revocation_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
