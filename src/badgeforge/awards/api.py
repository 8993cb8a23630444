"""HTTP API of awards."""

from typing import Annotated
from uuid import UUID

from fastapi import Query, Request, status
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from badgeforge.audit.service import record as audit
from badgeforge.awards import service
from badgeforge.awards.models import Award
from badgeforge.awards.schemas import AwardCreate, AwardRead, AwardRevoke
from badgeforge.contract import links
from badgeforge.db import SessionDep
from badgeforge.deps import SettingsDep, VaultDep
from badgeforge.fields import Email, Timestamp
from badgeforge.idempotency import IdempotencyKey, idempotent
from badgeforge.observability import AWARDS_ISSUED
from badgeforge.pagination import Page, PageDep
from badgeforge.problems import (
    BadRequest,
    Conflict,
    NotFound,
    problem_responses,
)
from badgeforge.routing import api_router
from badgeforge.security import IssueAccess, ReadAccess

FORMAT_LINKS = links(
    "award_id",
    RevokeAward="revoke_award_api_v1_awards__award_id__revoke_post",
    GetHostedAssertion="get_assertion_ob2_assertions__award_id__get",
    GetBakedImage="get_baked_image_ob2_assertions__award_id__baked__extension__get",
    GetSignedAssertion="get_signed_assertion_ob2_assertions__award_id__signed_get",
    GetSignedBakedImage=(
        "get_signed_baked_image_ob2_assertions__award_id__signed_baked__extension__get"
    ),
    GetCredential="get_credential_ob3_credentials__award_id__get",
    GetCredentialJwt="get_credential_jwt_ob3_credentials__award_id__jwt_get",
    GetBakedCredential="get_baked_credential_ob3_credentials__award_id__baked__extension__get",
)
"""OpenAPI links from an award to revoking it and to every format it was issued in."""

router = api_router("/api/v1/awards", "awards")


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=AwardRead,
    summary="Award a badge",
    responses={
        **problem_responses(NotFound, Conflict),
        201: {
            "links": {
                **links("award_id", GetAward="get_award_api_v1_awards__award_id__get"),
                **FORMAT_LINKS,
            }
        },
    },
)
def create_award(
    request: Request,
    body: AwardCreate,
    session: SessionDep,
    principal: IssueAccess,
    settings: SettingsDep,
    vault: VaultDep,
    idempotency_key: IdempotencyKey = None,
) -> AwardRead | JSONResponse:
    """Award a badge class to a learner's email address.

    The response gives the hosted assertion URL (what a wallet such as Open Badge Passport
    imports) and the baked PNG and SVG. The learner must add and verify this same address
    in their wallet. Send an `Idempotency-Key` to retry safely without awarding twice.
    Needs the `issue` scope.
    """

    def create() -> AwardRead:
        award, issued = service.award(
            session, principal, body, vault=vault, base_url=settings.base_url
        )
        audit(session, principal, "award.create", "award", award.id)
        AWARDS_ISSUED.labels("api").inc()
        return AwardRead.from_model(award, issued)

    return idempotent(
        request,
        session,
        principal,
        idempotency_key,
        body,
        create,
        status_code=status.HTTP_201_CREATED,
    )


@router.get("", summary="List awards", responses=problem_responses(BadRequest))
def list_awards(
    session: SessionDep,
    principal: ReadAccess,
    page: PageDep,
    badge_class_id: Annotated[UUID | None, Query(description="Only this badge class.")] = None,
    recipient_email: Annotated[Email | None, Query(description="Only this recipient.")] = None,
    revoked: Annotated[
        bool | None, Query(description="Only revoked (or only valid) awards.")
    ] = None,
    issued_after: Annotated[
        Timestamp | None, Query(description="Issued at or after this time (with a zone).")
    ] = None,
    issued_before: Annotated[
        Timestamp | None, Query(description="Issued before this time (with a zone).")
    ] = None,
) -> Page[AwardRead]:
    """List your organisation's awards, newest first; follow `next` for the next page."""
    found = service.list_awards(
        session,
        principal,
        page,
        badge_class_id=badge_class_id,
        recipient_email=recipient_email,
        revoked=revoked,
        issued_after=issued_after,
        issued_before=issued_before,
    )
    issued = service.issued_for(session, found.rows)
    items = [AwardRead.from_model(row, issued[row.id]) for row in found.rows]
    return Page.of(items, found, page)


@router.get(
    "/{award_id}",
    summary="Get an award",
    responses={**problem_responses(NotFound), 200: {"links": FORMAT_LINKS}},
)
def get_award(award_id: UUID, session: SessionDep, principal: ReadAccess) -> AwardRead:
    """Read one award of your organisation, with the URLs of every format it was issued in."""
    award = service.get(session, principal, award_id)
    return AwardRead.from_model(award, service.issued_for(session, [award])[award.id])


@router.post(
    "/{award_id}/revoke",
    response_model=AwardRead,
    summary="Revoke an award",
    responses=problem_responses(NotFound, Conflict),
)
def revoke_award(
    request: Request,
    award_id: UUID,
    body: AwardRevoke,
    session: SessionDep,
    principal: IssueAccess,
    vault: VaultDep,
    idempotency_key: IdempotencyKey = None,
) -> AwardRead | JSONResponse:
    """Withdraw an award with a reason, in every format at once: its hosted assertion then
    answers `410 Gone` (wallets and verifiers read it as revoked), the signed assertion is
    listed in the issuer's `revocationList`, and the OB 3.0 credential's status list bit is
    set. Revocation cannot be undone; revoking a revoked
    award is a conflict, unless it is a retry with the same `Idempotency-Key`."""

    def revoke() -> AwardRead:
        award = service.revoke(session, principal, award_id, body.reason, vault=vault)
        audit(session, principal, "award.revoke", "award", award.id)
        return _read(session, award)

    return idempotent(
        request,
        session,
        principal,
        idempotency_key,
        body,
        revoke,
        status_code=status.HTTP_200_OK,
    )


def _read(session: Session, award: Award) -> AwardRead:
    return AwardRead.from_model(award, service.issued_for(session, [award])[award.id])
