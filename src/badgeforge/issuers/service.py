"""Issuer profiles: create, read, change, delete, logo. Scoped to the caller's organisation."""

from uuid import UUID

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from badgeforge.badge_classes.models import BadgeClass
from badgeforge.core.records import IssuerRecord
from badgeforge.db import RowLock
from badgeforge.etags import check_if_match
from badgeforge.images import prepare_upload
from badgeforge.issuers.models import Issuer
from badgeforge.issuers.schemas import IssuerCreate, IssuerUpdate
from badgeforge.pagination import PageParams, Slice, keyset_page
from badgeforge.problems import Conflict
from badgeforge.security import Principal
from badgeforge.settings import Settings
from badgeforge.tenancy import ScopedRepository


class IssuerRepository(ScopedRepository[Issuer]):
    model = Issuer
    label = "issuer"


def create(session: Session, principal: Principal, data: IssuerCreate) -> Issuer:
    """Create an issuer profile in the caller's organisation."""
    return IssuerRepository(session, principal).add(Issuer(**data.model_dump()))


def list_issuers(
    session: Session, principal: Principal, params: PageParams, *, name: str | None = None
) -> Slice[Issuer]:
    """The organisation's issuers, oldest first; ``name``: only names containing it."""
    statement = IssuerRepository(session, principal).scoped()
    if name is not None:
        statement = statement.where(func.lower(Issuer.name).contains(name.lower(), autoescape=True))
    return keyset_page(
        session,
        statement,
        params,
        created_at=Issuer.created_at,
        id=Issuer.id,
        list_key="issuers",
        filters={"name": name},
    )


def get(session: Session, principal: Principal, issuer_id: UUID) -> Issuer:
    """One of the organisation's issuers, or NotFound."""
    return IssuerRepository(session, principal).get(issuer_id)


def update(
    session: Session,
    principal: Principal,
    issuer_id: UUID,
    data: IssuerUpdate,
    *,
    if_match: str | None = None,
) -> Issuer:
    """Change the given fields of an issuer, if it is still the version ``if_match`` names.

    The row is locked first, so of two updates made from one version only one applies.
    """
    issuer = IssuerRepository(session, principal).get(issuer_id, lock=RowLock.NO_KEY_UPDATE)
    check_if_match(if_match, issuer.id, issuer.version)
    for field, value in data.model_dump(exclude_unset=True).items():
        setattr(issuer, field, value)
    issuer.version += 1
    session.flush()
    return issuer


def delete(session: Session, principal: Principal, issuer_id: UUID) -> None:
    """Delete an issuer that has no badge classes (their awards must stay verifiable)."""
    issuer = get(session, principal, issuer_id)
    if session.scalar(select(exists().where(BadgeClass.issuer_id == issuer.id))):
        raise Conflict("This issuer still has badge classes; delete or move them first.")
    session.delete(issuer)
    session.flush()


def set_image(
    session: Session, principal: Principal, issuer_id: UUID, data: bytes, settings: Settings
) -> Issuer:
    """Replace the issuer's logo with an uploaded PNG or SVG (checked and sanitised)."""
    issuer = IssuerRepository(session, principal).get(issuer_id, lock=RowLock.NO_KEY_UPDATE)
    prepared = prepare_upload(data, settings)
    issuer.image_media_type = prepared.source_media_type
    issuer.image_data = (
        prepared.svg if prepared.source_media_type == "image/svg+xml" else prepared.png
    )
    issuer.version += 1
    session.flush()
    return issuer


def to_record(issuer: Issuer) -> IssuerRecord:
    """The format-independent record the core renders."""
    return IssuerRecord(
        id=issuer.id,
        name=issuer.name,
        url=issuer.url,
        email=issuer.email,
        description=issuer.description,
        telephone=issuer.telephone,
        language=issuer.language,
        has_image=issuer.image_media_type is not None,
    )
