"""HTTP API of the competency framework catalogue."""

from typing import Annotated, Any
from uuid import UUID

from fastapi import Path, Query, Request, Response, status
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from badgeforge.audit.service import record as audit
from badgeforge.db import SessionDep
from badgeforge.deps import SettingsDep
from badgeforge.etags import ETAG_HEADER, IfMatch, set_etag
from badgeforge.frameworks import imports, service
from badgeforge.frameworks.models import CompetencyFramework, FrameworkItem
from badgeforge.frameworks.reads import framework_read, item_reads
from badgeforge.frameworks.schemas import (
    RECTEC_ID,
    FrameworkCreate,
    FrameworkExtend,
    FrameworkRead,
    FrameworkUpdate,
    ItemCreate,
    ItemRead,
    ItemUpdate,
)
from badgeforge.frameworks.uploads import IMPORT_BODY, ImportDep
from badgeforge.idempotency import IdempotencyKey, idempotent
from badgeforge.pagination import Page, PageDep
from badgeforge.problems import (
    BadRequest,
    Conflict,
    NotFound,
    PayloadTooLarge,
    PreconditionFailed,
    UnsupportedMediaType,
    problem_responses,
)
from badgeforge.routing import api_router
from badgeforge.security import ManageAccess, Principal, ReadAccess

router = api_router("/api/v1/frameworks", "competency frameworks")
# No OpenAPI links from these operations: each link is a transition the contract run's
# bounded stateful phase must follow, and eight more left other domains' links unreached.
FRAMEWORK = "/{framework_id:uuid}"
"""A UUID only: `/import` is no framework id (PATCH on it is 405, not a 422)."""
FrameworkId = Annotated[UUID, Path(examples=[RECTEC_ID], description="A framework's `id`.")]


def _created(
    request: Request,
    session: Session,
    principal: Principal,
    key: str | None,
    fingerprint: Any,
    make: Any,
    base_url: str,
    action: str,
) -> FrameworkRead | JSONResponse:
    def create() -> FrameworkRead:
        framework: CompetencyFramework = make()
        audit(session, principal, action, "competency_framework", framework.id)
        return framework_read(session, principal, framework, base_url)

    return idempotent(
        request, session, principal, key, fingerprint, create, status_code=status.HTTP_201_CREATED
    )


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=FrameworkRead,
    summary="Create a framework",
    responses=problem_responses(Conflict),
)
def create_framework(
    request: Request,
    body: FrameworkCreate,
    session: SessionDep,
    principal: ManageAccess,
    settings: SettingsDep,
    idempotency_key: IdempotencyKey = None,
) -> FrameworkRead | JSONResponse:
    """Create an empty framework in your catalogue (its levels, then add items).

    Needs the `manage` scope. An `Idempotency-Key` makes retries safe.
    """
    return _created(
        request,
        session,
        principal,
        idempotency_key,
        body,
        lambda: service.create(session, principal, body),
        settings.base_url,
        "competency_framework.create",
    )


@router.post(
    "/import",
    status_code=status.HTTP_201_CREATED,
    response_model=FrameworkRead,
    summary="Import a framework",
    openapi_extra=IMPORT_BODY,
    responses=problem_responses(Conflict, BadRequest, PayloadTooLarge, UnsupportedMediaType),
)
def import_framework(
    request: Request,
    upload: ImportDep,
    session: SessionDep,
    principal: ManageAccess,
    settings: SettingsDep,
    idempotency_key: IdempotencyKey = None,
) -> FrameworkRead | JSONResponse:
    """Import a whole framework: a JSON document, or a CSV file exported from a spreadsheet.

    CSV: UTF-8 (BOM accepted), `;` or `,` separated, header `code;name;description;url;
    group;level` (French headers such as `nom`, `niveau`, `pôle` work too): a row with a code
    is an item, a row with no code and a `level` names that level, a row with a code and a
    `level` describes the item at that level. The form also gives `slug`, `name` and `url`.
    Every bad row is reported with its line number and nothing is imported until the file
    is good (see docs/frameworks.md). Needs the `manage` scope.
    """
    return _created(
        request,
        session,
        principal,
        idempotency_key,
        upload.fingerprint,
        lambda: imports.store(session, principal, upload.framework),
        settings.base_url,
        "competency_framework.import",
    )


@router.get("", summary="List frameworks", responses=problem_responses(BadRequest))
def list_frameworks(
    session: SessionDep,
    principal: ReadAccess,
    settings: SettingsDep,
    page: PageDep,
    slug: Annotated[str | None, Query(min_length=1, max_length=64)] = None,
    name: Annotated[
        str | None,
        Query(min_length=1, max_length=200, description="Only names containing this (any case)."),
    ] = None,
    built_in: Annotated[
        bool | None, Query(description="Only built-in (`true`) or your own (`false`).")
    ] = None,
) -> Page[FrameworkRead]:
    """The built-in frameworks (RECTEC…) and your organisation's, oldest first."""
    found = service.list_frameworks(
        session, principal, page, slug=slug, name=name, built_in=built_in
    )
    counts = service.item_counts(session, principal, [f.id for f in found.rows])
    items = [
        framework_read(session, principal, f, settings.base_url, counts[f.id]) for f in found.rows
    ]
    return Page.of(items, found, page)


@router.get(
    FRAMEWORK,
    summary="Get a framework",
    responses={**problem_responses(NotFound), 200: {"headers": ETAG_HEADER}},
)
def get_framework(
    framework_id: FrameworkId,
    session: SessionDep,
    principal: ReadAccess,
    settings: SettingsDep,
    response: Response,
) -> FrameworkRead:
    """A built-in framework or one of yours, with its levels; its `ETag` goes in `If-Match`."""
    framework = service.get(session, principal, framework_id)
    set_etag(response, framework.id, framework.version)
    return framework_read(session, principal, framework, settings.base_url)


