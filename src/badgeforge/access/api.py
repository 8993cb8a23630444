"""HTTP API of the caller's organisation and its API keys."""

from uuid import UUID

from fastapi import APIRouter, Response, status

from badgeforge.access import service
from badgeforge.access.schemas import ApiKeyCreate, ApiKeyCreated, ApiKeyRead, OrganisationRead
from badgeforge.contract import links
from badgeforge.db import SessionDep
from badgeforge.pagination import Page, PageDep
from badgeforge.problems import Conflict, Forbidden, NotFound, Unauthorized, problem_responses
from badgeforge.security import AdminAccess, ReadAccess

router = APIRouter(prefix="/api/v1", responses=problem_responses(Unauthorized, Forbidden))


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
    responses={
        201: {
            "links": links("key_id", RevokeApiKey="revoke_api_key_api_v1_api_keys__key_id__delete")
        }
    },
)
def create_api_key(
    body: ApiKeyCreate, session: SessionDep, principal: AdminAccess, response: Response
) -> ApiKeyCreated:
    """Create an API key for your organisation. The secret `key` is in this response only.

    Scopes: `read`; `issue` (award and revoke, implies read); `manage` (issuers and badge
    classes, implies read); `admin` (API keys, implies all). Needs the `admin` scope.
    """
    key, token = service.create_key(session, principal.organisation_id, body.name, body.scopes)
    response.headers["Cache-Control"] = "no-store"  # the secret must not sit in any cache
    return ApiKeyCreated(**ApiKeyRead.from_model(key).model_dump(), key=token)


@router.get("/api-keys", tags=["access"], summary="List API keys")
def list_api_keys(session: SessionDep, principal: AdminAccess, page: PageDep) -> Page[ApiKeyRead]:
    """Your organisation's API keys (prefixes only, never secrets), newest first."""
    keys, total = service.list_keys(session, principal, page)
    items = [ApiKeyRead.from_model(key) for key in keys]
    return Page.of(items, total, page)


@router.delete(
    "/api-keys/{key_id}",
    tags=["access"],
    summary="Revoke an API key",
    responses=problem_responses(NotFound, Conflict),
)
def revoke_api_key(key_id: UUID, session: SessionDep, principal: AdminAccess) -> ApiKeyRead:
    """Revoke a key at once; requests with it then answer 401."""
    return ApiKeyRead.from_model(service.revoke_key(session, principal, key_id))
