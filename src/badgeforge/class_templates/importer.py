"""Create a draft badge class from a ready-made template, in one call."""

from typing import Any
from uuid import UUID

from sqlalchemy.orm import Session

from badgeforge.badge_classes import service as badge_classes
from badgeforge.badge_classes.content import Alignment
from badgeforge.badge_classes.schemas import BadgeClassCreate
from badgeforge.class_templates.catalogue import catalogue
from badgeforge.class_templates.schemas import BadgeClassTemplate, FrameworkReference
from badgeforge.core.frameworks import builtin_item_id
from badgeforge.security import Principal
from badgeforge.settings import Settings

NOT_CONTENT = frozenset({"key", "title", "summary", "alignments"})
"""Template fields that are the catalogue's, not the badge class's (alignments are mapped)."""


def import_template(
    session: Session, principal: Principal, key: str, issuer_id: UUID, settings: Settings
) -> badge_classes.Designed:
    """A new draft badge class (version 1) of ``issuer_id`` with the content of template
    ``key``; its framework references become alignments to the built-in framework items."""
    body = create_request(catalogue(settings).get(key), issuer_id)
    return badge_classes.create(session, principal, body, settings)


def create_request(template: BadgeClassTemplate, issuer_id: UUID) -> BadgeClassCreate:
    """The badge class creation request a template amounts to."""
    content = template.model_dump(exclude=set(NOT_CONTENT), exclude_none=True)
    alignments = [_alignment(alignment) for alignment in template.alignments]
    return BadgeClassCreate.model_validate(
        {**content, "alignments": alignments, "issuer_id": issuer_id}
    )


def _alignment(alignment: FrameworkReference | Alignment) -> dict[str, Any]:
    if isinstance(alignment, FrameworkReference):
        return {"framework_item_id": builtin_item_id(alignment.framework, alignment.code)}
    dumped: dict[str, Any] = alignment.model_dump(exclude_none=True)
    return dumped
