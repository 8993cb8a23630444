"""Invitations: a token for one person, one badge class and one role, stored hashed.

A token looks like ``bfi_<prefix>_<secret>``: the prefix finds the row, and only the
SHA-256 digest of the whole token is kept (``security.hash_secret``, as for API keys; the
token is 256-bit random). It opens the co-design page of its badge class and nothing else:
it never authenticates an API call.
"""

import hmac
import re
import secrets
from datetime import datetime, timedelta
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.orm import Session

from badgeforge.badge_classes.history import Author
from badgeforge.badge_classes.models import BadgeClass
from badgeforge.badge_classes.service import BadgeClassRepository
from badgeforge.codesign.models import Invitation, Role
from badgeforge.db import RowLock
from badgeforge.pagination import PageParams, Slice, keyset_page
from badgeforge.problems import Conflict, Gone, NotFound
from badgeforge.security import Principal, hash_secret

MARKER = "bfi"
_TOKEN = re.compile(r"bfi_([0-9a-f]{12})_[A-Za-z0-9_-]{43}")
DEFAULT_DAYS = 30
MAX_DAYS = 90
USE_RECORDED_EVERY = timedelta(minutes=1)


class InvitationUnknown(NotFound):
    """No invitation has this token."""


class InvitationEnded(Gone):
    """The invitation expired or was revoked."""


def generate_token() -> tuple[str, str, str]:
    """A new token, its visible prefix and the digest that is stored."""
    prefix = secrets.token_hex(6)
    token = f"{MARKER}_{prefix}_{secrets.token_urlsafe(32)}"
    return token, prefix, hash_secret(token)


def create(
    session: Session,
    principal: Principal,
    badge_class_id: UUID,
    *,
    role: Role,
    name: str,
    days: int,
    now: datetime,
) -> tuple[Invitation, str]:
    """Invite someone to one of the organisation's badge classes; returns the token once."""
    badge_class = BadgeClassRepository(session, principal).get(badge_class_id)
    token, prefix, digest = generate_token()
    invitation = Invitation(
        organisation_id=badge_class.organisation_id,
        badge_class_id=badge_class.id,
        role=role,
        name=name,
        prefix=prefix,
        secret_hash=digest,
        created_by=principal.api_key_id,
        created_at=now,
        expires_at=now + timedelta(days=min(days, MAX_DAYS)),
    )
    session.add(invitation)
    session.flush()
    return invitation, token


def list_for(
    session: Session, principal: Principal, badge_class_id: UUID, params: PageParams
) -> Slice[Invitation]:
    """The invitations to one badge class, newest first (revoked and expired included)."""
    badge_class = BadgeClassRepository(session, principal).get(badge_class_id)
    statement = select(Invitation).where(
        Invitation.organisation_id == principal.organisation_id,
        Invitation.badge_class_id == badge_class.id,
    )
    return keyset_page(
        session,
        statement,
        params,
        created_at=Invitation.created_at,
        id=Invitation.id,
        list_key=f"invitations:{badge_class.id}",
        descending=True,
    )


def revoke(
    session: Session, principal: Principal, badge_class_id: UUID, invitation_id: UUID, now: datetime
) -> Invitation:
    """Revoke an invitation at once: its link then answers 410."""
    invitation = session.scalar(
        select(Invitation)
        .where(
            Invitation.organisation_id == principal.organisation_id,
            Invitation.badge_class_id == badge_class_id,
            Invitation.id == invitation_id,
        )
        .with_for_update()
    )
    if invitation is None:
        raise NotFound(f"No invitation {invitation_id} to badge class {badge_class_id}.")
    if invitation.revoked_at is not None:
        raise Conflict("This invitation is already revoked.")
    invitation.revoked_at = now
    session.flush()
    return invitation


def resolve(session: Session, token: str, now: datetime) -> Invitation:
    """The live invitation of ``token``: InvitationUnknown (404) or InvitationEnded (410)."""
    match = _TOKEN.fullmatch(token)
    found = None
    if match is not None:
        found = session.scalar(select(Invitation).where(Invitation.prefix == match.group(1)))
    if found is None or not hmac.compare_digest(found.secret_hash, hash_secret(token)):
        raise InvitationUnknown("No invitation has this link.")
    if found.revoked_at is not None or found.expires_at <= now:
        raise InvitationEnded("This invitation has expired or was revoked.")
    if found.last_used_at is None or now - found.last_used_at >= USE_RECORDED_EVERY:
        found.last_used_at = now
    return found


def status(invitation: Invitation, now: datetime) -> str:
    """``active``, ``expired`` or ``revoked``."""
    if invitation.revoked_at is not None:
        return "revoked"
    return "expired" if invitation.expires_at <= now else "active"


def scoping_principal(invitation: Invitation) -> Principal:
    """A principal of the invitation's organisation, used only to scope queries.

    The badge class services take a Principal to scope every query to one organisation;
    the co-design page only ever passes the invitation's own badge class id, so the
    invitation reaches that one class. It carries no scope (no API use is possible) and
    its ``api_key_id`` is the invitation's id: no API key stands behind it, so nothing is
    written to the API-key audit; the history names the invitee through :func:`author`.
    """
    return Principal(invitation.organisation_id, invitation.id, frozenset())


def author(invitation: Invitation) -> Author:
    """The invitee as the design history and the comments name them."""
    return Author("invitation", invitation.id, invitation.name)


def badge_class_of(session: Session, invitation: Invitation, *, lock: bool = False) -> BadgeClass:
    """The one badge class the invitation opens."""
    repository = BadgeClassRepository(session, scoping_principal(invitation))
    return repository.get(invitation.badge_class_id, lock=RowLock.NO_KEY_UPDATE if lock else None)
