"""Badge classes: design, versions, workflow, images. Scoped to the caller's organisation.

The newest version is the one being designed; once published it never changes, and the
next edit starts a new version from it. Awards are made of the published version.
"""

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session, undefer

from badgeforge.awards.models import Award
from badgeforge.badge_classes import history, workflow
from badgeforge.badge_classes.content import BadgeClassContent, stored_content
from badgeforge.badge_classes.history import Author
from badgeforge.badge_classes.models import BadgeClass, BadgeClassState, BadgeClassVersion
from badgeforge.badge_classes.schemas import (
    BadgeClassCreate,
    BadgeClassUpdate,
    Resolver,
    TemplateImage,
    stored_template,
)
from badgeforge.db import RowLock, utcnow
from badgeforge.designs.service import render_design
from badgeforge.etags import check_if_match
from badgeforge.frameworks import service as frameworks
from badgeforge.images import PreparedImage, prepare_upload
from badgeforge.issuance import service as issuance
from badgeforge.issuers.service import IssuerRepository
from badgeforge.pagination import PageParams, Slice, keyset_page
from badgeforge.problems import Conflict, NotFound
from badgeforge.security import Principal
from badgeforge.settings import Settings
from badgeforge.tenancy import ScopedRepository
from badgeforge.webhooks import events as webhook_events


class BadgeClassRepository(ScopedRepository[BadgeClass]):
    model = BadgeClass
    label = "badge class"


@dataclass(frozen=True)
class Designed:
    """A badge class with the version a response shows (its newest unless asked otherwise)."""

    badge_class: BadgeClass
    version: BadgeClassVersion


def _apply_image(version: BadgeClassVersion, image: PreparedImage) -> None:
    version.image_media_type = image.source_media_type
    version.image_png = image.png
    version.image_svg = image.svg


def _render(name: str, template: TemplateImage, settings: Settings) -> PreparedImage:
    """The image of a template with the badge's name (rendered before any write: on SQLite
    a write would hold the database while the renderer works)."""
    return render_design(template, template.title or name, settings)


def _store(version: BadgeClassVersion, content: BadgeClassContent) -> None:
    version.content = content.model_dump(mode="json")


def _resolver(session: Session, principal: Principal, base_url: str) -> Resolver:
    def resolve(item_ids: list[UUID]) -> dict[UUID, Any]:
        return dict(frameworks.resolve_items(session, principal, item_ids, base_url=base_url))

    return resolve


def create(
    session: Session,
    principal: Principal,
    data: BadgeClassCreate,
    settings: Settings,
    *,
    author: Author | None = None,
) -> Designed:
    """Create a badge class as a draft (version 1), or published at once if asked."""
    issuer = IssuerRepository(session, principal).get(data.issuer_id)
    content = data.content(_resolver(session, principal, settings.base_url))
    image = _render(content.name, data.image, settings)
    badge_class = BadgeClassRepository(session, principal).add(
        BadgeClass(issuer_id=issuer.id, name=content.name, state=BadgeClassState.DRAFT)
    )
    first = BadgeClassVersion(
        organisation_id=badge_class.organisation_id, badge_class_id=badge_class.id, number=1
    )
    _store(first, content)
    _apply_image(first, image)
    first.image_template = data.image.model_dump()
    session.add(first)
    session.flush()
    history.record(session, badge_class, author or Author.of(principal), "create", version_number=1)
    if data.publish:
        action = workflow.Action.PUBLISH
        return transition(session, principal, badge_class.id, action, base_url=settings.base_url)
    return Designed(badge_class, first)


def list_badge_classes(
    session: Session,
    principal: Principal,
    params: PageParams,
    issuer_id: UUID | None = None,
    *,
    name: str | None = None,
    state: BadgeClassState | None = None,
) -> Slice[BadgeClass]:
    """The organisation's badge classes, oldest first, optionally of one issuer, in one
    state, or with ``name`` in their name (case-insensitive)."""
    statement = BadgeClassRepository(session, principal).scoped()
    if issuer_id is not None:
        statement = statement.where(BadgeClass.issuer_id == issuer_id)
    if name is not None:
        lowered = func.lower(BadgeClass.name)
        statement = statement.where(lowered.contains(name.lower(), autoescape=True))
    if state is not None:
        statement = statement.where(BadgeClass.state == state)
    return keyset_page(
        session,
        statement,
        params,
        created_at=BadgeClass.created_at,
        id=BadgeClass.id,
        list_key="badge-classes",
        filters={"issuer_id": issuer_id, "name": name, "state": state},
    )


