"""HTTP API of issuer profiles."""

from typing import Annotated
from uuid import UUID

from fastapi import File, Query, Request, Response, UploadFile, status
from fastapi.responses import JSONResponse

from badgeforge.audit.service import record as audit
from badgeforge.contract import IMAGE_UPLOAD, body_link, links
from badgeforge.db import SessionDep
from badgeforge.deps import SettingsDep
from badgeforge.etags import ETAG_HEADER, IfMatch, set_etag
from badgeforge.idempotency import IdempotencyKey, idempotent
from badgeforge.images import read_upload
from badgeforge.issuers import service
from badgeforge.issuers.schemas import IssuerCreate, IssuerRead, IssuerUpdate
from badgeforge.pagination import Page, PageDep
from badgeforge.problems import (
    BadRequest,
    Conflict,
    InvalidBadgeImage,
    NotFound,
    PayloadTooLarge,
    PreconditionFailed,
    problem_responses,
)
from badgeforge.public.links import LinksDep
from badgeforge.routing import api_router
from badgeforge.security import ManageAccess, ReadAccess

router = api_router("/api/v1/issuers", "issuers")


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=IssuerRead,
    summary="Create an issuer",
    responses={
        **problem_responses(Conflict),
        201: {
            "links": {
                **links(
                    "issuer_id",
                    GetIssuer="get_issuer_api_v1_issuers__issuer_id__get",
                    UpdateIssuer="update_issuer_api_v1_issuers__issuer_id__patch",
                    DeleteIssuer="delete_issuer_api_v1_issuers__issuer_id__delete",
                    UploadIssuerImage="upload_issuer_image_api_v1_issuers__issuer_id__image_put",
                    GetHostedIssuer="get_issuer_ob2_issuers__issuer_id__get",
                    ListIssuerBadgeClasses="list_badge_classes_api_v1_badge_classes_get",
                    ListKeys="list_keys_api_v1_issuers__issuer_id__keys_get",
                    RotateKey="rotate_key_api_v1_issuers__issuer_id__keys_rotate_post",
                    GetRevocationList=(
                        "get_ob2_revocation_list_ob2_issuers__issuer_id__revocations_get"
                    ),
                    GetIssuerProfile="get_ob3_issuer_ob3_issuers__issuer_id__get",
                    GetIssuerDid="get_issuer_did_ob3_issuers__issuer_id__did_json_get",
                    GetIssuerJwks="get_issuer_jwks_ob3_issuers__issuer_id__jwks_json_get",
                    GetStatusRevocationList=(
                        "get_ob3_revocation_list_ob3_issuers__issuer_id__revocations_get"
                    ),
                ),
                "CreateBadgeClass": body_link(
                    "issuer_id", "create_badge_class_api_v1_badge_classes_post"
                ),
            }
        },
    },
)
def create_issuer(
    request: Request,
    body: IssuerCreate,
    session: SessionDep,
    principal: ManageAccess,
    links: LinksDep,
    idempotency_key: IdempotencyKey = None,
) -> IssuerRead | JSONResponse:
    """Create an issuer profile: the name, web site and contact shown on every badge it awards.

    Needs the `manage` scope. An `Idempotency-Key` makes retries safe.
    """

    def create() -> IssuerRead:
        issuer = service.create(session, principal, body)
        audit(session, principal, "issuer.create", "issuer", issuer.id)
        return IssuerRead.from_model(issuer, links)

    return idempotent(
        request,
        session,
        principal,
        idempotency_key,
        body,
        create,
        status_code=status.HTTP_201_CREATED,
    )


@router.get("", summary="List issuers", responses=problem_responses(BadRequest))
def list_issuers(
    session: SessionDep,
    principal: ReadAccess,
    links: LinksDep,
    page: PageDep,
    name: Annotated[
        str | None,
        Query(min_length=1, max_length=200, description="Only names containing this (any case)."),
    ] = None,
) -> Page[IssuerRead]:
    """List your organisation's issuers, oldest first; follow `next` for the next page."""
    found = service.list_issuers(session, principal, page, name=name)
    items = [IssuerRead.from_model(issuer, links) for issuer in found.rows]
    return Page.of(items, found, page)


@router.get(
    "/{issuer_id}",
    summary="Get an issuer",
    responses={**problem_responses(NotFound), 200: {"headers": ETAG_HEADER}},
)
def get_issuer(
    issuer_id: UUID, session: SessionDep, principal: ReadAccess, links: LinksDep, response: Response
) -> IssuerRead:
    """Read one issuer profile of your organisation; its `ETag` is the version to send in
    `If-Match` when you update it."""
    issuer = service.get(session, principal, issuer_id)
    set_etag(response, issuer.id, issuer.version)
    return IssuerRead.from_model(issuer, links)


@router.patch(
    "/{issuer_id}",
    summary="Update an issuer",
    responses={**problem_responses(NotFound, PreconditionFailed), 200: {"headers": ETAG_HEADER}},
)
def update_issuer(
    issuer_id: UUID,
    body: IssuerUpdate,
    session: SessionDep,
    principal: ManageAccess,
    links: LinksDep,
    response: Response,
    if_match: IfMatch = None,
) -> IssuerRead:
    """Change some fields of an issuer profile; the hosted profile changes at once.

    Send the `ETag` of the version you edited in `If-Match`: if someone changed the issuer
    since, nothing is changed and the answer is `412` (without `If-Match`, last write wins).
    """
    issuer = service.update(session, principal, issuer_id, body, if_match=if_match)
    fields = sorted(body.model_dump(exclude_unset=True))
    audit(session, principal, "issuer.update", "issuer", issuer.id, fields=fields)
    set_etag(response, issuer.id, issuer.version)
    return IssuerRead.from_model(issuer, links)


@router.delete(
    "/{issuer_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete an issuer",
    responses=problem_responses(NotFound, Conflict),
)
def delete_issuer(issuer_id: UUID, session: SessionDep, principal: ManageAccess) -> None:
    """Delete an issuer that has no badge classes (awarded badges must stay verifiable)."""
    service.delete(session, principal, issuer_id)
    audit(session, principal, "issuer.delete", "issuer", issuer_id)


@router.put(
    "/{issuer_id}/image",
    summary="Upload the issuer's logo",
    openapi_extra=IMAGE_UPLOAD,
    responses={
        **problem_responses(NotFound, InvalidBadgeImage, PayloadTooLarge),
        200: {
            "links": links(
                "issuer_id",
                GetHostedIssuerImage="get_issuer_image_ob2_issuers__issuer_id__image_get",
            )
        },
    },
)
def upload_issuer_image(
    issuer_id: UUID,
    session: SessionDep,
    principal: ManageAccess,
    links: LinksDep,
    settings: SettingsDep,
    file: UploadFile = File(description="A PNG or SVG logo (the type is read from the content)."),
) -> IssuerRead:
    """Set the issuer's logo. SVG is sanitised (no scripts, no external references)."""
    data = read_upload(file, settings.max_image_bytes)
    issuer = service.set_image(session, principal, issuer_id, data, settings)
    audit(session, principal, "issuer.image", "issuer", issuer.id)
    return IssuerRead.from_model(issuer, links)
