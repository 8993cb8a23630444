"""Awarding the pending rows of batches, crash-safe, by one or many worker processes.

A worker claims a few pending rows (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so two
workers never hold the same row; SQLite serialises writers, ``BEGIN IMMEDIATE``), awards
each through ``awards.service.award`` (which issues every format) and marks it ``done``
with its award id, all in ONE transaction. A kill at any moment rolls the transaction
back: the rows are pending again and no award of them was committed. So every row is
awarded once, and a restarted worker resumes where the batch stopped.

Rows go ``CHUNK`` per transaction: one commit per chunk instead of per award. The price:
a crash or a database conflict redoes the chunk's uncommitted work, a cancellation waits
for the chunks in flight, and on SQLite the database is locked for a chunk's duration
(~CHUNK x 15 ms) rather than one award's, so API writes wait that long at worst.
"""

import logging
import time
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import ValidationError
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from badgeforge.awards import service as award_service
from badgeforge.awards.schemas import AwardCreate
from badgeforge.batches.models import AwardBatch, AwardBatchRow, RowState
from badgeforge.core.errors import CoreError
from badgeforge.core.keys import KeyVault
from badgeforge.db import utcnow
from badgeforge.observability import AWARDS_ISSUED, BATCH_ROWS
from badgeforge.problems import Problem
from badgeforge.security import Principal, Scope, effective_scopes
from badgeforge.settings import Settings
from badgeforge.signing.vault import vault_from_settings

logger = logging.getLogger(__name__)

CHUNK = 10
"""Rows per transaction on PostgreSQL (see the module docstring for the trade-off)."""
SQLITE_CHUNK = 4
MAX_ATTEMPTS = 5
"""Unexpected failures of one row (alone in its transaction) before it is marked failed."""
WORKER_KEY = UUID(int=0)
_vaults: dict[tuple[str, str], KeyVault] = {}


def _vault(settings: Settings) -> KeyVault:
    key = (settings.master_keys, str(settings.data_dir))
    if key not in _vaults:
        _vaults[key] = vault_from_settings(settings)
    return _vaults[key]


def _writer(factory: sessionmaker[Session]) -> tuple[sessionmaker[Session], int]:
    """Sessions that take SQLite's write lock when they begin, and the chunk size to use."""
    bind = factory.kw.get("bind")
    if isinstance(bind, Engine) and bind.dialect.name == "sqlite":
        bind = bind.execution_options(sqlite_begin="IMMEDIATE")
        return sessionmaker(bind=bind, expire_on_commit=False), SQLITE_CHUNK
    return factory, CHUNK


def _principal(batch: AwardBatch) -> Principal:
    return Principal(batch.organisation_id, WORKER_KEY, effective_scopes([Scope.ISSUE]))


def _award_row(
    session: Session, vault: KeyVault, base_url: str, batch: AwardBatch, row: AwardBatchRow
) -> None:
    fields: dict[str, Any] = {**row.data, "badge_class_id": batch.badge_class_id}
    if batch.ob3_proof:
        fields["ob3_proof"] = batch.ob3_proof
    try:
        with session.begin_nested():
            award, _ = award_service.award(
                session,
                _principal(batch),
                AwardCreate.model_validate(fields),
                vault=vault,
                base_url=base_url,
            )
    except (Problem, CoreError, ValidationError) as error:
        row.state, row.error = RowState.FAILED.value, getattr(error, "detail", str(error))
        BATCH_ROWS.labels("failed").inc()
        return
    row.state, row.award_id = RowState.DONE.value, award.id
    BATCH_ROWS.labels("awarded").inc()
    AWARDS_ISSUED.labels("batch").inc()


def _claim(session: Session, size: int, ids: Sequence[int] | None) -> list[AwardBatchRow]:
    statement = select(AwardBatchRow).where(AwardBatchRow.state == RowState.PENDING.value)
    if ids is not None:
        statement = statement.where(AwardBatchRow.id.in_(ids))
    statement = statement.order_by(AwardBatchRow.id).limit(size)
    return list(session.scalars(statement.with_for_update(skip_locked=True)))


