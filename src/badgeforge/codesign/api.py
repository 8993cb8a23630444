"""Staff API of co-design: invite co-designers to a badge class, read and write comments."""

from typing import Annotated
from uuid import UUID

from fastapi import Query, Request, Response, status
from fastapi.responses import JSONResponse

from badgeforge.audit.service import record as audit
from badgeforge.badge_classes import service as badge_classes
from badgeforge.badge_classes.history import Author
from badgeforge.codesign import comments, invitations
from badgeforge.codesign.models import MatrixField
from badgeforge.codesign.schemas import (
    CommentCreate,
    CommentRead,
    InvitationCreate,
    InvitationCreated,
    InvitationRead,
)
from badgeforge.db import SessionDep, utcnow
from badgeforge.deps import VaultDep
from badgeforge.idempotency import IdempotencyKey, Sealed, idempotent
from badgeforge.pagination import Page, PageDep
from badgeforge.problems import (
    BadRequest,
    Conflict,
    NotFound,
    UnprocessableContent,
    problem_responses,
)
from badgeforge.public.links import LinksDep
from badgeforge.routing import api_router
from badgeforge.security import ManageAccess, ReadAccess

router = api_router("/api/v1/badge-classes/{badge_class_id}", "co-design")
PAGE_PATH = "/co-design"


@router.post(
    "/invitations",
    status_code=status.HTTP_201_CREATED,
    response_model=InvitationCreated,
    summary="Invite a co-designer",
    responses=problem_responses(NotFound, UnprocessableContent, Conflict),
)
def create_invitation(
    request: Request,
    response: Response,
    badge_class_id: UUID,
    body: InvitationCreate,
    session: SessionDep,
    principal: ManageAccess,
    links: LinksDep,
    vault: VaultDep,
    idempotency_key: IdempotencyKey = None,
) -> InvitationCreated | JSONResponse:
    """Invite one person (a learner, an educator, a tutor…) to co-design this badge class
    through a link to a web page: no API key, no account.

    An `editor` edits the draft's matrix, comments and submits it for review; a
    `commenter` reads and comments. The link reaches this badge class only, never
    publishes, and expires (30 days by default, 90 at most); revoke it at any time.
    The `token` and `url` are in this response only (`Cache-Control: no-store`); the
    token is stored as a digest. Needs the `manage` scope. An `Idempotency-Key` makes
    retries safe: a retry gets the same link back (stored encrypted, for 24 hours).
    """

    def create() -> InvitationCreated:
        invitation, token = invitations.create(
            session,
            principal,
            badge_class_id,
            role=body.role,
            name=body.name,
            days=body.expires_in_days,
            now=utcnow(),
        )
        audit(session, principal, "invitation.create", "invitation", invitation.id)
        read = InvitationRead.from_model(invitation, utcnow())
        url = f"{links.base_url}{PAGE_PATH}/{token}"
        return InvitationCreated(**read.model_dump(), token=token, url=url)

    response.headers["Cache-Control"] = "no-store"  # the token must not sit in any cache
    return idempotent(
        request,
        session,
        principal,
        idempotency_key,
        body,
        create,
        status_code=status.HTTP_201_CREATED,
        sealed=Sealed(("token", "url"), vault.master_keys),
    )


@router.get(
    "/invitations",
    summary="List the invitations to a badge class",
    responses=problem_responses(NotFound, BadRequest),
)
def list_invitations(
    badge_class_id: UUID, session: SessionDep, principal: ReadAccess, page: PageDep
) -> Page[InvitationRead]:
    """Who is invited to co-design this badge class, newest first, with each link's status
    and last use (never the tokens)."""
    found = invitations.list_for(session, principal, badge_class_id, page)
    now = utcnow()
    return Page.of([InvitationRead.from_model(row, now) for row in found.rows], found, page)


@router.delete(
    "/invitations/{invitation_id}",
    summary="Revoke an invitation",
    responses=problem_responses(NotFound, Conflict),
)
def revoke_invitation(
    badge_class_id: UUID, invitation_id: UUID, session: SessionDep, principal: ManageAccess
) -> InvitationRead:
    """Revoke the link at once: it then opens a page saying it no longer works (410).
    The invitee's comments and edits stay in the history. Needs the `manage` scope."""
    now = utcnow()
    invitation = invitations.revoke(session, principal, badge_class_id, invitation_id, now)
    audit(session, principal, "invitation.revoke", "invitation", invitation.id)
    return InvitationRead.from_model(invitation, now)


@router.get(
    "/comments",
    summary="List the comments on a badge class",
    responses=problem_responses(NotFound, BadRequest),
)
def list_comments(
    badge_class_id: UUID,
    session: SessionDep,
    principal: ReadAccess,
    page: PageDep,
    field: Annotated[MatrixField | None, Query(description="Only this field's thread.")] = None,
) -> Page[CommentRead]:
    """The comments of staff and co-designers on the matrix, oldest first."""
    badge_class = badge_classes.get(session, principal, badge_class_id).badge_class
    found = comments.page(session, badge_class, page, field)
    return Page.of([CommentRead.from_model(row) for row in found.rows], found, page)


@router.post(
    "/comments",
    status_code=status.HTTP_201_CREATED,
    response_model=CommentRead,
    summary="Comment on a field of a badge class",
    responses=problem_responses(NotFound, UnprocessableContent, Conflict),
)
def create_comment(
    request: Request,
    badge_class_id: UUID,
    body: CommentCreate,
    session: SessionDep,
    principal: ManageAccess,
    idempotency_key: IdempotencyKey = None,
) -> CommentRead | JSONResponse:
    """Comment on one field of the matrix (`general` for the whole badge), in any state.
    The comment is also a step of the design history. Needs the `manage` scope. An
    `Idempotency-Key` makes retries safe."""

    def create() -> CommentRead:
        badge_class = badge_classes.get(session, principal, badge_class_id).badge_class
        comment = comments.add(session, badge_class, Author.of(principal), body.field, body.body)
        return CommentRead.from_model(comment)

    return idempotent(
        request,
        session,
        principal,
        idempotency_key,
        body,
        create,
        status_code=status.HTTP_201_CREATED,
    )
