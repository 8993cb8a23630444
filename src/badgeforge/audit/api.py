"""HTTP API of the audit log (admin scope)."""

from typing import Annotated
from uuid import UUID

from fastapi import Query

from badgeforge.audit import service
from badgeforge.audit.schemas import AuditEventRead
from badgeforge.db import SessionDep
from badgeforge.fields import Timestamp
from badgeforge.pagination import Page, PageDep
from badgeforge.problems import (
    BadRequest,
    problem_responses,
)
from badgeforge.routing import api_router
from badgeforge.security import AdminAccess

router = api_router("/api/v1/audit-events", "access")


@router.get("", summary="Read the audit log", responses=problem_responses(BadRequest))
def list_audit_events(
    session: SessionDep,
    principal: AdminAccess,
    page: PageDep,
    action: Annotated[
        str | None,
        Query(
            max_length=64,
            pattern=r"^[a-z_]+(\.[a-z_]+|\.\*)$",
            description="Only this action (`award.revoke`), or `award.*` for every award action.",
        ),
    ] = None,
    object_type: Annotated[
        str | None, Query(max_length=64, description="Only this kind of object (`award`).")
    ] = None,
    object_id: Annotated[UUID | None, Query(description="Only this object.")] = None,
    api_key_id: Annotated[UUID | None, Query(description="Only what this key did.")] = None,
    occurred_after: Annotated[
        Timestamp | None, Query(description="From this time on (inclusive, with a time zone).")
    ] = None,
    occurred_before: Annotated[
        Timestamp | None, Query(description="Before this time (with a time zone).")
    ] = None,
) -> Page[AuditEventRead]:
    """Who did what in your organisation, newest first: the API key (id, name, prefix), the
    action (`award.create`, `award.revoke`, `issuer.update`, `api_key.revoke`,
    `signing_key.rotate`…), the object, the time and the request id. Needs `admin`."""
    filters = service.AuditFilters(
        action=action,
        object_type=object_type,
        object_id=object_id,
        api_key_id=api_key_id,
        after=occurred_after,
        before=occurred_before,
    )
    found = service.list_events(session, principal, page, filters)
    return Page.of([AuditEventRead.from_model(event) for event in found.rows], found, page)
