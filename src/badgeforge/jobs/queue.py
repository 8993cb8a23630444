"""A lease queue over any table: claim due rows so no two workers hold one at once.

A queued row has ``next_attempt_at`` (when it is due), ``locked_until`` (the lease) and
``lease_token`` (who holds it). :func:`claim` takes due rows whose lease is free or
expired, gives them a new lease and a new token, and commits at once; the caller then
does the slow part (an HTTP delivery) outside any transaction and records the outcome
with :func:`holds_lease`, so a worker whose lease expired meanwhile (it was stalled, or
killed and restarted) changes nothing that another worker now holds.

A worker killed mid-work (SIGKILL) leaves its lease behind; when it expires, another
worker claims the row again: delivery is at least once. On PostgreSQL the claim uses
``FOR UPDATE SKIP LOCKED``, so concurrent claimers take different rows without waiting;
on SQLite the claim runs in a writer session (``BEGIN IMMEDIATE``) and writers queue.
"""

import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, String, or_, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from badgeforge.db import UTCDateTime


class Leased:
    """Mixin of queued rows: when due, and who holds them until when."""

    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    lease_token: Mapped[str | None] = mapped_column(String(32))


Q = TypeVar("Q", bound=Leased)


def due(model: type[Leased], now: datetime) -> ColumnElement[bool]:
    """Rows due by ``now`` and not held by a live lease."""
    return (model.next_attempt_at <= now) & or_(
        model.locked_until.is_(None), model.locked_until <= now
    )


def claim(
    session: Session,
    statement: Select[Q],
    now: datetime,
    *,
    lease: timedelta,
    limit: int,
) -> list[tuple[Q, str]]:
    """Lease up to ``limit`` rows of ``statement`` (already filtered by :func:`due`).

    Returns each row with its lease token; the caller commits the session at once.
    """
    locked = statement.limit(limit).with_for_update(skip_locked=True)
    rows: Sequence[Q] = session.scalars(locked.execution_options(populate_existing=True)).all()
    claimed: list[tuple[Q, str]] = []
    for row in rows:
        token = secrets.token_hex(16)
        row.locked_until = now + lease
        row.lease_token = token
        claimed.append((row, token))
    session.flush()
    return claimed


def holds_lease(session: Session, model: type[Q], id: Any, token: str, **values: Any) -> bool:
    """Apply ``values`` to the row if ``token`` still holds its lease, and release it.

    False (and nothing changed) when the lease was lost to another worker.
    """
    table: Any = model
    result = session.execute(
        update(table)
        .where(table.id == id, table.lease_token == token)
        .values(locked_until=None, lease_token=None, **values)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0))
