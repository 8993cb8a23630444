"""Who changed a badge class's design, when, and what: the co-design history.

Staff act through API keys, co-designers through invitations; both are an :class:`Author`.
Each edit records, per matrix field, the value before and after.
"""

from dataclasses import dataclass
from typing import Any, Literal
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.orm import Session

from badgeforge.access.models import ApiKey
from badgeforge.badge_classes.models import BadgeClass, BadgeClassChange, precise_now
from badgeforge.security import Principal

AuthorKind = Literal["api_key", "invitation"]


@dataclass(frozen=True)
class Author:
    """Who acts on a design: an API key (staff) or a co-designer's invitation."""

    kind: AuthorKind
    id: UUID
    name: str

    @classmethod
    def of(cls, principal: Principal) -> "Author":
        """The API key behind a staff request (its name is looked up when read)."""
        return cls("api_key", principal.api_key_id, "")


def differences(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """The fields whose value changed, with both values."""
    return {
        name: {"before": before.get(name), "after": after.get(name)}
        for name in sorted(set(before) | set(after))
        if before.get(name) != after.get(name)
    }


def record(
    session: Session,
    badge_class: BadgeClass,
    author: Author,
    action: str,
    *,
    version_number: int,
    changes: dict[str, Any] | None = None,
) -> BadgeClassChange:
    """Add a step to the badge class's history (in the caller's transaction)."""
    name = author.name
    if author.kind == "api_key" and not name:
        key = session.get(ApiKey, author.id)
        name = f"{key.name} ({key.prefix})" if key else "API key"
    change = BadgeClassChange(
        organisation_id=badge_class.organisation_id,
        badge_class_id=badge_class.id,
        version_number=version_number,
        action=action,
        author_kind=author.kind,
        author_id=author.id,
        author_name=name,
        changes=changes or {},
        created_at=precise_now(),
    )
    session.add(change)
    return change


def history(session: Session, badge_class: BadgeClass) -> list[BadgeClassChange]:
    """Every step of a badge class's design, oldest first."""
    return list(
        session.scalars(
            select(BadgeClassChange)
            .where(BadgeClassChange.badge_class_id == badge_class.id)
            .order_by(BadgeClassChange.created_at, BadgeClassChange.id)
        ).all()
    )