@router.patch(
    FRAMEWORK,
    summary="Update a framework",
    responses={
        **problem_responses(NotFound, Conflict, PreconditionFailed),
        200: {"headers": ETAG_HEADER},
    },
)
def update_framework(
    framework_id: FrameworkId,
    body: FrameworkUpdate,
    session: SessionDep,
    principal: ManageAccess,
    settings: SettingsDep,
    response: Response,
    if_match: IfMatch = None,
) -> FrameworkRead:
    """Change some fields of one of your frameworks (built-in ones are read-only: 409).

    Send the `ETag` you read in `If-Match`: if the framework changed since, nothing is
    changed and the answer is `412`.
    """
    framework = service.update(session, principal, framework_id, body, if_match=if_match)
    fields = sorted(body.model_dump(exclude_unset=True))
    audit(
        session,
        principal,
        "competency_framework.update",
        "competency_framework",
        framework.id,
        fields=fields,
    )
    set_etag(response, framework.id, framework.version)
    return framework_read(session, principal, framework, settings.base_url)


@router.delete(
    FRAMEWORK,
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete a framework",
    responses=problem_responses(NotFound, Conflict),
)
def delete_framework(
    framework_id: FrameworkId, session: SessionDep, principal: ManageAccess
) -> None:
    """Delete one of your frameworks and its items (built-in ones cannot be deleted: 409)."""
    service.delete(session, principal, framework_id)
    audit(session, principal, "competency_framework.delete", "competency_framework", framework_id)


@router.post(
    f"{FRAMEWORK}/extend",
    status_code=status.HTTP_201_CREATED,
    response_model=FrameworkRead,
    summary="Copy a framework into your catalogue",
    responses=problem_responses(NotFound, Conflict),
)
def extend_framework(
    request: Request,
    framework_id: FrameworkId,
    body: FrameworkExtend,
    session: SessionDep,
    principal: ManageAccess,
    settings: SettingsDep,
    idempotency_key: IdempotencyKey = None,
) -> FrameworkRead | JSONResponse:
    """Copy a framework (typically a built-in one such as RECTEC) into your catalogue, to add
    per-level descriptors or items of your own. The copy keeps the levels and the codes."""
    return _created(
        request,
        session,
        principal,
        idempotency_key,
        body,
        lambda: imports.extend(session, principal, framework_id, body),
        settings.base_url,
        "competency_framework.extend",
    )


@router.get(
    f"{FRAMEWORK}/items",
    summary="List a framework's items",
    responses=problem_responses(NotFound, BadRequest),
)
def list_framework_items(
    framework_id: FrameworkId,
    session: SessionDep,
    principal: ReadAccess,
    settings: SettingsDep,
    page: PageDep,
    group: Annotated[
        str | None, Query(min_length=1, max_length=200, description="Only this pole or block.")
    ] = None,
    code: Annotated[str | None, Query(min_length=1, max_length=64)] = None,
) -> Page[ItemRead]:
    """A framework's items in their order (C1, C2…), each with its alignment `target_url`."""
    found = service.list_items(session, principal, framework_id, page, group=group, code=code)
    framework = service.get(session, principal, framework_id)
    reads = item_reads(session, principal, framework, found.rows, settings.base_url)
    return Page.of(reads, found, page)


@router.post(
    f"{FRAMEWORK}/items",
    status_code=status.HTTP_201_CREATED,
    response_model=ItemRead,
    summary="Add an item to a framework",
    responses=problem_responses(NotFound, Conflict),
)
def add_framework_item(
    request: Request,
    framework_id: FrameworkId,
    body: ItemCreate,
    session: SessionDep,
    principal: ManageAccess,
    settings: SettingsDep,
    idempotency_key: IdempotencyKey = None,
) -> ItemRead | JSONResponse:
    """Add a competency to one of your frameworks (a copy of a built-in one included)."""

    def create() -> ItemRead:
        item = service.add_item(session, principal, framework_id, body)
        audit(session, principal, "framework_item.create", "framework_item", item.id)
        return _item_read(session, principal, item, settings.base_url)

    return idempotent(
        request,
        session,
        principal,
        idempotency_key,
        body,
        create,
        status_code=status.HTTP_201_CREATED,
    )


@router.patch(
    f"{FRAMEWORK}/items/{{item_id:uuid}}",
    summary="Update a framework item",
    responses={
        **problem_responses(NotFound, Conflict, PreconditionFailed),
        200: {"headers": ETAG_HEADER},
    },
)
def update_framework_item(
    framework_id: FrameworkId,
    item_id: UUID,
    body: ItemUpdate,
    session: SessionDep,
    principal: ManageAccess,
    settings: SettingsDep,
    response: Response,
    if_match: IfMatch = None,
) -> ItemRead:
    """Change an item of one of your frameworks: its per-level descriptors (`levels`), name,
    description, URL or group.

    `If-Match` takes the framework's `ETag` (every change to its items is a new version of
    the framework): if it changed since, nothing is changed and the answer is `412`. The
    answer's `ETag` is the framework's new one.
    """
    item = service.update_item(session, principal, framework_id, item_id, body, if_match=if_match)
    framework = service.get(session, principal, framework_id)
    set_etag(response, framework.id, framework.version)
    fields = sorted(body.model_dump(exclude_unset=True))
    audit(session, principal, "framework_item.update", "framework_item", item.id, fields=fields)
    return _item_read(session, principal, item, settings.base_url)


def _item_read(
    session: Session, principal: Principal, item: FrameworkItem, base_url: str
) -> ItemRead:
    framework = service.get(session, principal, item.framework_id)
    return item_reads(session, principal, framework, [item], base_url)[0]
