"""Work source: ``award.expired`` once per award, when its expiry date has passed.

A cursor (``job_cursor`` row ``award.expired``) holds the instant up to which expiries
were announced. Each scan, at most every ``expiry_scan_seconds``, locks it, emits an
event for every unrevoked award whose ``expires_at`` lies in (cursor, now], and moves it
to now, all in one transaction: two workers never announce the same expiry, and a crash
announces nothing or everything of a scan. The first scan starts the cursor at its own
time (expiries before the first worker ran are not announced).
"""

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from badgeforge.awards.models import Award
from badgeforge.db import RowLock, insert_if_absent, lock_rows
from badgeforge.issuance.models import IssuedAward
from badgeforge.jobs.models import JobCursor
from badgeforge.public.links import PublicLinks
from badgeforge.settings import Settings
from badgeforge.webhooks.events import EventType, award_event

CURSOR = "award.expired"


def _locked_cursor(session: Session, now: datetime) -> JobCursor:
    insert_if_absent(
        session, JobCursor, {"name": CURSOR, "position": now, "updated_at": now - timedelta(1)}
    )
    statement = select(JobCursor).where(JobCursor.name == CURSOR)
    return session.scalars(lock_rows(statement, RowLock.NO_KEY_UPDATE)).one()


def announce_expired(session: Session, cursor: JobCursor, now: datetime) -> int:
    """Emit ``award.expired`` for awards expired in (cursor, now]; move the cursor."""
    rows = session.execute(
        select(Award, IssuedAward.base_url)
        .outerjoin(IssuedAward, IssuedAward.award_id == Award.id)
        .where(
            Award.expires_at > cursor.position,
            Award.expires_at <= now,
            Award.revoked_at.is_(None),
        )
        .order_by(Award.expires_at, Award.id)
    ).all()
    for award, base_url in rows:
        url = PublicLinks(base_url).assertion(award.id) if base_url else None
        award_event(session, award, EventType.AWARD_EXPIRED, assertion_url=url, now=now)
    cursor.position = max(cursor.position, now)
    cursor.updated_at = now
    return len(rows)


def scan_expired_awards(sessions: sessionmaker[Session], settings: Settings, now: datetime) -> bool:
    """Work source: announce newly expired awards, if a scan is due; True if any."""
    with sessions() as session, session.begin():
        cursor = _locked_cursor(session, now)
        if cursor.updated_at > now - timedelta(seconds=settings.expiry_scan_seconds):
            return False
        return announce_expired(session, cursor, now) > 0
