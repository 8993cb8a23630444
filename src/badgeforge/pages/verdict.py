"""The live verification verdict of one of this instance's awards: the core's reports.

The award page shows exactly what ``/verify`` answers for the award's own URLs, verified
by the verification core (``badgeforge.core.verification``) from this instance's records
through :class:`~badgeforge.verification.local.LocalFetcher` (never over the network: no
outbound fetcher is given). The first report, whose named checks the page lists, is the
OB 3.0 credential's (the richest: JSON Schema, Data Integrity proof and key, signed status
list, validity dates); the award's other formats (OB 3.0 VC-JWT, OB 2.0 hosted, OB 2.0
signed) are verified too, and the page's outcome is the worst of them all.

A verification costs a few milliseconds, so reports are cached in the process, keyed on
everything that can change their answer, read from the database on every request: the
stored documents, the revocation state, the status list as last signed, the issuer row
(identifier style, profile) and its keys' publication status, and, for the clock, which
side of each date of the award ``now`` is. Every process computes the same key from the
same rows, so no process can show a stale verdict after a revocation or a key retirement.
"""

import contextlib
import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from badgeforge.core.errors import CoreError
from badgeforge.core.vc_model import validity_period
from badgeforge.core.verification import Report
from badgeforge.core.verification import Verdict as Outcome
from badgeforge.issuance.models import StatusList
from badgeforge.issuers.models import Issuer
from badgeforge.public.links import PublicLinks
from badgeforge.public.service import IssuedState
from badgeforge.signing.models import SigningKey
from badgeforge.verification.service import verify_badge

V = TypeVar("V")
WORST_FIRST = (
    Outcome.INVALID,
    Outcome.REVOKED,
    Outcome.SUSPENDED,
    Outcome.EXPIRED,
    Outcome.NOT_YET_VALID,
)


@dataclass(frozen=True)
class FormatReport:
    """The core's report for one format of the award; ``name`` is a message key."""

    name: str
    url: str
    report: Report


@dataclass(frozen=True)
class Verdict:
    """Every format's report; the first one's checks are the page's named checks."""

    formats: tuple[FormatReport, ...]
    checked_at: datetime

    @property
    def report(self) -> Report:
        return self.formats[0].report

    @property
    def outcome(self) -> Outcome:
        found = {item.report.verdict for item in self.formats}
        return next((verdict for verdict in WORST_FIRST if verdict in found), Outcome.VALID)

    @property
    def valid(self) -> bool:
        return self.outcome is Outcome.VALID


class LruCache(Generic[V]):
    """A small thread-safe LRU, for values computed from what their key says."""

    def __init__(self, size: int) -> None:
        self._items: OrderedDict[tuple[object, ...], V] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def get(self, key: tuple[object, ...]) -> V | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: tuple[object, ...], value: V) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self._size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


REPORTS: LruCache[tuple[FormatReport, ...]] = LruCache(2048)


def _formats(state: IssuedState) -> list[tuple[str, str]]:
    links = PublicLinks(state.issued.base_url)
    award_id = state.award.id
    return [
        ("format_ob3", links.credential(award_id)),
        ("format_ob3_jwt", links.credential_jwt(award_id)),
        ("format_ob2", links.assertion(award_id)),
        ("format_ob2_signed", links.signed_assertion(award_id)),
    ]


def _dates(state: IssuedState, credential: dict[str, Any]) -> list[datetime]:
    """Every date whose passing can change a report (validity, issuance, the list's)."""
    dates = [state.award.issued_on]
    if state.award.expires_at is not None:
        dates.append(state.award.expires_at)
    with contextlib.suppress(CoreError):  # unreadable dates: the report says so, always
        dates.extend(date for date in validity_period(credential) if date is not None)
    return dates


_LIST_SIGNED = (
    select(StatusList.updated_at)
    .where(StatusList.id == bindparam("status_list_id"))
    .scalar_subquery()
)
_KEY_STATE = (
    select(Issuer.updated_at, _LIST_SIGNED, SigningKey.id, SigningKey.status)
    .select_from(Issuer)
    .outerjoin(SigningKey, SigningKey.issuer_id == Issuer.id)
    .where(Issuer.id == bindparam("issuer_id"))
    .order_by(SigningKey.id)
)
"""Built once: building it on every page view cost as much as running it."""


def cache_key(
    session: Session, state: IssuedState, credential: dict[str, Any], now: datetime
) -> tuple[object, ...]:
    """What the reports of ``state`` depend on, as read now (one query besides the award)."""
    issued, award = state.issued, state.award
    parameters = {"issuer_id": issued.issuer_id, "status_list_id": issued.status_list_id}
    rows = session.execute(_KEY_STATE, parameters).all()
    documents = hashlib.blake2b(digest_size=16)
    for text in (issued.ob3_credential, issued.ob3_jwt, issued.ob2_assertion, issued.ob2_jws):
        documents.update(text.encode("utf-8"))
        documents.update(b"\0")
    issuer_updated, list_updated = (rows[0][0], rows[0][1]) if rows else (None, None)
    dates = _dates(state, credential) + ([list_updated] if list_updated is not None else [])
    return (
        award.id,
        issued.base_url,
        documents.digest(),
        award.revoked_at,
        issuer_updated,
        list_updated,
        tuple((row[2], row[3]) for row in rows if row[2] is not None),
        tuple(now < date for date in dates),
        tuple(now > date for date in dates),
    )


def _verify(session: Session, state: IssuedState, now: datetime) -> tuple[FormatReport, ...]:
    found = []
    for name, url in _formats(state):
        report = verify_badge(session, state.issued.base_url, None, url, recipient=None, now=now)
        report.document = None  # the cache keeps what the page shows, not the documents
        found.append(FormatReport(name, url, report))
    return tuple(found)


def verdict(
    session: Session, state: IssuedState, credential: dict[str, Any], now: datetime
) -> Verdict:
    """The verification reports of an award of this instance at ``now``, cached."""
    key = cache_key(session, state, credential, now)
    formats = REPORTS.get(key)
    if formats is None:
        formats = _verify(session, state, now)
        REPORTS.put(key, formats)
    return Verdict(formats, now)
