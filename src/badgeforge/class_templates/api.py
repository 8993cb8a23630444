"""HTTP API of the ready-made badge class templates."""

from typing import Annotated, Any
from uuid import UUID

from fastapi import Path as PathParameter
from fastapi import Request, status
from fastapi.responses import JSONResponse
from pydantic import ConfigDict

from badgeforge.audit.service import record as audit
from badgeforge.badge_classes.schemas import BadgeClassRead
from badgeforge.class_templates import importer
from badgeforge.class_templates.catalogue import catalogue
from badgeforge.class_templates.schemas import (
    KEY_PATTERN,
    BadgeClassTemplate,
    BadgeClassTemplateSummary,
)
from badgeforge.contract import body_link, links
from badgeforge.db import SessionDep
from badgeforge.deps import SettingsDep
from badgeforge.fields import RequestModel
from badgeforge.idempotency import IdempotencyKey, idempotent
from badgeforge.problems import (
    Conflict,
    InvalidBadgeImage,
    NotFound,
    problem_responses,
)
from badgeforge.public.links import LinksDep
from badgeforge.routing import api_router
from badgeforge.security import ManageAccess, ReadAccess

router = api_router("/api/v1/badge-class-templates", "badge class templates")

TemplateKey = Annotated[
    str,
    PathParameter(
        pattern=KEY_PATTERN,
        max_length=63,
        description="The template's key, e.g. `rectec-c3` or `securite-hygiene-travail`.",
    ),
]
CREATED_LINKS: dict[str, Any] = {
    **links(
        "badge_class_id",
        GetBadgeClass="get_badge_class_api_v1_badge_classes__badge_class_id__get",
        UpdateBadgeClass="update_badge_class_api_v1_badge_classes__badge_class_id__patch",
    ),
    "CreateAward": body_link("badge_class_id", "create_award_api_v1_awards_post"),
}


class TemplateImport(RequestModel):
    """Which issuer the new badge class belongs to."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"issuer_id": "6f1c2a8e-3b7d-4c1e-9a55-0d2b8f3e4a10"}]}
    )

    issuer_id: UUID


@router.get("", summary="List badge class templates")
def list_badge_class_templates(
    principal: ReadAccess, settings: SettingsDep
) -> list[BadgeClassTemplateSummary]:
    """The ready-made badge classes to start from: "Sécurité et hygiène au travail" and one
    per RECTEC competency, each in French, English and easy-to-read French (`fr-x-falc`)."""
    return [BadgeClassTemplateSummary.of(t) for t in catalogue(settings).list()]


@router.get("/{key}", summary="Get a badge class template", responses=problem_responses(NotFound))
def get_badge_class_template(
    key: TemplateKey, principal: ReadAccess, settings: SettingsDep
) -> BadgeClassTemplate:
    """The whole content of a template: the co-design matrix (audience, description, criteria,
    evidence and endorsement expectations) in every language, its alignments, mastery levels,
    tags and image design."""
    return catalogue(settings).get(key)


@router.post(
    "/{key}/import",
    status_code=status.HTTP_201_CREATED,
    response_model=BadgeClassRead,
    summary="Create a badge class from a template",
    responses={
        **problem_responses(NotFound, InvalidBadgeImage, Conflict),
        201: {"links": CREATED_LINKS},
    },
)
def import_badge_class_template(
    request: Request,
    key: TemplateKey,
    body: TemplateImport,
    session: SessionDep,
    principal: ManageAccess,
    links: LinksDep,
    settings: SettingsDep,
    idempotency_key: IdempotencyKey = None,
) -> BadgeClassRead | JSONResponse:
    """Create a **draft** badge class of your issuer with the template's whole content, to
    co-design further, review and publish. RECTEC references become alignments to the
    built-in RECTEC framework's items.

    Needs the `manage` scope. An `Idempotency-Key` makes retries safe.
    """

    def create() -> BadgeClassRead:
        designed = importer.import_template(session, principal, key, body.issuer_id, settings)
        badge_class = designed.badge_class
        audit(session, principal, "badge_class.create", "badge_class", badge_class.id, template=key)
        return BadgeClassRead.from_model(badge_class, designed.version, links)

    return idempotent(
        request,
        session,
        principal,
        idempotency_key,
        body,
        create,
        status_code=status.HTTP_201_CREATED,
    )
