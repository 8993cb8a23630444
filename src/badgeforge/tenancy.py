"""Tenant isolation: the one place where queries get scoped to the caller's organisation.

Every table owned by a tenant carries ``organisation_id``; every repository of such a table
derives from :class:`ScopedRepository`, whose statements start from ``scoped()``. Someone
else's row and a missing row both raise the same :class:`~badgeforge.problems.NotFound`.
"""

from typing import Generic, TypeVar
from uuid import UUID

from sqlalchemy import ForeignKey, Select, select
from sqlalchemy.orm import Mapped, Session, declared_attr, mapped_column

from badgeforge.db import RowLock, lock_rows
from badgeforge.problems import NotFound
from badgeforge.security import Principal


class OrganisationOwned:
    """Mixin for tables that belong to one organisation."""

    id: Mapped[UUID]

    @declared_attr
    def organisation_id(cls) -> Mapped[UUID]:  # noqa: N805 - declared_attr receives the class
        return mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"), index=True)


M = TypeVar("M", bound=OrganisationOwned)


class ScopedRepository(Generic[M]):
    """Queries over one tenant-owned table, always filtered by the principal's organisation."""

    model: type[M]
    label: str = "resource"

    def __init__(self, session: Session, principal: Principal) -> None:
        self.session = session
        self.principal = principal

    def scoped(self) -> Select[M]:
        """A SELECT of the model restricted to the caller's organisation."""
        return select(self.model).where(
            self.model.organisation_id == self.principal.organisation_id
        )

    def get(self, id: UUID, *, lock: RowLock | None = None) -> M:
        """The row with this id in the caller's organisation, else NotFound.

        With ``lock``, the row stays locked until the transaction ends and is read as it
        is once locked: a row deleted meanwhile is NotFound (see :class:`RowLock`).
        """
        statement = self.scoped().where(self.model.id == id)
        found = self.session.scalar(statement if lock is None else lock_rows(statement, lock))
        if found is None:
            raise NotFound(f"No {self.label} with id {id}.")
        return found

    def add(self, instance: M) -> M:
        """Attach a new row to the caller's organisation and flush it."""
        instance.organisation_id = self.principal.organisation_id
        self.session.add(instance)
        self.session.flush()
        return instance
