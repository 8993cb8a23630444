"""Safe retries: an ``Idempotency-Key`` header makes a POST happen at most once.

The first request with a key runs and its response is stored in the same transaction as
its writes; a failed request stores nothing, so it can be retried with the same key. A
retry with the same key and an equivalent request replays the stored response (with
``Idempotent-Replayed: true``) instead of awarding a badge twice. The same key with a
different request is refused. Keys are scoped to the organisation and kept 24 hours.

A response carrying a secret (a new API key) names it in ``sealed``: it is stored encrypted
under the master keys (Fernet), never in clear, and the replay is marked ``no-store``.
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Annotated, Any, TypeVar
from uuid import UUID, uuid4

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from fastapi import Header, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import JSON, Integer, String, UniqueConstraint, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from badgeforge.db import Base, UTCDateTime, utcnow
from badgeforge.fields import CANONICAL
from badgeforge.problems import Conflict, UnprocessableContent
from badgeforge.security import Principal
from badgeforge.tenancy import OrganisationOwned

RETENTION = timedelta(hours=24)
REPLAY_HEADER = "Idempotent-Replayed"
T = TypeVar("T", bound=BaseModel)

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=255,
        pattern=r"^[\x20-\x7e]+$",
        description="Any unique string of printable ASCII (a UUID); a retry with the same key "
        "and body is answered with the first response instead of being applied twice.",
    ),
]


class IdempotentRequest(OrganisationOwned, Base):
    """The stored response of a POST made with an Idempotency-Key."""

    __tablename__ = "idempotent_request"
    __table_args__ = (UniqueConstraint("organisation_id", "key"),)

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    key: Mapped[str] = mapped_column(String(255))
    fingerprint: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int] = mapped_column(Integer)
    response: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)


@dataclass(frozen=True)
class Sealed:
    """Top-level response fields stored encrypted, with the master keys that seal them."""

    fields: tuple[str, ...]
    master_keys: tuple[str, ...]

    def _fernet(self) -> MultiFernet:
        return MultiFernet([Fernet(key) for key in self.master_keys])

    def seal(self, response: dict[str, Any]) -> dict[str, Any]:
        fernet = self._fernet()
        return {
            name: fernet.encrypt(str(value).encode()).decode() if name in self.fields else value
            for name, value in response.items()
        }

    def open(self, stored: dict[str, Any]) -> dict[str, Any]:
        fernet = self._fernet()
        try:
            return {
                name: fernet.decrypt(value.encode()).decode() if name in self.fields else value
                for name, value in stored.items()
            }
        except (InvalidToken, AttributeError) as exc:
            raise Conflict(
                "The response to this Idempotency-Key can no longer be opened (the master "
                "keys changed); use a new key."
            ) from exc


def _fingerprint(request: Request, payload: BaseModel | None) -> str:
    """The request as validated, in canonical form: equivalent bodies give one fingerprint.

    JSON spelling (key order, spaces, escapes, defaults left out) never counts, and each
    field type may declare a canonical form (``fields.canonical_form``: an email's case).
    """
    body = payload.model_dump_json(context={CANONICAL: True}) if payload is not None else ""
    text = f"{request.method} {request.url.path}\n{body}"
    return hashlib.sha256(text.encode()).hexdigest()


def idempotent(
    request: Request,
    session: Session,
    principal: Principal,
    key: str | None,
    payload: BaseModel | None,
    action: Callable[[], T],
    *,
    status_code: int,
    sealed: Sealed | None = None,
) -> T | JSONResponse:
    """Run ``action`` once per key; a retry gets the stored response back."""
    if key is None:
        return action()
    now = utcnow()
    session.execute(
        delete(IdempotentRequest).where(
            IdempotentRequest.organisation_id == principal.organisation_id,
            IdempotentRequest.created_at < now - RETENTION,
        )
    )
    fingerprint = _fingerprint(request, payload)
    stored = session.scalar(
        select(IdempotentRequest).where(
            IdempotentRequest.organisation_id == principal.organisation_id,
            IdempotentRequest.key == key,
        )
    )
    if stored is not None:
        if stored.fingerprint != fingerprint:
            raise UnprocessableContent(
                "This Idempotency-Key was already used for a different request; "
                "use a new key for a new request."
            )
        headers = {REPLAY_HEADER: "true"}
        body = stored.response
        if sealed is not None:
            body = sealed.open(body)
            headers["Cache-Control"] = "no-store"
        return JSONResponse(body, status_code=stored.status_code, headers=headers)
    result = action()
    response = result.model_dump(mode="json")
    record = IdempotentRequest(
        organisation_id=principal.organisation_id,
        key=key,
        fingerprint=fingerprint,
        status_code=status_code,
        response=sealed.seal(response) if sealed is not None else response,
        created_at=now,
    )
    try:
        with session.begin_nested():
            session.add(record)
    except IntegrityError as exc:
        raise Conflict("A request with this Idempotency-Key is in progress; retry it.") from exc
    return result
