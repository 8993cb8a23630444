"""The signing_key table: issuers' public keys and their private keys, encrypted at rest."""

import enum
from datetime import datetime
from uuid import UUID, uuid4

from sqlalchemy import Enum, ForeignKey, Index, LargeBinary, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from badgeforge.core.keys import KeyAlgorithm
from badgeforge.db import Base, UTCDateTime, utcnow
from badgeforge.tenancy import OrganisationOwned


class KeyStatus(enum.StrEnum):
    """``active`` signs; ``rotated`` no longer signs but stays published so earlier badges
    keep verifying; ``retired`` is withdrawn (what it signed no longer verifies)."""

    ACTIVE = "active"
    ROTATED = "rotated"
    RETIRED = "retired"


def _string_enum(enum_type: type[enum.StrEnum]) -> Enum:
    """A portable VARCHAR column holding the enum's values (no native type, no CHECK)."""
    return Enum(
        enum_type,
        native_enum=False,
        create_constraint=False,
        length=16,
        values_callable=lambda members: [member.value for member in members],
    )


class SigningKey(OrganisationOwned, Base):
    """One key pair of an issuer. The private half is only ever stored sealed."""

    __tablename__ = "signing_key"
    __table_args__ = (
        Index(
            "uq_signing_key_one_active",
            "issuer_id",
            "algorithm",
            unique=True,
            sqlite_where=text("status = 'active'"),
            postgresql_where=text("status = 'active'"),
        ),
    )

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    issuer_id: Mapped[UUID] = mapped_column(ForeignKey("issuer.id", ondelete="CASCADE"), index=True)
    algorithm: Mapped[KeyAlgorithm] = mapped_column(_string_enum(KeyAlgorithm))
    status: Mapped[KeyStatus] = mapped_column(_string_enum(KeyStatus), default=KeyStatus.ACTIVE)
    public_key_pem: Mapped[str] = mapped_column(Text)
    public_key_multibase: Mapped[str | None] = mapped_column(String(64))
    sealed_private_key: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    rotated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
