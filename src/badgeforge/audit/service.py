"""Recording and reading the audit log. Scoped to the caller's organisation."""

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from sqlalchemy.orm import Session

from badgeforge.access.models import ApiKey
from badgeforge.audit.models import AuditEvent
from badgeforge.observability import current_request_id
from badgeforge.pagination import PageParams, Slice, keyset_page
from badgeforge.security import Principal
from badgeforge.tenancy import ScopedRepository


class AuditRepository(ScopedRepository[AuditEvent]):
    model = AuditEvent
    label = "audit event"


def record(
    session: Session,
    principal: Principal,
    action: str,
    object_type: str,
    object_id: UUID | None,
    **details: Any,
) -> AuditEvent:
    """Write that ``principal`` did ``action`` (``award.revoke``) to an object, now.

    In the caller's transaction: the event is committed with the change, or not at all.
    ``details`` must be JSON and never hold secrets or personal data beyond the object.
    """
    key = session.get(ApiKey, principal.api_key_id)  # loaded by authentication already
    event = AuditEvent(
        created_at=datetime.now(UTC),
        action=action,
        object_type=object_type,
        object_id=object_id,
        api_key_id=principal.api_key_id,
        api_key_name=key.name if key is not None else None,
        api_key_prefix=key.prefix if key is not None else None,
        request_id=current_request_id(),
        details=details,
    )
    return AuditRepository(session, principal).add(event)


@dataclass(frozen=True)
class AuditFilters:
    """Which events to list; every given field must match."""

    action: str | None = None
    object_type: str | None = None
    object_id: UUID | None = None
    api_key_id: UUID | None = None
    after: datetime | None = None
    before: datetime | None = None


def list_events(
    session: Session, principal: Principal, params: PageParams, filters: AuditFilters
) -> Slice[AuditEvent]:
    """The organisation's audit events, newest first (``after`` inclusive, ``before`` not)."""
    statement = AuditRepository(session, principal).scoped()
    if filters.action is not None:
        if filters.action.endswith(".*"):  # award.* : every action on awards
            statement = statement.where(AuditEvent.action.startswith(filters.action[:-1]))
        else:
            statement = statement.where(AuditEvent.action == filters.action)
    if filters.object_type is not None:
        statement = statement.where(AuditEvent.object_type == filters.object_type)
    if filters.object_id is not None:
        statement = statement.where(AuditEvent.object_id == filters.object_id)
    if filters.api_key_id is not None:
        statement = statement.where(AuditEvent.api_key_id == filters.api_key_id)
    if filters.after is not None:
        statement = statement.where(AuditEvent.created_at >= filters.after)
    if filters.before is not None:
        statement = statement.where(AuditEvent.created_at < filters.before)
    return keyset_page(
        session,
        statement,
        params,
        created_at=AuditEvent.created_at,
        id=AuditEvent.id,
        list_key="audit-events",
        filters=vars(filters),
        descending=True,
    )
