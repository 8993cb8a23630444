"""HTTP API of a badge class's design: workflow actions, versions, history."""

from typing import Annotated, Literal
from uuid import UUID

from fastapi import Path, Response

from badgeforge.audit.service import record as audit
from badgeforge.badge_classes import history, service
from badgeforge.badge_classes.api import AWARD_IT, read
from badgeforge.badge_classes.schemas import (
    BadgeClassChangeRead,
    BadgeClassRead,
    BadgeClassVersionRead,
)
from badgeforge.badge_classes.workflow import Action
from badgeforge.db import SessionDep
from badgeforge.etags import ETAG_HEADER, IfMatch
from badgeforge.problems import (
    Conflict,
    NotFound,
    PreconditionFailed,
    problem_responses,
)
from badgeforge.public.links import MEDIA_TYPES, LinksDep
from badgeforge.routing import api_router
from badgeforge.security import ManageAccess, ReadAccess

router = api_router("/api/v1/badge-classes", "badge class design")
Number = Annotated[int, Path(ge=1, le=1_000_000, description="A version number.")]


_ACTIONS = {
    Action.SUBMIT: (
        "Submit a badge class for review",
        "Freeze the draft for review by the co-designers and the issuer admin (draft → "
        "in_review). Edits are refused until it is published or sent back to draft.",
    ),
    Action.RETURN: (
        "Send a badge class back to draft",
        "Reopen a badge class in review for edits (in_review → draft).",
    ),
    Action.PUBLISH: (
        "Publish a badge class",
        "Publish the newest version (draft or in_review → published). It never changes "
        "again: awards are made of it from now on, and awards of earlier versions keep "
        "their own version's documents. Emits `badge_class.published`.",
    ),
    Action.ARCHIVE: (
        "Archive a badge class",
        "Stop awarding it (published → archived); its awards stay valid and verifiable. "
        "Emits `badge_class.archived`.",
    ),
    Action.RESTORE: (
        "Restore an archived badge class",
        "Award it again (archived → published).",
    ),
}


def _transition_route(action: Action) -> None:
    summary, description = _ACTIONS[action]

    def move(
        badge_class_id: UUID,
        session: SessionDep,
        principal: ManageAccess,
        links: LinksDep,
        response: Response,
        if_match: IfMatch = None,
    ) -> BadgeClassRead:
        designed = service.transition(
            session, principal, badge_class_id, action, base_url=links.base_url, if_match=if_match
        )
        audit(session, principal, f"badge_class.{action.value}", "badge_class", badge_class_id)
        return read(designed, links, response)

    move.__doc__ = (
        f"{description}\n\nAn action not possible in the current state answers `409` "
        "saying why. Needs the `manage` scope; `If-Match` guards against a concurrent change."
    )
    router.post(
        f"/{{badge_class_id}}/{action.value}",
        summary=summary,
        operation_id=f"{action.value}_badge_class",
        responses={
            **problem_responses(NotFound, Conflict, PreconditionFailed),
            200: {"headers": ETAG_HEADER, **AWARD_IT},
        },
    )(move)


for _action in Action:
    _transition_route(_action)


@router.delete(
    "/{badge_class_id}/draft",
    summary="Discard the draft of a published badge class",
    responses={
        **problem_responses(NotFound, Conflict, PreconditionFailed),
        200: {"headers": ETAG_HEADER, **AWARD_IT},
    },
)
def discard_badge_class_draft(
    badge_class_id: UUID,
    session: SessionDep,
    principal: ManageAccess,
    links: LinksDep,
    response: Response,
    if_match: IfMatch = None,
) -> BadgeClassRead:
    """Drop the unpublished newest version of a published badge class, going back to the
    published version (`409` when there is no such draft)."""
    designed = service.discard_draft(session, principal, badge_class_id, if_match=if_match)
    audit(session, principal, "badge_class.discard_draft", "badge_class", badge_class_id)
    return read(designed, links, response)


@router.get(
    "/{badge_class_id}/versions",
    summary="List the versions of a badge class",
    responses=problem_responses(NotFound),
)
def list_badge_class_versions(
    badge_class_id: UUID, session: SessionDep, principal: ReadAccess, links: LinksDep
) -> list[BadgeClassVersionRead]:
    """Every version of the badge class's design, oldest first: the published ones never
    change; the newest may be a draft or in review."""
    badge_class, rows = service.list_versions(session, principal, badge_class_id)
    return [BadgeClassVersionRead.from_model(badge_class, row, links) for row in rows]


@router.get(
    "/{badge_class_id}/versions/{number}",
    summary="Get one version of a badge class",
    responses=problem_responses(NotFound),
)
def get_badge_class_version(
    badge_class_id: UUID,
    number: Number,
    session: SessionDep,
    principal: ReadAccess,
    links: LinksDep,
) -> BadgeClassVersionRead:
    """One version of the badge class's design matrix, as it was published."""
    found = service.get(session, principal, badge_class_id).badge_class
    return BadgeClassVersionRead.from_model(found, service.version(session, found, number), links)


@router.get(
    "/{badge_class_id}/versions/{number}/image.{extension}",
    summary="Get the image of one version of a badge class",
    response_class=Response,
    responses={
        **problem_responses(NotFound),
        200: {"content": {"image/png": {}, "image/svg+xml": {}}},
    },
)
def get_badge_class_version_image(
    badge_class_id: UUID,
    number: Number,
    extension: Literal["png", "svg"],
    session: SessionDep,
    principal: ReadAccess,
) -> Response:
    """The image of one version as PNG or SVG: a draft's image before it is published."""
    found = service.get(session, principal, badge_class_id).badge_class
    version = service.version(session, found, number, with_images=True)
    media_type = MEDIA_TYPES[extension]
    data = version.image_png if media_type == "image/png" else version.image_svg
    return Response(data, media_type=media_type, headers={"Cache-Control": "private, no-cache"})


@router.get(
    "/{badge_class_id}/history",
    summary="Read the design history of a badge class",
    responses=problem_responses(NotFound),
)
def get_badge_class_history(
    badge_class_id: UUID, session: SessionDep, principal: ReadAccess
) -> list[BadgeClassChangeRead]:
    """Every step of the co-design, oldest first: who (an API key or an invited
    co-designer), when, what (each edited field before and after), and the transitions."""
    found = service.get(session, principal, badge_class_id).badge_class
    return [BadgeClassChangeRead.from_model(change) for change in history.history(session, found)]
