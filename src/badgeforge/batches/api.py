"""HTTP API of award batches: one badge class to a whole group, from JSON or a CSV file."""

import hashlib
import json
from typing import Annotated
from uuid import UUID

from fastapi import Depends, Request, Response, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile

from badgeforge.audit.service import record as audit
from badgeforge.batches import service
from badgeforge.batches.csv_input import parse_csv
from badgeforge.batches.models import AwardBatch, BatchSource, RowState
from badgeforge.batches.schemas import (
    AwardBatchCreate,
    AwardBatchRead,
    AwardBatchSummary,
    BatchAward,
    CsvBatchFingerprint,
    RowError,
    create_schema,
)
from badgeforge.db import SessionDep
from badgeforge.deps import SettingsDep
from badgeforge.idempotency import IdempotencyKey, idempotent
from badgeforge.pagination import Page, PageDep, keyset_page
from badgeforge.problems import (
    BadRequest,
    Conflict,
    NotFound,
    PayloadTooLarge,
    UnprocessableContent,
    UnsupportedMediaType,
    problem_responses,
)
from badgeforge.public.links import PublicLinks
from badgeforge.routing import api_router
from badgeforge.security import IssueAccess, Principal, ReadAccess

PREFIX = "/api/v1/award-batches"
router = api_router(PREFIX, "award batches")
_UUID_TEXT = "^[0-9a-fA-F]{8}-?([0-9a-fA-F]{4}-?){3}[0-9a-fA-F]{12}$"
"""A form field is text: a UUID's ``format`` alone does not make generators keep to one."""
CSV_FORM = {
    "type": "object",
    "additionalProperties": False,
    "required": ["file", "badge_class_id"],
    "properties": {
        "file": {"type": "string", "format": "binary", "description": "UTF-8 CSV, ';' or ','."},
        "badge_class_id": {"type": "string", "format": "uuid", "pattern": _UUID_TEXT},
        "ob3_proof": {"type": "string", "enum": ["data-integrity", "vc-jwt"]},
    },
}
BATCH_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": create_schema()},
            "multipart/form-data": {
                "schema": CSV_FORM,
                "encoding": {"file": {"contentType": "text/csv"}},
            },
        },
    }
}


class BatchRequest:
    """The received batch and what identifies it for Idempotency-Key retries."""

    def __init__(self, data: service.BatchInput, fingerprint: BaseModel) -> None:
        self.data, self.fingerprint = data, fingerprint


def _invalid(error: ValidationError, prefix: str) -> RequestValidationError:
    return RequestValidationError(
        [{**item, "loc": (prefix, *item["loc"])} for item in error.errors(include_url=False)]
    )


async def _json_batch(request: Request) -> BatchRequest:
    try:
        payload = json.loads(await request.body())
    except (ValueError, UnicodeDecodeError) as error:
        raise BadRequest("The request body is not valid JSON.") from error
    try:
        body = AwardBatchCreate.model_validate(payload)
    except ValidationError as error:
        raise _invalid(error, "body") from error
    rows = [(number, row, None) for number, row in enumerate(body.rows, start=1)]
    data = service.BatchInput(body.badge_class_id, rows, BatchSource.JSON, body.ob3_proof)
    return BatchRequest(data, body)


async def _csv_batch(request: Request, limit: int) -> BatchRequest:
    form = await request.form(max_files=1, max_fields=5)
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        raise UnprocessableContent("Send the CSV file in the 'file' part of the form.")
    try:
        fields = CsvBatchFingerprint.model_validate(
            {
                "badge_class_id": form.get("badge_class_id"),
                "ob3_proof": form.get("ob3_proof") or None,
                "sha256": "-",
            }
        )
    except ValidationError as error:
        raise _invalid(error, "body") from error
    content = await upload.read(limit + 1)
    if len(content) > limit:
        raise PayloadTooLarge(f"The uploaded file is larger than {limit} bytes.")
    parsed = parse_csv(content)
    rows = [(record.line, record.data, record.error) for record in parsed.records]
    name = (upload.filename or "")[:255] or None
    data = service.BatchInput(
        fields.badge_class_id, rows, BatchSource.CSV, fields.ob3_proof, name, parsed.labels
    )
    digest = hashlib.sha256(content).hexdigest()
    return BatchRequest(data, fields.model_copy(update={"sha256": digest}))


async def batch_request(request: Request, settings: SettingsDep) -> BatchRequest:
    """Read a batch from a JSON body or a multipart CSV upload."""
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type == "multipart/form-data":
        return await _csv_batch(request, settings.max_request_bytes)
    if media_type == "application/json" or media_type.endswith("+json"):
        return await _json_batch(request)
    raise UnsupportedMediaType("Send JSON, or a CSV file as multipart/form-data.")


