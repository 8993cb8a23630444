"""Queries of the framework catalogue: what the caller's organisation sees and may change.

Built-in frameworks (``organisation_id`` null) are seen by every organisation and changed by
none; an organisation's frameworks are seen and changed only by it. Someone else's framework
and a missing one both raise the same NotFound.
"""

from collections.abc import Iterable
from uuid import UUID

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.orm import Session

from badgeforge.db import RowLock, lock_rows
from badgeforge.frameworks.models import CompetencyFramework, FrameworkItem
from badgeforge.problems import Conflict, NotFound
from badgeforge.security import Principal


class FrameworkRepository:
    """Framework and item queries scoped to one principal's organisation (and built-ins)."""

    def __init__(self, session: Session, principal: Principal) -> None:
        self.session = session
        self.principal = principal

    def _visible(self) -> ColumnElement[bool]:
        return or_(
            CompetencyFramework.organisation_id.is_(None),
            CompetencyFramework.organisation_id == self.principal.organisation_id,
        )

    def visible(self) -> Select[CompetencyFramework]:
        """A SELECT of the frameworks the caller may read."""
        return select(CompetencyFramework).where(self._visible())

    def get(self, framework_id: UUID) -> CompetencyFramework:
        """A framework the caller may read, else NotFound."""
        found = self.session.scalar(self.visible().where(CompetencyFramework.id == framework_id))
        if found is None:
            raise NotFound(f"No competency framework with id {framework_id}.")
        return found

    def get_own(self, framework_id: UUID, *, lock: RowLock | None = None) -> CompetencyFramework:
        """A framework the caller may change; a built-in one is a Conflict (read-only)."""
        statement = self.visible().where(CompetencyFramework.id == framework_id)
        found = self.session.scalar(statement if lock is None else lock_rows(statement, lock))
        if found is None:
            raise NotFound(f"No competency framework with id {framework_id}.")
        if found.organisation_id is None:
            raise Conflict(
                f"The built-in framework {found.slug!r} is read-only; copy it into your "
                f"catalogue with POST /api/v1/frameworks/{found.id}/extend and change the copy."
            )
        return found

    def slug_taken(self, slug: str) -> bool:
        """Whether the caller's organisation has a framework with this slug."""
        statement = select(CompetencyFramework.id).where(
            CompetencyFramework.organisation_id == self.principal.organisation_id,
            CompetencyFramework.slug == slug,
        )
        return self.session.scalar(statement) is not None

    def add(self, framework: CompetencyFramework) -> CompetencyFramework:
        """Attach a new framework to the caller's organisation and flush it."""
        if self.slug_taken(framework.slug):
            raise Conflict(
                f"Your catalogue already has a framework with the slug {framework.slug!r}."
            )
        framework.organisation_id = self.principal.organisation_id
        self.session.add(framework)
        self.session.flush()
        return framework

    def items(self, framework_id: UUID) -> Select[FrameworkItem]:
        """A SELECT of one framework's items (the framework must have been checked)."""
        return select(FrameworkItem).where(FrameworkItem.framework_id == framework_id)

    def all_items(self, framework_id: UUID) -> list[FrameworkItem]:
        """Every item of a framework, in the order they were added."""
        return items_of(self.session, framework_id)

    def code_taken(self, framework_id: UUID, code: str) -> bool:
        statement = self.items(framework_id).where(FrameworkItem.code == code)
        return self.session.scalar(statement) is not None

    def visible_items(
        self, item_ids: Iterable[UUID]
    ) -> list[tuple[FrameworkItem, CompetencyFramework]]:
        """The items among ``item_ids`` that the caller may read, with their framework."""
        statement = (
            select(FrameworkItem, CompetencyFramework)
            .join(CompetencyFramework, FrameworkItem.framework_id == CompetencyFramework.id)
            .where(FrameworkItem.id.in_(list(item_ids)), self._visible())
        )
        return [(item, framework) for item, framework in self.session.execute(statement)]

    def item_counts(self, framework_ids: list[UUID]) -> dict[UUID, int]:
        """How many items each framework has."""
        statement = (
            select(FrameworkItem.framework_id, func.count())
            .where(FrameworkItem.framework_id.in_(framework_ids))
            .group_by(FrameworkItem.framework_id)
        )
        counts = dict.fromkeys(framework_ids, 0)
        counts.update({row[0]: row[1] for row in self.session.execute(statement)})
        return counts

    def built_in_by_id(
        self, framework_ids: Iterable[UUID | None]
    ) -> dict[UUID, CompetencyFramework]:
        """The built-in frameworks among ``framework_ids`` (for copies' alignment URLs)."""
        ids = [framework_id for framework_id in framework_ids if framework_id is not None]
        if not ids:
            return {}
        statement = select(CompetencyFramework).where(
            CompetencyFramework.id.in_(ids), CompetencyFramework.organisation_id.is_(None)
        )
        return {framework.id: framework for framework in self.session.scalars(statement)}


def built_in_by_slug(session: Session, slug: str) -> CompetencyFramework:
    """The built-in framework ``slug`` (public pages), else NotFound."""
    statement = select(CompetencyFramework).where(
        CompetencyFramework.organisation_id.is_(None), CompetencyFramework.slug == slug
    )
    found = session.scalar(statement)
    if found is None:
        raise NotFound(f"No built-in framework {slug!r}.")
    return found


def items_of(session: Session, framework_id: UUID) -> list[FrameworkItem]:
    """Every item of a framework (checked by the caller), in the order they were added."""
    statement = select(FrameworkItem).where(FrameworkItem.framework_id == framework_id)
    order = (FrameworkItem.created_at, FrameworkItem.id)
    return list(session.scalars(statement.order_by(*order)))
