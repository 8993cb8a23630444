"""Awarding and revoking badges. Scoped to the caller's organisation."""

import secrets
from datetime import UTC, datetime, timedelta
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.orm import Session

from badgeforge.awards.models import Award
from badgeforge.awards.records import to_record
from badgeforge.awards.schemas import AwardCreate
from badgeforge.badge_classes import service as badge_classes
from badgeforge.badge_classes.content import stored_content
from badgeforge.badge_classes.service import BadgeClassRepository
from badgeforge.core.identity import hash_identity, normalise_email
from badgeforge.core.keys import KeyVault
from badgeforge.db import RowLock, utcnow
from badgeforge.issuance import service as issuance
from badgeforge.issuance import status as issuance_status
from badgeforge.issuance.models import IssuedAward
from badgeforge.pagination import PageParams, Slice, keyset_page
from badgeforge.problems import Conflict, UnprocessableContent
from badgeforge.public.links import PublicLinks
from badgeforge.security import Principal
from badgeforge.tenancy import ScopedRepository
from badgeforge.webhooks import events as webhook_events

CLOCK_SKEW = timedelta(minutes=5)


class AwardRepository(ScopedRepository[Award]):
    model = Award
    label = "award"


def _dates(
    data: AwardCreate, expires_after_days: int | None, now: datetime
) -> tuple[datetime, datetime | None]:
    issued_on = (data.issued_on or now).astimezone(UTC).replace(microsecond=0)
    if issued_on > now + CLOCK_SKEW:
        raise UnprocessableContent("'issued_on' cannot be in the future.")
    expires = data.expires
    if expires is None and expires_after_days is not None:
        expires = issued_on + timedelta(days=expires_after_days)
    if expires is not None:
        expires = expires.astimezone(UTC).replace(microsecond=0)
        if expires <= issued_on:
            raise UnprocessableContent("'expires' must be after 'issued_on'.")
    return issued_on, expires


def award(
    session: Session, principal: Principal, data: AwardCreate, *, vault: KeyVault, base_url: str
) -> tuple[Award, IssuedAward]:
    """Award a badge class to a recipient email, hashed with a fresh random salt, and issue
    it in every format (signed, frozen under ``base_url``) in the same transaction."""
    # Holds the badge class until the award is stored, so a concurrent delete waits and
    # then refuses; once it is deleted, this answers NotFound instead of a foreign key error.
    badge_class = BadgeClassRepository(session, principal).get(
        data.badge_class_id, lock=RowLock.KEY_SHARE
    )
    version = badge_classes.awardable(session, badge_class)
    content = stored_content(version.content, version_id=version.id)
    if data.level is not None and data.level > len(content.levels):
        raise UnprocessableContent(
            f"'level' {data.level} does not exist: this badge class has "
            f"{len(content.levels) or 'no'} level(s)."
        )
    issued_on, expires = _dates(data, content.expires_after_days, utcnow())
    email = normalise_email(data.recipient_email)
    salt = secrets.token_hex(16)
    record = Award(
        badge_class_id=badge_class.id,
        badge_class_version_id=version.id,
        level=data.level,
        recipient_email=email,
        salt=salt,
        identity_hash=hash_identity(email, salt),
        issued_on=issued_on,
        expires_at=expires,
        narrative=data.narrative,
        evidence=[item.model_dump(exclude_none=True) for item in data.evidence],
    )
    AwardRepository(session, principal).add(record)
    issued = issuance.issue(session, vault, base_url, record, proof=data.ob3_proof)
    webhook_events.award_event(
        session, record, webhook_events.EventType.AWARD_ISSUED, assertion_url=_url(issued)
    )
    return record, issued


def _url(issued: IssuedAward | None) -> str | None:
    return PublicLinks(issued.base_url).assertion(issued.award_id) if issued else None


def list_awards(
    session: Session,
    principal: Principal,
    params: PageParams,
    *,
    badge_class_id: UUID | None = None,
    recipient_email: str | None = None,
    revoked: bool | None = None,
    issued_after: datetime | None = None,
    issued_before: datetime | None = None,
) -> Slice[Award]:
    """The organisation's awards, newest first, with optional filters (``issued_after`` is
    inclusive, ``issued_before`` exclusive, both on the award's issue date)."""
    statement = AwardRepository(session, principal).scoped()
    if badge_class_id is not None:
        statement = statement.where(Award.badge_class_id == badge_class_id)
    if recipient_email is not None:
        recipient_email = normalise_email(recipient_email)
        statement = statement.where(Award.recipient_email == recipient_email)
    if revoked is not None:
        statement = statement.where(
            Award.revoked_at.is_not(None) if revoked else Award.revoked_at.is_(None)
        )
    if issued_after is not None:
        statement = statement.where(Award.issued_on >= issued_after)
    if issued_before is not None:
        statement = statement.where(Award.issued_on < issued_before)
    filters = {
        "badge_class_id": badge_class_id,
        "recipient_email": recipient_email,
        "revoked": revoked,
        "issued_after": issued_after,
        "issued_before": issued_before,
    }
    return keyset_page(
        session,
        statement,
        params,
        created_at=Award.created_at,
        id=Award.id,
        list_key="awards",
        filters=filters,
        descending=True,
    )


def get(session: Session, principal: Principal, award_id: UUID) -> Award:
    """One of the organisation's awards, or NotFound."""
    return AwardRepository(session, principal).get(award_id)


def issued_for(session: Session, awards: list[Award]) -> dict[UUID, IssuedAward]:
    """What each award was issued with, by award id."""
    if not awards:
        return {}
    rows = session.scalars(
        select(IssuedAward).where(IssuedAward.award_id.in_([award.id for award in awards]))
    )
    return {row.award_id: row for row in rows}


def revoke(
    session: Session, principal: Principal, award_id: UUID, reason: str, *, vault: KeyVault
) -> Award:
    """Withdraw an award in every format at once: the hosted assertion answers 410 Gone,
    the signed assertion joins the issuer's RevocationList, the OB 3.0 credential's status
    list bit is set (and the list signed again).

    Concurrent revocations of one award queue on its row lock: the first one is applied
    and keeps its reason, the others see it revoked and get a conflict.
    """
    record = AwardRepository(session, principal).get(award_id, lock=RowLock.NO_KEY_UPDATE)
    if record.revoked_at is not None:
        raise Conflict("This award is already revoked.", revoked_at=record.revoked_at)
    record.revoked_at = utcnow()
    record.revocation_reason = reason
    session.flush()
    issued = issuance.issued(session, record.id)
    if issued is not None:
        issuance_status.publish_revocation(session, vault, issued)
    webhook_events.award_event(
        session, record, webhook_events.EventType.AWARD_REVOKED, assertion_url=_url(issued)
    )
    return record


__all__ = [
    "AwardRepository",
    "award",
    "get",
    "issued_for",
    "list_awards",
    "revoke",
    "to_record",
]
