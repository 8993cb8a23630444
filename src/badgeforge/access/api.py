"""HTTP API of the caller's organisation and its API keys."""

from typing import Annotated
from uuid import UUID

from fastapi import Query, Request, Response, status
from fastapi.responses import JSONResponse

from badgeforge.access import service
from badgeforge.access.schemas import ApiKeyCreate, ApiKeyCreated, ApiKeyRead, OrganisationRead
from badgeforge.audit.service import record as audit
from badgeforge.contract import links
from badgeforge.db import SessionDep
from badgeforge.deps import VaultDep
from badgeforge.idempotency import IdempotencyKey, Sealed, idempotent
from badgeforge.pagination import Page, PageDep
from badgeforge.problems import (
    BadRequest,
    Conflict,
    NotFound,
    problem_responses,
)
from badgeforge.routing import api_router
from badgeforge.security import AdminAccess, ReadAccess

router = api_router("/api/v1", None)


@router.get("/organisation", tags=["access"], summary="Who am I")
def get_organisation(session: SessionDep, principal: ReadAccess) -> OrganisationRead:
    """The organisation your API key belongs to, and what the key may do."""
    organisation = service.get_organisation(session, principal)
    return OrganisationRead.from_model(organisation, principal.scopes)


@router.post(
    "/api-keys",
    tags=["access"],
    status_code=status.HTTP_201_CREATED,
    summary="Create an API key",
    response_model=ApiKeyCreated,
    responses={
        **problem_responses(Conflict),
        201: {
            "links": links("key_id", RevokeApiKey="revoke_api_key_api_v1_api_keys__key_id__delete")
        },
    },
)
def create_api_key(
    request: Request,
    body: ApiKeyCreate,
    session: SessionDep,
    principal: AdminAccess,
    response: Response,
    vault: VaultDep,
    idempotency_key: IdempotencyKey = None,
) -> ApiKeyCreated | JSONResponse:
    """Create an API key for your organisation. The secret `key` is in this response only.

    Scopes: `read`; `issue` (award and revoke, implies read); `manage` (issuers and badge
    classes, implies read); `admin` (API keys, implies all). Needs the `admin` scope.
    An `Idempotency-Key` makes retries safe: a retry gets the same key back (the stored
    response is encrypted under the master keys, for 24 hours).
    """

    def create() -> ApiKeyCreated:
        key, token = service.create_key(session, principal.organisation_id, body.name, body.scopes)
        audit(session, principal, "api_key.create", "api_key", key.id, scopes=key.scopes)
        return ApiKeyCreated(**ApiKeyRead.from_model(key).model_dump(), key=token)

    response.headers["Cache-Control"] = "no-store"  # the secret must not sit in any cache
    return idempotent(
        request,
        session,
        principal,
        idempotency_key,
        body,
        create,
        status_code=status.HTTP_201_CREATED,
        sealed=Sealed(("key",), vault.master_keys),
    )


@router.get(
    "/api-keys", tags=["access"], summary="List API keys", responses=problem_responses(BadRequest)
)
def list_api_keys(
    session: SessionDep,
    principal: AdminAccess,
    page: PageDep,
    revoked: Annotated[bool | None, Query(description="Only revoked (or active) keys.")] = None,
) -> Page[ApiKeyRead]:
    """Your organisation's API keys (prefixes only, never secrets), newest first."""
    found = service.list_keys(session, principal, page, revoked=revoked)
    items = [ApiKeyRead.from_model(key) for key in found.rows]
    return Page.of(items, found, page)


@router.delete(
    "/api-keys/{key_id}",
    tags=["access"],
    summary="Revoke an API key",
    responses=problem_responses(NotFound, Conflict),
)
def revoke_api_key(key_id: UUID, session: SessionDep, principal: AdminAccess) -> ApiKeyRead:
    """Revoke a key at once; requests with it then answer 401."""
    key = service.revoke_key(session, principal, key_id)
    audit(session, principal, "api_key.revoke", "api_key", key.id)
    return ApiKeyRead.from_model(key)