def version(
    session: Session, badge_class: BadgeClass, number: int, *, with_images: bool = False
) -> BadgeClassVersion:
    """Version ``number`` of a badge class, or NotFound."""
    options = (
        [undefer(BadgeClassVersion.image_png), undefer(BadgeClassVersion.image_svg)]
        if with_images
        else []
    )
    found = session.scalar(
        select(BadgeClassVersion)
        .where(
            BadgeClassVersion.badge_class_id == badge_class.id,
            BadgeClassVersion.number == number,
        )
        .options(*options)
    )
    if found is None:
        raise NotFound(f"No version {number} of badge class {badge_class.id}.")
    return found


def latest(session: Session, badge_class: BadgeClass) -> BadgeClassVersion:
    """The newest version: the one being designed, or the published one."""
    return version(session, badge_class, badge_class.latest_number)


def latest_versions(
    session: Session, badge_classes: list[BadgeClass]
) -> dict[UUID, BadgeClassVersion]:
    """The newest version of each badge class, in one query."""
    rows = session.scalars(
        select(BadgeClassVersion)
        .join(
            BadgeClass,
            (BadgeClass.id == BadgeClassVersion.badge_class_id)
            & (BadgeClass.latest_number == BadgeClassVersion.number),
        )
        .where(BadgeClass.id.in_([badge_class.id for badge_class in badge_classes]))
    ).all()
    return {row.badge_class_id: row for row in rows}


def designed(session: Session, badge_class: BadgeClass) -> Designed:
    """The badge class with its newest version."""
    return Designed(badge_class, latest(session, badge_class))


def get(session: Session, principal: Principal, badge_class_id: UUID) -> Designed:
    """One of the organisation's badge classes with its newest version, or NotFound."""
    return designed(session, BadgeClassRepository(session, principal).get(badge_class_id))


def list_versions(
    session: Session, principal: Principal, badge_class_id: UUID
) -> tuple[BadgeClass, list[BadgeClassVersion]]:
    """Every version of a badge class, oldest first."""
    badge_class = BadgeClassRepository(session, principal).get(badge_class_id)
    rows = session.scalars(
        select(BadgeClassVersion)
        .where(BadgeClassVersion.badge_class_id == badge_class.id)
        .order_by(BadgeClassVersion.number)
    ).all()
    return badge_class, list(rows)


def _working_version(session: Session, badge_class: BadgeClass) -> BadgeClassVersion:
    """The version edits go to: the draft, or a new draft copied from the published one."""
    current = version(session, badge_class, badge_class.latest_number, with_images=True)
    if current.published_at is None:
        return current
    draft = BadgeClassVersion(
        organisation_id=badge_class.organisation_id,
        badge_class_id=badge_class.id,
        number=current.number + 1,
        content=dict(current.content),
        image_media_type=current.image_media_type,
        image_template=current.image_template,
        image_png=current.image_png,
        image_svg=current.image_svg,
    )
    session.add(draft)
    badge_class.latest_number = draft.number
    badge_class.state = BadgeClassState.DRAFT
    return draft


def _checked(
    session: Session, principal: Principal, badge_class_id: UUID, if_match: str | None
) -> BadgeClass:
    """The badge class, locked for a change, if ``If-Match`` (when given) is its version."""
    badge_class = BadgeClassRepository(session, principal).get(
        badge_class_id, lock=RowLock.NO_KEY_UPDATE
    )
    check_if_match(if_match, badge_class.id, badge_class.version)
    return badge_class


def _editable(
    session: Session, principal: Principal, badge_class_id: UUID, if_match: str | None
) -> tuple[BadgeClass, BadgeClassVersion]:
    """The locked badge class and its newest version, if the workflow allows editing."""
    badge_class = _checked(session, principal, badge_class_id, if_match)
    workflow.editable(BadgeClassState(badge_class.state))
    return badge_class, latest(session, badge_class)


def _locked(
    session: Session, principal: Principal, badge_class_id: UUID, if_match: str | None
) -> BadgeClass:
    """The locked badge class (``If-Match`` checked), its version counted up."""
    badge_class = _checked(session, principal, badge_class_id, if_match)
    badge_class.version += 1
    return badge_class


