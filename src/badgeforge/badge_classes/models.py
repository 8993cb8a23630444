"""The badge class table."""

from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import JSON, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from badgeforge.db import Base, UTCDateTime, utcnow
from badgeforge.tenancy import OrganisationOwned


class BadgeClass(OrganisationOwned, Base):
    """A badge an issuer awards (OB 2.0 ``BadgeClass``), with its image in PNG and SVG."""

    __tablename__ = "badge_class"

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    issuer_id: Mapped[UUID] = mapped_column(ForeignKey("issuer.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    criteria_narrative: Mapped[str | None] = mapped_column(Text)
    criteria_url: Mapped[str | None] = mapped_column(String(2048))
    alignments: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    language: Mapped[str] = mapped_column(String(35), default="fr")
    expires_after_days: Mapped[int | None] = mapped_column(Integer)
    image_media_type: Mapped[str] = mapped_column(String(32))
    image_template: Mapped[dict[str, str] | None] = mapped_column(JSON)
    image_png: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    image_svg: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    ob3_proof: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    """Counts changes; the ETag of the badge class (``If-Match`` on PATCH)."""
