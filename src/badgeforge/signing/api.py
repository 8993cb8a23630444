"""HTTP API of issuers' signing keys: list, rotate, retire. Private keys never leave."""

from typing import Annotated
from uuid import UUID

from fastapi import Query, Request, status
from fastapi.responses import JSONResponse

from badgeforge.audit.service import record as audit
from badgeforge.contract import links
from badgeforge.core.keys import KeyAlgorithm
from badgeforge.db import SessionDep
from badgeforge.deps import VaultDep
from badgeforge.idempotency import IdempotencyKey, idempotent
from badgeforge.issuance import status as status_lists
from badgeforge.issuers.service import IssuerRepository
from badgeforge.pagination import Page, PageDep
from badgeforge.problems import (
    BadRequest,
    Conflict,
    NotFound,
    problem_responses,
)
from badgeforge.public.links import LinksDep
from badgeforge.routing import api_router
from badgeforge.security import ManageAccess, ReadAccess
from badgeforge.signing import service
from badgeforge.signing.models import KeyStatus
from badgeforge.signing.schemas import KeyRotate, SigningKeyRead

router = api_router("/api/v1", "signing keys", NotFound)


@router.get(
    "/issuers/{issuer_id}/keys",
    summary="List an issuer's signing keys",
    responses=problem_responses(BadRequest),
)
def list_keys(
    issuer_id: UUID,
    session: SessionDep,
    principal: ReadAccess,
    links: LinksDep,
    page: PageDep,
    key_status: Annotated[
        KeyStatus | None, Query(alias="status", description="Only keys in this state.")
    ] = None,
    algorithm: Annotated[KeyAlgorithm | None, Query(description="Only this algorithm.")] = None,
) -> Page[SigningKeyRead]:
    """The issuer's public keys, newest first: the active Ed25519 and RSA keys (made at its
    first award), and rotated or retired ones. Private keys are never returned."""
    issuer = IssuerRepository(session, principal).get(issuer_id)
    found = service.page_keys(
        session, principal, issuer.id, page, status=key_status, algorithm=algorithm
    )
    items = [SigningKeyRead.from_model(key, links) for key in found.rows]
    return Page.of(items, found, page)


@router.post(
    "/issuers/{issuer_id}/keys/rotate",
    status_code=status.HTTP_201_CREATED,
    response_model=SigningKeyRead,
    summary="Rotate a signing key",
    responses={
        201: {
            "links": links(
                "key_id",
                RetireKey="retire_key_api_v1_keys__key_id__retire_post",
                GetKey="get_ob3_key_ob3_keys__key_id__get",
                GetCryptographicKey="get_ob2_key_ob2_keys__key_id__get",
            )
        }
    },
)
def rotate_key(
    request: Request,
    issuer_id: UUID,
    body: KeyRotate,
    session: SessionDep,
    principal: ManageAccess,
    vault: VaultDep,
    links: LinksDep,
    idempotency_key: IdempotencyKey = None,
) -> SigningKeyRead | JSONResponse:
    """Make a new active key of the algorithm. New awards are signed with it; the previous
    key stays published (`rotated`), so badges it signed keep verifying. Needs `manage`."""
    issuer = IssuerRepository(session, principal).get(issuer_id)

    def rotate() -> SigningKeyRead:
        key = service.rotate(session, vault, issuer, body.algorithm)
        if body.algorithm is KeyAlgorithm.ED25519:  # status lists are signed with it
            status_lists.sign_lists_again(session, vault, issuer)
        audit(
            session,
            principal,
            "signing_key.rotate",
            "signing_key",
            key.id,
            issuer_id=str(issuer.id),
        )
        return SigningKeyRead.from_model(key, links)

    return idempotent(
        request,
        session,
        principal,
        idempotency_key,
        body,
        rotate,
        status_code=status.HTTP_201_CREATED,
    )


@router.post(
    "/keys/{key_id}/retire",
    response_model=SigningKeyRead,
    summary="Retire a rotated signing key",
    responses=problem_responses(Conflict),
)
def retire_key(
    key_id: UUID, session: SessionDep, principal: ManageAccess, links: LinksDep
) -> SigningKeyRead:
    """Withdraw a rotated key (for example a compromised one): it is no longer published, so
    what it signed no longer verifies. An active key must be rotated first (409)."""
    key = service.retire(session, principal, key_id)
    audit(session, principal, "signing_key.retire", "signing_key", key.id)
    return SigningKeyRead.from_model(key, links)
