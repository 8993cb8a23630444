"""HTTP API of badge classes and badge templates."""

from typing import Annotated
from uuid import UUID

from fastapi import File, Query, Request, Response, UploadFile, status
from fastapi.responses import JSONResponse

from badgeforge.audit.service import record as audit
from badgeforge.badge_classes import service
from badgeforge.badge_classes.models import BadgeClassState
from badgeforge.badge_classes.schemas import (
    BadgeClassCreate,
    BadgeClassRead,
    BadgeClassUpdate,
    BadgeTemplateRead,
)
from badgeforge.badge_classes.service import Designed
from badgeforge.contract import IMAGE_UPLOAD, body_link, links
from badgeforge.db import SessionDep
from badgeforge.deps import SettingsDep
from badgeforge.designs import catalogue
from badgeforge.etags import ETAG_HEADER, IfMatch, set_etag
from badgeforge.idempotency import IdempotencyKey, idempotent
from badgeforge.images import read_upload
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
from badgeforge.public.links import LinksDep, PublicLinks
from badgeforge.routing import api_router
from badgeforge.security import ManageAccess, ReadAccess

AWARD_IT = {
    "links": {"CreateAward": body_link("badge_class_id", "create_award_api_v1_awards_post")}
}
"""OpenAPI links of a response that is a badge class: to awarding it."""


def read(
    designed: Designed, links: PublicLinks, response: Response | None = None
) -> BadgeClassRead:
    if response is not None:
        set_etag(response, designed.badge_class.id, designed.badge_class.version)
    return BadgeClassRead.from_model(designed.badge_class, designed.version, links)


router = api_router("/api/v1/badge-classes", "badge classes")
templates_router = api_router("/api/v1/badge-templates", "badge classes")


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=BadgeClassRead,
    summary="Create a badge class",
    responses={
        **problem_responses(NotFound, InvalidBadgeImage, Conflict),
        201: {
            "links": {
                **links(
                    "badge_class_id",
                    GetBadgeClass="get_badge_class_api_v1_badge_classes__badge_class_id__get",
                    UpdateBadgeClass="update_badge_class_api_v1_badge_classes__badge_class_id__patch",
                    DeleteBadgeClass="delete_badge_class_api_v1_badge_classes__badge_class_id__delete",
                    UploadBadgeClassImage="upload_badge_class_image_api_v1_badge_classes__badge_class_id__image_put",
                    GetHostedBadgeClass="get_badge_class_ob2_badge_classes__badge_class_id__get",
                    GetHostedBadgeClassImage="get_badge_class_image_ob2_badge_classes__badge_class_id__image__extension__get",
                    ListBadgeClassAwards="list_awards_api_v1_awards_get",
                ),
                "CreateAward": body_link("badge_class_id", "create_award_api_v1_awards_post"),
            }
        },
    },
)
def create_badge_class(
    request: Request,
    body: BadgeClassCreate,
    session: SessionDep,
    principal: ManageAccess,
    links: LinksDep,
    settings: SettingsDep,
    idempotency_key: IdempotencyKey = None,
) -> BadgeClassRead | JSONResponse:
    """Create a badge class from its design matrix: who it is for, what it recognises, the
    criteria, the evidence and endorsements expected, alignments, levels, translations.

    It starts as a **draft** (version 1) to co-design, review, then publish; send
    `"publish": true` to publish it at once. The image is generated from a template with
    the badge's name; upload your own design with `PUT /api/v1/badge-classes/{id}/image`.
    Needs the `manage` scope. An `Idempotency-Key` makes retries safe.
    """

    def create() -> BadgeClassRead:
        designed = service.create(session, principal, body, settings)
        badge_class = designed.badge_class
        audit(session, principal, "badge_class.create", "badge_class", badge_class.id)
        return read(designed, links)

    return idempotent(
        request,
        session,
        principal,
        idempotency_key,
        body,
        create,
        status_code=status.HTTP_201_CREATED,
    )


