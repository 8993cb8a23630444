"""Competency framework tables: frameworks (built-in or an organisation's) and their items."""

from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from badgeforge.db import Base, UTCDateTime, utcnow


def precise_now() -> datetime:
    """Now, to the microsecond: items added together keep their order in lists."""
    return datetime.now(UTC)


class CompetencyFramework(Base):
    """A framework: built in (``organisation_id`` is null, read-only, seen by every
    organisation) or an organisation's own (created, imported or extended from another)."""

    __tablename__ = "competency_framework"
    __table_args__ = (UniqueConstraint("organisation_id", "slug"),)

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    organisation_id: Mapped[UUID | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    slug: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(String(2048))
    language: Mapped[str] = mapped_column(String(35), default="fr")
    levels: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    """``[{"level": 1, "name": "Cercle 1", "description": null}, …]``, lowest first."""
    translations: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    extends_id: Mapped[UUID | None] = mapped_column(
        ForeignKey("competency_framework.id", ondelete="SET NULL"), index=True
    )
    """The framework this one was copied from (``extend``), if any."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    """Counts changes; the ETag of the framework (``If-Match`` on PATCH)."""

    @property
    def built_in(self) -> bool:
        return self.organisation_id is None


class FrameworkItem(Base):
    """A competency of a framework, with its code, pole or block and per-level descriptors."""

    __tablename__ = "competency_framework_item"
    __table_args__ = (UniqueConstraint("framework_id", "code"),)

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    framework_id: Mapped[UUID] = mapped_column(
        ForeignKey("competency_framework.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(String(2048))
    group_name: Mapped[str | None] = mapped_column(String(200))
    levels: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    """Per-level descriptors: ``[{"level": 1, "description": "…"}, …]``."""
    translations: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=precise_now)
