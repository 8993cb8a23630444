"""Award batches and their rows: one row per recipient, each processed exactly once.

A row is ``pending`` until a worker awards it (``done``, with its ``award_id``), finds it
invalid (``failed``, with ``error``) or the batch is cancelled (``cancelled``). The award
and the row's change of state are committed in one transaction, so a crash never leaves
an award without its row marked done, nor a row marked done without its award.
"""

from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import (
    JSON,
    BigInteger,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from badgeforge.db import Base, UTCDateTime, utcnow
from badgeforge.tenancy import OrganisationOwned

# SQLite gives an autoincrementing rowid only to an INTEGER PRIMARY KEY.
ROW_ID = BigInteger().with_variant(Integer(), "sqlite")


class RowState(StrEnum):
    """Where one recipient of a batch stands."""

    PENDING = "pending"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


class BatchSource(StrEnum):
    """How the batch was sent."""

    JSON = "json"
    CSV = "csv"


class AwardBatch(OrganisationOwned, Base):
    """One badge class to award to every row of a list."""

    __tablename__ = "award_batch"

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    badge_class_id: Mapped[UUID] = mapped_column(ForeignKey("badge_class.id"), index=True)
    source: Mapped[str] = mapped_column(String(8))
    filename: Mapped[str | None] = mapped_column(String(255))
    ob3_proof: Mapped[str | None] = mapped_column(String(20))
    total: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class AwardBatchRow(Base):
    """One recipient of a batch; ``award_id`` is set in the transaction that awards it."""

    __tablename__ = "award_batch_row"
    __table_args__ = (
        UniqueConstraint("batch_id", "row_number"),
        # The workers' queue: the oldest pending rows first.
        Index("ix_award_batch_row_state_id", "state", "id"),
        Index("ix_award_batch_row_batch_id_state", "batch_id", "state"),
    )

    id: Mapped[int] = mapped_column(ROW_ID, primary_key=True, autoincrement=True)
    batch_id: Mapped[UUID] = mapped_column(ForeignKey("award_batch.id", ondelete="CASCADE"))
    row_number: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(10), default=RowState.PENDING.value)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    award_id: Mapped[UUID | None] = mapped_column(
        ForeignKey("award.id", ondelete="SET NULL"), unique=True
    )
    processed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