def _read(session: Session, batch: AwardBatch) -> AwardBatchRead:
    summary = _summary(session, batch, service.progress(session, [batch.id])[batch.id])
    errors = [
        RowError(
            row=row.row_number,
            recipient_email=row.data.get("recipient_email"),
            message=row.error or "",
        )
        for row in service.failures(session, batch)
    ]
    awards = [
        BatchAward(
            row=number,
            award_id=award_id,
            recipient_email=email,
            url=f"/api/v1/awards/{award_id}",
            assertion_url=PublicLinks(base_url).assertion(award_id),
            credential_url=PublicLinks(base_url).credential(award_id),
        )
        for number, award_id, email, base_url in service.awards_made(session, batch)
    ]
    url = f"{PREFIX}/{batch.id}"
    return AwardBatchRead(**summary.model_dump(), url=url, errors=errors, awards=awards)


def _summary(session: Session, batch: AwardBatch, found: service.Progress) -> AwardBatchSummary:
    state = service.status(batch, found)
    finished = service.completed_at(session, batch) if state.value != "processing" else None
    return AwardBatchSummary(
        id=batch.id,
        badge_class_id=batch.badge_class_id,
        source=batch.source,
        filename=batch.filename,
        status=state,
        total=batch.total,
        done=found.of(RowState.DONE),
        failed=found.of(RowState.FAILED),
        cancelled=found.of(RowState.CANCELLED),
        pending=found.of(RowState.PENDING),
        created_at=batch.created_at,
        cancelled_at=batch.cancelled_at,
        completed_at=finished,
    )


@router.post(
    "",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=AwardBatchRead,
    summary="Award a badge to a group",
    openapi_extra=BATCH_BODY,
    responses=problem_responses(NotFound, BadRequest, Conflict, PayloadTooLarge),
)
def create_award_batch(
    request: Request,
    response: Response,
    batch: Annotated[BatchRequest, Depends(batch_request)],
    session: SessionDep,
    principal: IssueAccess,
    idempotency_key: IdempotencyKey = None,
) -> AwardBatchRead | JSONResponse:
    """Award one badge class to a whole group: a JSON list of recipients, or a CSV file
    exported from a spreadsheet (UTF-8, `;` or `,`; headers such as `email`/`courriel`,
    `narrative`/`récit`, `evidence_url`/`preuve_url`, `evidence_name`, `issued_on`/`date`).

    Every row is checked first, like a single award; a bad row (invalid email or date,
    duplicate email) is reported with its row number (the CSV line) and does not stop the
    others. The awards are then made in the background: follow `url` for progress.
    Send an `Idempotency-Key` to retry safely. Needs the `issue` scope.
    """
    result = idempotent(
        request,
        session,
        principal,
        idempotency_key,
        batch.fingerprint,
        lambda: _created(session, principal, batch.data),
        status_code=status.HTTP_202_ACCEPTED,
    )
    if isinstance(result, AwardBatchRead):
        response.headers["Location"] = result.url
    return result


@router.get("", summary="List award batches", responses=problem_responses(BadRequest))
def list_award_batches(
    session: SessionDep, principal: ReadAccess, page: PageDep
) -> Page[AwardBatchSummary]:
    """Your organisation's award batches with their progress, newest first."""
    found = keyset_page(
        session,
        service.listing(session, principal),
        page,
        created_at=AwardBatch.created_at,
        id=AwardBatch.id,
        list_key="award-batches",
        descending=True,
    )
    counts = service.progress(session, [batch.id for batch in found.rows])
    items = [_summary(session, batch, counts[batch.id]) for batch in found.rows]
    return Page.of(items, found, page)


@router.get("/{batch_id}", summary="Get an award batch", responses=problem_responses(NotFound))
def get_award_batch(batch_id: UUID, session: SessionDep, principal: ReadAccess) -> AwardBatchRead:
    """A batch's progress (`done` of `total`, `failed`), each refused row with its number and
    the reason, and the awards made with their URLs."""
    return _read(session, service.get(session, principal, batch_id))


@router.post(
    "/{batch_id}/cancel",
    summary="Cancel an award batch",
    responses=problem_responses(NotFound, Conflict),
)
def cancel_award_batch(
    batch_id: UUID, session: SessionDep, principal: IssueAccess
) -> AwardBatchRead:
    """Stop a batch: recipients not awarded yet are cancelled; awards already made stay
    (revoke them one by one if needed). Cancelling a finished batch is a conflict."""
    cancelled = service.cancel(session, principal, batch_id)
    audit(session, principal, "award_batch.cancel", "award_batch", batch_id)
    return _read(session, cancelled)


def _created(session: Session, principal: Principal, data: service.BatchInput) -> AwardBatchRead:
    created = service.create(session, principal, data)
    audit(session, principal, "award_batch.create", "award_batch", created.id)
    return _read(session, created)
