"""Award batches: validate every row up front, store them, report progress; cancel.

Creating a batch awards nothing: it stores one row per recipient, ``pending`` if it passed
the same checks as a single award (``AwardCreate`` and the date rules), ``failed`` with a
message otherwise. Workers (``batches.worker``) award the pending rows. Scoped to the
caller's organisation.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import ValidationError
from sqlalchemy import Select, func, insert, select, update
from sqlalchemy.orm import Session

from badgeforge.awards.models import Award
from badgeforge.awards.schemas import AwardCreate
from badgeforge.awards.service import _dates as award_dates
from badgeforge.badge_classes import service as badge_classes
from badgeforge.badge_classes.content import BadgeClassContent, stored_content
from badgeforge.badge_classes.service import BadgeClassRepository
from badgeforge.batches.models import AwardBatch, AwardBatchRow, BatchSource, RowState
from badgeforge.batches.schemas import MAX_ROWS, ROW_FIELDS, BatchStatus
from badgeforge.core.identity import normalise_email
from badgeforge.core.text import forbidden_character
from badgeforge.db import RowLock, utcnow
from badgeforge.issuance.models import IssuedAward, ProofFormat
from badgeforge.problems import Conflict, Problem, UnprocessableContent
from badgeforge.security import Principal
from badgeforge.tenancy import ScopedRepository


class BatchRepository(ScopedRepository[AwardBatch]):
    model = AwardBatch
    label = "award batch"


@dataclass(frozen=True)
class BatchInput:
    """A batch as received: its rows, numbered as the sender will look them up."""

    badge_class_id: UUID
    rows: Sequence[tuple[int, dict[str, Any], str | None]]
    """(row number, fields, error found while reading the row, if any)"""
    source: BatchSource
    ob3_proof: ProofFormat | None = None
    filename: str | None = None
    labels: dict[str, str] | None = None
    """Names of the fields as the sender spelled them (CSV headers), for messages."""


@dataclass(frozen=True)
class Progress:
    """How many rows are in each state."""

    counts: dict[str, int]

    def of(self, state: RowState) -> int:
        return self.counts.get(state.value, 0)


def _label(location: tuple[int | str, ...], labels: dict[str, str]) -> str:
    parts = [str(part) for part in location]
    if parts[:1] == ["evidence"] and len(parts) == 3 and f"evidence_{parts[2]}" in labels:
        return labels[f"evidence_{parts[2]}"]
    if parts and parts[0] in labels:
        return labels[parts[0]]
    return ".".join(parts) or "row"


def _message(error: ValidationError, labels: dict[str, str]) -> str:
    return "; ".join(
        f"{_label(tuple(item['loc']), labels)}: {item['msg']}" for item in error.errors()[:5]
    )


def _shown_email(fields: dict[str, Any]) -> str | None:
    email = fields.get("recipient_email")
    if not isinstance(email, str) or forbidden_character(email) is not None:
        return None
    return email.strip()[:320]


def _check_row(
    fields: dict[str, Any],
    batch: AwardBatch,
    policy: BadgeClassContent,
    labels: dict[str, str],
) -> tuple[dict[str, Any], str] | str:
    """The row's award fields and normalised email, or why it cannot be awarded."""
    unknown = sorted(str(name) for name in fields if name not in ROW_FIELDS)
    if unknown:
        return f"Unknown field(s) {', '.join(unknown)}; a row may have {', '.join(ROW_FIELDS)}."
    try:
        data = AwardCreate.model_validate({**fields, "badge_class_id": batch.badge_class_id})
    except ValidationError as error:
        return _message(error, labels)
    if data.level is not None and data.level > len(policy.levels):
        return f"Level {data.level} does not exist: the badge class has {len(policy.levels)}."
    if data.issued_on is None:
        data.issued_on = batch.created_at
    try:
        award_dates(data, policy.expires_after_days, batch.created_at)
    except Problem as problem:
        return problem.detail
    stored = data.model_dump(
        mode="json", exclude={"badge_class_id", "ob3_proof"}, exclude_none=True
    )
    return stored, normalise_email(data.recipient_email)


def _rows(batch: AwardBatch, data: BatchInput, policy: BadgeClassContent) -> list[dict[str, Any]]:
    labels = data.labels or {}
    seen: dict[str, int] = {}
    values: list[dict[str, Any]] = []
    for number, fields, read_error in data.rows:
        shown = {"recipient_email": email} if (email := _shown_email(fields)) else {}
        row = {"batch_id": batch.id, "row_number": number, "attempts": 0}
        checked = read_error or _check_row(fields, batch, policy, labels)
        if isinstance(checked, tuple):
            stored, email_key = checked
            if email_key in seen:
                checked = f"The same email as row {seen[email_key]}: one award per recipient."
            else:
                seen[email_key] = number
                values.append({**row, "state": RowState.PENDING.value, "data": stored})
                continue
        failed = {"state": RowState.FAILED.value, "data": shown, "error": checked}
        values.append({**row, **failed, "processed_at": batch.created_at})
    return values


