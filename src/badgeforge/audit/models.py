"""The audit_event table: one row per change, written in the change's own transaction."""

from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import JSON, Index, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from badgeforge.db import Base, UTCDateTime
from badgeforge.tenancy import OrganisationOwned


class AuditEvent(OrganisationOwned, Base):
    """Who (API key) did what (action) to which object, when, in which request.

    The key's name and prefix are copied, so the event still says who after the key is
    revoked or renamed; there is no foreign key to it for the same reason.
    """

    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_organisation_time", "organisation_id", "created_at"),)

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    action: Mapped[str] = mapped_column(String(64))
    object_type: Mapped[str] = mapped_column(String(64))
    object_id: Mapped[UUID | None] = mapped_column(Uuid)
    api_key_id: Mapped[UUID | None] = mapped_column(Uuid)
    api_key_name: Mapped[str | None] = mapped_column(String(200))
    api_key_prefix: Mapped[str | None] = mapped_column(String(32))
    request_id: Mapped[str | None] = mapped_column(String(128))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