def _process(
    factory: sessionmaker[Session],
    vault: KeyVault,
    base_url: str,
    now: datetime,
    size: int,
    claimed: list[int],
    ids: Sequence[int] | None = None,
) -> int:
    with factory() as session, session.begin():
        rows = _claim(session, size, ids)
        claimed += [row.id for row in rows]
        batch_ids = {row.batch_id for row in rows}
        batches = {
            batch.id: batch
            for batch in session.scalars(select(AwardBatch).where(AwardBatch.id.in_(batch_ids)))
        }
        for row in rows:
            batch = batches[row.batch_id]
            if batch.cancelled_at is not None:
                row.state = RowState.CANCELLED.value
            else:
                _award_row(session, vault, base_url, batch, row)
            row.processed_at = now
        return len(rows)


def _record_failure(factory: sessionmaker[Session], row_id: int, error: Exception) -> None:
    with factory() as session, session.begin():
        row = session.scalar(
            select(AwardBatchRow)
            .where(AwardBatchRow.id == row_id, AwardBatchRow.state == RowState.PENDING.value)
            .with_for_update(skip_locked=True)
        )
        if row is None:
            return
        row.attempts += 1
        if row.attempts >= MAX_ATTEMPTS:
            row.state = RowState.FAILED.value
            kind = type(error).__name__
            row.error = f"Could not be awarded after {row.attempts} attempts ({kind})."


def process_chunk(
    factory: sessionmaker[Session], vault: KeyVault, base_url: str, now: datetime, size: int
) -> int:
    """Award up to ``size`` pending rows in one transaction; how many rows were processed.

    When that transaction fails (a database conflict between workers, a bug), its rows are
    retried one per transaction, so one bad row cannot hold the others back; a row that
    keeps failing alone is marked failed after ``MAX_ATTEMPTS``.
    """
    claimed: list[int] = []
    try:
        return _process(factory, vault, base_url, now, size, claimed)
    except Exception as error:  # any failure rolls the chunk back; retried below
        logger.warning("award batch chunk of %d row(s) rolled back: %r", len(claimed), error)
    done = 0
    for row_id in claimed:
        try:
            done += _process(factory, vault, base_url, now, 1, [], [row_id])
        except Exception as error:  # counted against the row, then retried
            logger.warning("award batch row %d failed: %r", row_id, error)
            _record_failure(factory, row_id, error)
            done += 1
    return done


def process_next(factory: sessionmaker[Session], settings: Settings, now: datetime) -> bool:
    """A worker's work source: award the next pending rows; False when none was waiting."""
    writer, size = _writer(factory)
    return process_chunk(writer, _vault(settings), settings.base_url, now, size) > 0


def run_batch(
    factory: sessionmaker[Session],
    settings: Settings,
    batch_id: UUID,
    on_progress: Callable[[int, int], None] | None = None,
) -> None:
    """Work until ``batch_id`` has no pending row (in the foreground: the CLI).

    Other batches' rows met on the way are processed too, as any worker would.
    """
    writer, size = _writer(factory)
    vault = _vault(settings)
    while True:
        with factory() as session:
            found = session.execute(
                select(AwardBatchRow.state, func.count())
                .where(AwardBatchRow.batch_id == batch_id)
                .group_by(AwardBatchRow.state)
            )
            counts: dict[str, int] = dict(found.all())
        pending = counts.get(RowState.PENDING.value, 0)
        if on_progress is not None:
            on_progress(sum(counts.values()) - pending, sum(counts.values()))
        if not pending:
            return
        if not process_chunk(writer, vault, settings.base_url, utcnow(), size):
            time.sleep(0.2)  # the pending rows are held by another worker