def create(session: Session, principal: Principal, data: BatchInput) -> AwardBatch:
    """Store a batch and its rows; the valid ones wait for a worker, the others are failed."""
    if not data.rows:
        raise UnprocessableContent("The batch lists no recipient.")
    if len(data.rows) > MAX_ROWS:
        raise UnprocessableContent(
            f"A batch lists at most {MAX_ROWS} recipients; this one lists {len(data.rows)}. "
            "Split it."
        )
    badge_class = BadgeClassRepository(session, principal).get(
        data.badge_class_id, lock=RowLock.KEY_SHARE
    )
    version = badge_classes.awardable(session, badge_class)
    policy = stored_content(version.content, version_id=version.id)
    batch = BatchRepository(session, principal).add(
        AwardBatch(
            badge_class_id=badge_class.id,
            source=data.source.value,
            filename=data.filename,
            ob3_proof=data.ob3_proof.value if data.ob3_proof else None,
            total=len(data.rows),
            created_at=utcnow(),
        )
    )
    session.execute(insert(AwardBatchRow), _rows(batch, data, policy))
    return batch


def get(session: Session, principal: Principal, batch_id: UUID) -> AwardBatch:
    """One of the organisation's batches, or NotFound."""
    return BatchRepository(session, principal).get(batch_id)


def listing(session: Session, principal: Principal) -> Select[AwardBatch]:
    """The organisation's batches (unordered: the list endpoint pages them newest first)."""
    return BatchRepository(session, principal).scoped()


def progress(session: Session, batch_ids: Sequence[UUID]) -> dict[UUID, Progress]:
    """Rows per state of each batch."""
    counts: dict[UUID, dict[str, int]] = {batch_id: {} for batch_id in batch_ids}
    if not batch_ids:
        return {}
    rows = session.execute(
        select(AwardBatchRow.batch_id, AwardBatchRow.state, func.count())
        .where(AwardBatchRow.batch_id.in_(batch_ids))
        .group_by(AwardBatchRow.batch_id, AwardBatchRow.state)
    )
    for batch_id, state, count in rows:
        counts[batch_id][state] = count
    return {batch_id: Progress(found) for batch_id, found in counts.items()}


def status(batch: AwardBatch, found: Progress) -> BatchStatus:
    """Cancelled, completed (no pending row left) or still processing."""
    if batch.cancelled_at is not None:
        return BatchStatus.CANCELLED
    return BatchStatus.PROCESSING if found.of(RowState.PENDING) else BatchStatus.COMPLETED


def completed_at(session: Session, batch: AwardBatch) -> datetime | None:
    """When the last row was processed."""
    return session.scalar(
        select(func.max(AwardBatchRow.processed_at)).where(AwardBatchRow.batch_id == batch.id)
    )


def failures(session: Session, batch: AwardBatch) -> list[AwardBatchRow]:
    """The rows that were not awarded, with their messages, in row order."""
    return list(
        session.scalars(
            select(AwardBatchRow)
            .where(AwardBatchRow.batch_id == batch.id, AwardBatchRow.state == RowState.FAILED)
            .order_by(AwardBatchRow.row_number)
        )
    )


def awards_made(session: Session, batch: AwardBatch) -> list[tuple[int, UUID, str, str]]:
    """(row number, award id, recipient email, base URL it was issued under), in row order."""
    rows = session.execute(
        select(AwardBatchRow.row_number, Award.id, Award.recipient_email, IssuedAward.base_url)
        .join(Award, Award.id == AwardBatchRow.award_id)
        .join(IssuedAward, IssuedAward.award_id == Award.id)
        .where(AwardBatchRow.batch_id == batch.id, AwardBatchRow.state == RowState.DONE)
        .order_by(AwardBatchRow.row_number)
    )
    return [(number, award_id, email, base) for number, award_id, email, base in rows]


def cancel(session: Session, principal: Principal, batch_id: UUID) -> AwardBatch:
    """Stop a batch: its pending rows are cancelled; rows already awarded stay awarded.

    Rows a worker holds at this moment are waited for (their row locks), then left as the
    worker made them: a row is awarded and marked done in one transaction, or not at all.
    """
    batch = BatchRepository(session, principal).get(batch_id, lock=RowLock.NO_KEY_UPDATE)
    if batch.cancelled_at is not None:
        raise Conflict("This batch is already cancelled.", cancelled_at=batch.cancelled_at)
    now = utcnow()
    result = session.execute(
        update(AwardBatchRow)
        .where(AwardBatchRow.batch_id == batch.id, AwardBatchRow.state == RowState.PENDING)
        .values(state=RowState.CANCELLED.value, processed_at=now)
        .execution_options(synchronize_session=False)
    )
    if not getattr(result, "rowcount", 0):
        raise Conflict("This batch is already completed: every row was processed.")
    batch.cancelled_at = now
    session.flush()
    return batch
