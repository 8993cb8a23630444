"""Limit/offset pagination shared by every list endpoint."""

from typing import Annotated, Generic, Self, TypeVar

from fastapi import Depends, Query
from pydantic import BaseModel, Field
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

T = TypeVar("T")
R = TypeVar("R")


class PageParams(BaseModel):
    """Which slice of a list to return."""

    limit: int
    offset: int


def page_params(
    limit: Annotated[int, Query(ge=1, le=200, description="Items per page.")] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000, description="Items to skip.")] = 0,
) -> PageParams:
    return PageParams(limit=limit, offset=offset)


PageDep = Annotated[PageParams, Depends(page_params)]


class Page(BaseModel, Generic[T]):
    """One page of results, with the total number of matching items."""

    items: list[T]
    total: int = Field(description="Number of items matching the query, all pages together.")
    limit: int
    offset: int

    @classmethod
    def of(cls, items: list[T], total: int, params: PageParams) -> Self:
        """A page of ``items`` out of ``total``, as selected by ``params``."""
        return cls(items=items, total=total, limit=params.limit, offset=params.offset)


def fetch_page(session: Session, statement: Select[R], params: PageParams) -> tuple[list[R], int]:
    """Run ``statement`` for one page and count all its rows."""
    total = session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))
    rows = list(session.scalars(statement.limit(params.limit).offset(params.offset)))
    return rows, total or 0
