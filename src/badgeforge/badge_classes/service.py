"""Badge classes: create, read, change, delete, images. Scoped to the caller's organisation."""

from typing import Any
from uuid import UUID

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from badgeforge.awards.models import Award
from badgeforge.badge_classes.models import BadgeClass
from badgeforge.badge_classes.schemas import (
    BadgeClassCreate,
    BadgeClassUpdate,
    Criteria,
    TemplateImage,
    stored_alignments,
    stored_tags,
    stored_template,
)
from badgeforge.core.records import BadgeClassRecord
from badgeforge.db import RowLock
from badgeforge.etags import check_if_match
from badgeforge.images import PreparedImage, prepare_upload, render_template
from badgeforge.issuers.service import IssuerRepository
from badgeforge.pagination import PageParams, Slice, keyset_page
from badgeforge.problems import Conflict
from badgeforge.security import Principal
from badgeforge.settings import Settings
from badgeforge.tenancy import ScopedRepository


class BadgeClassRepository(ScopedRepository[BadgeClass]):
    model = BadgeClass
    label = "badge class"


def _apply_image(badge_class: BadgeClass, image: PreparedImage) -> None:
    badge_class.image_media_type = image.source_media_type
    badge_class.image_png = image.png
    badge_class.image_svg = image.svg


def _render(badge_class: BadgeClass, template: TemplateImage, settings: Settings) -> None:
    image = render_template(
        template.template,
        title=badge_class.name,
        settings=settings,
        primary_colour=template.primary_colour,
        secondary_colour=template.secondary_colour,
    )
    _apply_image(badge_class, image)
    badge_class.image_template = template.model_dump()


def _set_criteria(badge_class: BadgeClass, criteria: Criteria) -> None:
    badge_class.criteria_narrative = criteria.narrative
    badge_class.criteria_url = criteria.url


def create(
    session: Session, principal: Principal, data: BadgeClassCreate, settings: Settings
) -> BadgeClass:
    """Create a badge class for one of the organisation's issuers, with a generated image."""
    issuer = IssuerRepository(session, principal).get(data.issuer_id)
    badge_class = BadgeClass(
        issuer_id=issuer.id,
        name=data.name,
        description=data.description,
        alignments=[alignment.model_dump(exclude_none=True) for alignment in data.alignments],
        tags=list(dict.fromkeys(data.tags)),
        language=data.language,
        expires_after_days=data.expires_after_days,
        ob3_proof=data.ob3_proof,
    )
    _set_criteria(badge_class, data.criteria)
    _render(badge_class, data.image, settings)
    return BadgeClassRepository(session, principal).add(badge_class)


def list_badge_classes(
    session: Session,
    principal: Principal,
    params: PageParams,
    issuer_id: UUID | None = None,
    *,
    name: str | None = None,
) -> Slice[BadgeClass]:
    """The organisation's badge classes, oldest first, optionally of one issuer or with
    ``name`` in their name (case-insensitive)."""
    statement = BadgeClassRepository(session, principal).scoped()
    if issuer_id is not None:
        statement = statement.where(BadgeClass.issuer_id == issuer_id)
    if name is not None:
        lowered = func.lower(BadgeClass.name)
        statement = statement.where(lowered.contains(name.lower(), autoescape=True))
    return keyset_page(
        session,
        statement,
        params,
        created_at=BadgeClass.created_at,
        id=BadgeClass.id,
        list_key="badge-classes",
        filters={"issuer_id": issuer_id, "name": name},
    )


def get(session: Session, principal: Principal, badge_class_id: UUID) -> BadgeClass:
    """One of the organisation's badge classes, or NotFound."""
    return BadgeClassRepository(session, principal).get(badge_class_id)


def update(
    session: Session,
    principal: Principal,
    badge_class_id: UUID,
    data: BadgeClassUpdate,
    settings: Settings,
    *,
    if_match: str | None = None,
) -> BadgeClass:
    """Change some fields; a template image is re-rendered when the name or design changes.

    Only if it is still the version ``if_match`` names (checked on the locked row).
    """
    repository = BadgeClassRepository(session, principal)
    badge_class = repository.get(badge_class_id, lock=RowLock.NO_KEY_UPDATE)
    check_if_match(if_match, badge_class.id, badge_class.version)
    badge_class.version += 1
    changes: dict[str, Any] = data.model_dump(exclude_unset=True)
    if data.criteria is not None:
        _set_criteria(badge_class, data.criteria)
    if "alignments" in changes:
        badge_class.alignments = [a.model_dump(exclude_none=True) for a in data.alignments or []]
    if "tags" in changes:
        badge_class.tags = list(dict.fromkeys(data.tags or []))
    for field in ("name", "description", "language", "expires_after_days", "ob3_proof"):
        if field in changes:
            setattr(badge_class, field, changes[field])
    template = data.image
    if template is None and "name" in changes:
        template = stored_template(badge_class)
    if template is not None:
        _render(badge_class, template, settings)
    session.flush()
    return badge_class


def delete(session: Session, principal: Principal, badge_class_id: UUID) -> None:
    """Delete a badge class that was never awarded (awards must stay verifiable).

    The lock waits for awards being made of it (they hold it, see ``awards.service``),
    so the check below sees them, and makes awards that come later wait, then not find it.
    """
    badge_class = BadgeClassRepository(session, principal).get(badge_class_id, lock=RowLock.UPDATE)
    if session.scalar(select(exists().where(Award.badge_class_id == badge_class.id))):
        raise Conflict("This badge class has been awarded; it cannot be deleted.")
    session.delete(badge_class)
    session.flush()


def set_image(
    session: Session, principal: Principal, badge_class_id: UUID, data: bytes, settings: Settings
) -> BadgeClass:
    """Replace the image with an uploaded PNG or SVG (checked, sanitised, both forms kept)."""
    repository = BadgeClassRepository(session, principal)
    badge_class = repository.get(badge_class_id, lock=RowLock.NO_KEY_UPDATE)
    _apply_image(badge_class, prepare_upload(data, settings))
    badge_class.image_template = None
    badge_class.version += 1
    session.flush()
    return badge_class


def to_record(badge_class: BadgeClass) -> BadgeClassRecord:
    """The format-independent record the core renders."""
    return BadgeClassRecord(
        id=badge_class.id,
        issuer_id=badge_class.issuer_id,
        name=badge_class.name,
        description=badge_class.description,
        image_media_type=badge_class.image_media_type,
        criteria_narrative=badge_class.criteria_narrative,
        criteria_url=badge_class.criteria_url,
        alignments=stored_alignments(badge_class),
        tags=stored_tags(badge_class),
        language=badge_class.language,
    )
