"""Cursor (keyset) pagination shared by every list endpoint.

A list is ordered by ``(created_at, id)`` and a page ends with an opaque ``next`` cursor:
base64url of the list's name, a digest of its filters and the last item's sort key. The next
page continues strictly after that key, so inserts and deletes meanwhile never shift it
(no item twice, none skipped), unlike an offset. A cursor is refused (400) when it is
malformed or was made by another list or other filters.

``offset`` still works for older clients (deprecated: not stable under inserts); ``total``
counts every matching item, all pages together.
"""

import base64
import binascii
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Generic, Self, TypeVar
from uuid import UUID

from fastapi import Depends, Query
from pydantic import BaseModel, Field
from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from badgeforge.problems import BadRequest

T = TypeVar("T")
R = TypeVar("R")
MAX_LIMIT = 200


class InvalidCursor(BadRequest):
    """A ``cursor`` that is not one this list handed out."""


class PageParams(BaseModel):
    """Which slice of a list to return: after ``cursor``, or (deprecated) ``offset``."""

    limit: int = 50
    offset: int = 0
    cursor: str | None = None


def page_params(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page.")] = 50,
    cursor: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=512,
            description="The `next` value of the previous page; omit it for the first page.",
        ),
    ] = None,
    offset: Annotated[
        int,
        Query(
            ge=0,
            le=1_000_000,
            deprecated=True,
            description="Items to skip (deprecated: not stable under inserts; use `cursor`).",
        ),
    ] = 0,
) -> PageParams:
    if cursor is not None and offset:
        raise InvalidCursor("Send either 'cursor' or 'offset', not both.")
    return PageParams(limit=limit, offset=offset, cursor=cursor)


PageDep = Annotated[PageParams, Depends(page_params)]


@dataclass(frozen=True)
class Position:
    """Where a page ended: the last item's sort key."""

    created_at: datetime
    id: UUID


@dataclass(frozen=True)
class Slice(Generic[R]):
    """The rows of one page, how many match in all, and the cursor of the next page."""

    rows: list[R]
    total: int
    next: str | None


class Page(BaseModel, Generic[T]):
    """One page of results. Follow `next` until it is null to read the whole list."""

    items: list[T]
    next: str | None = Field(
        description="Cursor of the next page (pass it as `cursor`); null on the last page."
    )
    total: int = Field(description="Number of items matching the query, all pages together.")
    limit: int
    offset: int = Field(description="Deprecated: the `offset` the page was asked with.")

    @classmethod
    def of(cls, items: list[T], page: "Slice[Any]", params: PageParams) -> Self:
        """The page of ``items`` (built from ``page.rows``) as selected by ``params``."""
        return cls(
            items=items,
            next=page.next,
            total=page.total,
            limit=params.limit,
            offset=params.offset,
        )


def _filters_digest(filters: Mapping[str, object]) -> str:
    text = json.dumps({k: str(v) for k, v in filters.items() if v is not None}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def encode_cursor(list_key: str, filters: Mapping[str, object], position: Position) -> str:
    """The opaque cursor of the page after ``position`` in this list with these filters."""
    data = [list_key, _filters_digest(filters), position.created_at.isoformat(), position.id.hex]
    raw = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def decode_cursor(list_key: str, filters: Mapping[str, object], cursor: str) -> Position:
    """The position a cursor of this list (and these filters) stands for, else InvalidCursor."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        kind, digest, created_at, item_id = json.loads(raw)
        position = Position(datetime.fromisoformat(created_at), UUID(hex=item_id))
    except (binascii.Error, ValueError, TypeError, AttributeError) as exc:
        raise InvalidCursor("The cursor is malformed; pass a page's `next` value as is.") from exc
    if position.created_at.tzinfo is None:
        raise InvalidCursor("The cursor is malformed; pass a page's `next` value as is.")
    if kind != list_key or digest != _filters_digest(filters):
        raise InvalidCursor(
            "This cursor belongs to another list or other filters; start again without it."
        )
    return position


def keyset_page(
    session: Session,
    statement: Select[R],
    params: PageParams,
    *,
    created_at: InstrumentedAttribute[datetime],
    id: InstrumentedAttribute[UUID],
    list_key: str,
    filters: Mapping[str, object] | None = None,
    descending: bool = False,
) -> Slice[R]:
    """One page of ``statement`` (unordered) ordered by ``(created_at, id)``.

    ``filters`` are the list's query filters: a cursor only continues the same query.
    """
    filters = filters or {}
    counted = select(func.count()).select_from(statement.order_by(None).subquery())
    total = session.scalar(counted) or 0
    if params.cursor is not None:
        at = decode_cursor(list_key, filters, params.cursor)
        if descending:
            after = or_(created_at < at.created_at, and_(created_at == at.created_at, id < at.id))
        else:
            after = or_(created_at > at.created_at, and_(created_at == at.created_at, id > at.id))
        statement = statement.where(after)
    order = (created_at.desc(), id.desc()) if descending else (created_at.asc(), id.asc())
    query = statement.order_by(*order).limit(params.limit + 1).offset(params.offset)
    rows = list(session.scalars(query))
    cursor = None
    if len(rows) > params.limit:
        rows = rows[: params.limit]
        last = rows[-1]
        position = Position(getattr(last, created_at.key), getattr(last, id.key))
        cursor = encode_cursor(list_key, filters, position)
    return Slice(rows, total, cursor)