@router.get("", summary="List badge classes", responses=problem_responses(BadRequest))
def list_badge_classes(
    session: SessionDep,
    principal: ReadAccess,
    links: LinksDep,
    page: PageDep,
    issuer_id: Annotated[UUID | None, Query(description="Only this issuer's classes.")] = None,
    name: Annotated[
        str | None,
        Query(min_length=1, max_length=200, description="Only names containing this (any case)."),
    ] = None,
    state: Annotated[
        BadgeClassState | None, Query(description="Only badge classes in this state.")
    ] = None,
) -> Page[BadgeClassRead]:
    """List your organisation's badge classes (their newest version), oldest first; follow
    `next` for the next page."""
    found = service.list_badge_classes(session, principal, page, issuer_id, name=name, state=state)
    newest = service.latest_versions(session, list(found.rows))
    items = [BadgeClassRead.from_model(row, newest[row.id], links) for row in found.rows]
    return Page.of(items, found, page)


@router.get(
    "/{badge_class_id}",
    summary="Get a badge class",
    responses={**problem_responses(NotFound), 200: {"headers": ETAG_HEADER, **AWARD_IT}},
)
def get_badge_class(
    badge_class_id: UUID,
    session: SessionDep,
    principal: ReadAccess,
    links: LinksDep,
    response: Response,
) -> BadgeClassRead:
    """Read one badge class of your organisation with its newest version; its `ETag` is what
    to send in `If-Match` when you change it."""
    return read(service.get(session, principal, badge_class_id), links, response)


@router.patch(
    "/{badge_class_id}",
    summary="Update a badge class",
    responses={
        **problem_responses(NotFound, InvalidBadgeImage, PreconditionFailed, Conflict),
        200: {"headers": ETAG_HEADER, **AWARD_IT},
    },
)
def update_badge_class(
    badge_class_id: UUID,
    body: BadgeClassUpdate,
    session: SessionDep,
    principal: ManageAccess,
    links: LinksDep,
    settings: SettingsDep,
    response: Response,
    if_match: IfMatch = None,
) -> BadgeClassRead:
    """Change fields of the design matrix. A draft changes in place; a published badge
    class gets a new draft version (awards keep being made of the published one until the
    draft is published). A badge class in review or archived cannot be changed (`409`).

    Send the `ETag` you read in `If-Match`: if someone changed the badge class since,
    nothing is changed and the answer is `412` (without it, last write wins).
    """
    designed = service.update(session, principal, badge_class_id, body, settings, if_match=if_match)
    fields = sorted(body.model_dump(exclude_unset=True))
    audit(session, principal, "badge_class.update", "badge_class", badge_class_id, fields=fields)
    return read(designed, links, response)


@router.delete(
    "/{badge_class_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete a badge class",
    responses=problem_responses(NotFound, Conflict),
)
def delete_badge_class(badge_class_id: UUID, session: SessionDep, principal: ManageAccess) -> None:
    """Delete a badge class that has never been awarded."""
    service.delete(session, principal, badge_class_id)
    audit(session, principal, "badge_class.delete", "badge_class", badge_class_id)


@router.put(
    "/{badge_class_id}/image",
    summary="Upload the badge image",
    openapi_extra=IMAGE_UPLOAD,
    responses={
        **problem_responses(
            NotFound, InvalidBadgeImage, PayloadTooLarge, Conflict, PreconditionFailed
        ),
        200: {"headers": ETAG_HEADER, **AWARD_IT},
    },
)
def upload_badge_class_image(
    badge_class_id: UUID,
    session: SessionDep,
    principal: ManageAccess,
    links: LinksDep,
    settings: SettingsDep,
    response: Response,
    file: UploadFile = File(description="A PNG or SVG image (the type is read from the content)."),
    if_match: IfMatch = None,
) -> BadgeClassRead:
    """Replace the badge image with your own PNG or SVG design.

    The type is sniffed from the bytes. SVG is sanitised (no scripts, event handlers,
    foreignObject, external references or entities) and also rasterised to PNG; a PNG also
    gets an SVG form, so every award can be baked in both formats. Like any edit, it goes
    to the draft (a published badge class gets a new draft version).
    """
    data = read_upload(file, settings.max_image_bytes)
    designed = service.set_image(
        session, principal, badge_class_id, data, settings, if_match=if_match
    )
    audit(session, principal, "badge_class.image", "badge_class", badge_class_id)
    return read(designed, links, response)


@templates_router.get("", summary="List badge templates")
def list_badge_templates(principal: ReadAccess, settings: SettingsDep) -> list[BadgeTemplateRead]:
    """The badge designs a badge class image can be generated from."""
    return [
        BadgeTemplateRead(
            name=design.name,
            title=f"{design.title.fr} / {design.title.en}",
            description=design.description.en,
        )
        for design in catalogue.designs(settings.badge_templates_dir)
    ]
