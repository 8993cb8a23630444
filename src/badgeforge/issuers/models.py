"""The issuer table."""

from datetime import datetime
from uuid import UUID, uuid4

from sqlalchemy import Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from badgeforge.db import Base, UTCDateTime, utcnow
from badgeforge.tenancy import OrganisationOwned


class Issuer(OrganisationOwned, Base):
    """An issuing profile (OB 2.0 ``Issuer``) of one organisation."""

    __tablename__ = "issuer"

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    name: Mapped[str] = mapped_column(String(200))
    url: Mapped[str] = mapped_column(String(2048))
    email: Mapped[str] = mapped_column(String(320))
    description: Mapped[str | None] = mapped_column(Text)
    telephone: Mapped[str | None] = mapped_column(String(32))
    language: Mapped[str] = mapped_column(String(35), default="fr")
    image_media_type: Mapped[str | None] = mapped_column(String(32))
    image_data: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    identifier_style: Mapped[str] = mapped_column(String(16), default="url")
    ob3_proof: Mapped[str] = mapped_column(String(16), default="data-integrity")
    ob3_status: Mapped[str] = mapped_column(String(16), default="bitstring")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    """Counts changes; the ETag of the issuer (``If-Match`` on PATCH)."""