def update(
    session: Session,
    principal: Principal,
    badge_class_id: UUID,
    data: BadgeClassUpdate,
    settings: Settings,
    *,
    if_match: str | None = None,
    author: Author | None = None,
) -> Designed:
    """Change the matrix of the version being designed (a published one gets a new draft).

    Only if the badge class is still the version ``if_match`` names (checked on the locked
    row). A template image is re-rendered when the name or the design changes.
    """
    badge_class, newest = _editable(session, principal, badge_class_id, if_match)
    before = stored_content(newest.content, version_id=newest.id)
    content = data.applied_to(before, _resolver(session, principal, settings.base_url))
    template = data.image
    if template is None and content.name != before.name:
        template = stored_template(newest)
    image = _render(content.name, template, settings) if template is not None else None
    badge_class.version += 1
    draft = _working_version(session, badge_class)
    _store(draft, content)
    badge_class.name = content.name
    if image is not None and template is not None:
        _apply_image(draft, image)
        draft.image_template = template.model_dump()
    changes = history.differences(before.model_dump(mode="json"), draft.content)
    history.record(
        session,
        badge_class,
        author or Author.of(principal),
        "edit",
        version_number=draft.number,
        changes=changes,
    )
    session.flush()
    return Designed(badge_class, draft)


def set_image(
    session: Session,
    principal: Principal,
    badge_class_id: UUID,
    data: bytes,
    settings: Settings,
    *,
    if_match: str | None = None,
    author: Author | None = None,
) -> Designed:
    """Replace the draft's image with an uploaded PNG or SVG (checked, sanitised)."""
    image = prepare_upload(data, settings)
    badge_class, _ = _editable(session, principal, badge_class_id, if_match)
    badge_class.version += 1
    draft = _working_version(session, badge_class)
    _apply_image(draft, image)
    draft.image_template = None
    author = author or Author.of(principal)
    history.record(session, badge_class, author, "image", version_number=draft.number)
    session.flush()
    return Designed(badge_class, draft)


def transition(
    session: Session,
    principal: Principal,
    badge_class_id: UUID,
    action: workflow.Action,
    *,
    base_url: str,
    if_match: str | None = None,
    author: Author | None = None,
) -> Designed:
    """Move the badge class along its workflow (409 when the action is not possible)."""
    badge_class = _locked(session, principal, badge_class_id, if_match)
    target = workflow.next_state(BadgeClassState(badge_class.state), action)
    newest = latest(session, badge_class)
    badge_class.state = target
    if action is workflow.Action.PUBLISH:
        newest.published_at = utcnow()
        badge_class.published_number = newest.number
        newest.hosted_version = issuance.host_version(session, badge_class, newest, base_url)
        _event(session, badge_class, newest, webhook_events.EventType.BADGE_CLASS_PUBLISHED)
    elif action is workflow.Action.ARCHIVE:
        _event(session, badge_class, newest, webhook_events.EventType.BADGE_CLASS_ARCHIVED)
    author = author or Author.of(principal)
    history.record(session, badge_class, author, action.value, version_number=newest.number)
    session.flush()
    return Designed(badge_class, newest)


def discard_draft(
    session: Session, principal: Principal, badge_class_id: UUID, *, if_match: str | None = None
) -> Designed:
    """Drop the unpublished newest version of a published badge class."""
    badge_class = _locked(session, principal, badge_class_id, if_match)
    published = badge_class.published_number
    if published is None or badge_class.latest_number == published:
        raise Conflict("There is no draft to discard: the newest version is the published one.")
    discarded = latest(session, badge_class)
    session.delete(discarded)
    badge_class.latest_number = published
    badge_class.state = BadgeClassState.PUBLISHED
    author = Author.of(principal)
    history.record(session, badge_class, author, "discard_draft", version_number=discarded.number)
    session.flush()
    return designed(session, badge_class)


def _event(
    session: Session, badge_class: BadgeClass, version: BadgeClassVersion, event: str
) -> None:
    payload = {
        "badge_class_id": str(badge_class.id),
        "issuer_id": str(badge_class.issuer_id),
        "name": badge_class.name,
        "version": version.number,
        "state": badge_class.state,
    }
    webhook_events.emit(
        session, badge_class.organisation_id, event, payload, subject_id=badge_class.id
    )


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


def awardable(session: Session, badge_class: BadgeClass) -> BadgeClassVersion:
    """The published version awards are made of, or Conflict saying why there is none."""
    if badge_class.state == BadgeClassState.ARCHIVED:
        raise Conflict("This badge class is archived: restore it before awarding it.")
    if badge_class.published_number is None:
        raise Conflict("This badge class is not published yet: publish it before awarding it.")
    return version(session, badge_class, badge_class.published_number)
