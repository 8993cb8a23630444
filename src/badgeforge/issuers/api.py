"""HTTP API of issuer profiles."""

from uuid import UUID

from fastapi import APIRouter, File, Request, UploadFile, status
from fastapi.responses import JSONResponse

from badgeforge.contract import IMAGE_UPLOAD, body_link, links
from badgeforge.db import SessionDep
from badgeforge.deps import LinksDep, SettingsDep
from badgeforge.idempotency import IdempotencyKey, idempotent
from badgeforge.images import read_upload
from badgeforge.issuers import service
from badgeforge.issuers.schemas import IssuerCreate, IssuerRead, IssuerUpdate
from badgeforge.pagination import Page, PageDep
from badgeforge.problems import (
    Conflict,
    Forbidden,
    InvalidBadgeImage,
    NotFound,
    PayloadTooLarge,
    Unauthorized,
    problem_responses,
)
from badgeforge.security import ManageAccess, ReadAccess

router = APIRouter(
    prefix="/api/v1/issuers",
    tags=["issuers"],
    responses=problem_responses(Unauthorized, Forbidden),
)


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
    return idempotent(
        request,
        session,
        principal,
        idempotency_key,
        body,
        lambda: IssuerRead.from_model(service.create(session, principal, body), links),
        status_code=status.HTTP_201_CREATED,
    )


@router.get("", summary="List issuers")
def list_issuers(
    session: SessionDep, principal: ReadAccess, links: LinksDep, page: PageDep
) -> Page[IssuerRead]:
    """List your organisation's issuers, oldest first."""
    issuers, total = service.list_issuers(session, principal, page)
    items = [IssuerRead.from_model(issuer, links) for issuer in issuers]
    return Page.of(items, total, page)


@router.get("/{issuer_id}", summary="Get an issuer", responses=problem_responses(NotFound))
def get_issuer(
    issuer_id: UUID, session: SessionDep, principal: ReadAccess, links: LinksDep
) -> IssuerRead:
    """Read one issuer profile of your organisation."""
    return IssuerRead.from_model(service.get(session, principal, issuer_id), links)


@router.patch("/{issuer_id}", summary="Update an issuer", responses=problem_responses(NotFound))
def update_issuer(
    issuer_id: UUID,
    body: IssuerUpdate,
    session: SessionDep,
    principal: ManageAccess,
    links: LinksDep,
) -> IssuerRead:
    """Change some fields of an issuer profile; the hosted profile changes at once."""
    return IssuerRead.from_model(service.update(session, principal, issuer_id, body), links)


@router.delete(
    "/{issuer_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete an issuer",
    responses=problem_responses(NotFound, Conflict),
)
def delete_issuer(issuer_id: UUID, session: SessionDep, principal: ManageAccess) -> None:
    """Delete an issuer that has no badge classes (awarded badges must stay verifiable)."""
    service.delete(session, principal, issuer_id)


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
    return IssuerRead.from_model(issuer, links)
