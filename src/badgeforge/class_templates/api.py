"""HTTP API of the ready-made badge class templates."""

from typing import Annotated

from fastapi import APIRouter
from fastapi import Path as PathParameter

from badgeforge.class_templates.catalogue import catalogue
from badgeforge.class_templates.schemas import (
    KEY_PATTERN,
    BadgeClassTemplate,
    BadgeClassTemplateSummary,
)
from badgeforge.deps import SettingsDep
from badgeforge.problems import (
    Forbidden,
    NotFound,
    TooManyRequests,
    Unauthorized,
    problem_responses,
)
from badgeforge.ratelimit import API_RATE_LIMIT
from badgeforge.security import ReadAccess

router = APIRouter(
    prefix="/api/v1/badge-class-templates",
    tags=["badge class templates"],
    responses=problem_responses(Unauthorized, Forbidden, TooManyRequests),
    dependencies=[API_RATE_LIMIT],
)

TemplateKey = Annotated[
    str,
    PathParameter(
        pattern=KEY_PATTERN,
        max_length=63,
        description="The template's key, e.g. `rectec-c3` or `securite-hygiene-travail`.",
    ),
]


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
