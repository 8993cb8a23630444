"""Frozen issuance: the documents an award was issued with, and what they point at.

Nothing here is rendered again after the award: a later edit of the badge class, a
renamed issuer or a new public base URL changes later awards only.
"""

import enum
from datetime import datetime
from uuid import UUID, uuid4

from sqlalchemy import JSON, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from badgeforge.db import Base, UTCDateTime, utcnow
from badgeforge.tenancy import OrganisationOwned


class ProofFormat(enum.StrEnum):
    """How an OB 3.0 credential is secured by default (both are always issued)."""

    DATA_INTEGRITY = "data-integrity"
    VC_JWT = "vc-jwt"


class IdentifierStyle(enum.StrEnum):
    """What an issuer's OB 3.0 identifier is."""

    URL = "url"
    DID_WEB = "did:web"
    DID_KEY = "did:key"


class StatusMethod(enum.StrEnum):
    """How OB 3.0 credentials announce revocation."""

    BITSTRING = "bitstring"
    REVOCATION_LIST = "1edtech"


class ImageBlob(Base):
    """A badge image, stored once per content (awards refer to it by digest)."""

    __tablename__ = "image_blob"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    media_type: Mapped[str] = mapped_column(String(32))
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class BadgeClassSnapshot(OrganisationOwned, Base):
    """A badge class as it was when awarded: one per distinct content and base URL."""

    __tablename__ = "badge_class_snapshot"

    id: Mapped[UUID] = mapped_column(primary_key=True)
    version: Mapped[str] = mapped_column(String(64))
    badge_class_id: Mapped[UUID] = mapped_column(
        ForeignKey("badge_class.id", ondelete="CASCADE"), index=True
    )
    document: Mapped[str] = mapped_column(Text)
    translations: Mapped[dict[str, str] | None] = mapped_column(JSON)
    """The same BadgeClass in each other language, by language tag (stored JSON text)."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class StatusList(OrganisationOwned, Base):
    """A Bitstring Status List of one issuer, with its signed credential as last published."""

    __tablename__ = "status_list"

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    issuer_id: Mapped[UUID] = mapped_column(ForeignKey("issuer.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(16), default="revocation")
    entries: Mapped[int] = mapped_column(Integer)
    base_url: Mapped[str] = mapped_column(String(2048))
    credential: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class IssuedAward(Base):
    """Every format of one award, as issued: ids, URLs, signatures and keys frozen."""

    __tablename__ = "issued_award"
    __table_args__ = (UniqueConstraint("status_list_id", "status_list_index"),)

    award_id: Mapped[UUID] = mapped_column(
        ForeignKey("award.id", ondelete="CASCADE"), primary_key=True
    )
    organisation_id: Mapped[UUID] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    issuer_id: Mapped[UUID] = mapped_column(ForeignKey("issuer.id"), index=True)
    base_url: Mapped[str] = mapped_column(String(2048))
    badge_class_snapshot_id: Mapped[UUID] = mapped_column(
        ForeignKey("badge_class_snapshot.id"), index=True
    )
    image_png_sha256: Mapped[str] = mapped_column(ForeignKey("image_blob.sha256"))
    image_svg_sha256: Mapped[str] = mapped_column(ForeignKey("image_blob.sha256"))
    ob2_assertion: Mapped[str] = mapped_column(Text)
    ob2_signed_id: Mapped[str] = mapped_column(String(64))
    ob2_jws: Mapped[str] = mapped_column(Text)
    ob3_credential: Mapped[str] = mapped_column(Text)
    ob3_jwt: Mapped[str] = mapped_column(Text)
    ob3_default: Mapped[str] = mapped_column(String(16))
    rsa_key_id: Mapped[UUID] = mapped_column(ForeignKey("signing_key.id"))
    ed25519_key_id: Mapped[UUID] = mapped_column(ForeignKey("signing_key.id"))
    status_list_id: Mapped[UUID | None] = mapped_column(ForeignKey("status_list.id"))
    status_list_index: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
