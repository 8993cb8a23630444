"""The verification verdict of one of this instance's awards, as named checks.

The award's own records answer revocation and expiry. The frozen OB 3.0 credential's
proofs (Data Integrity and VC-JWT) are verified with the issuer's keys from the database
(no HTTP round trip) as of the award date, so that only the signature and the key's
publication matter; dates and status are the award row's. A proof result depends only on
the stored credential and on whether its keys are still published, so it is cached under
exactly that (correct across processes: the key status is read on every request).
"""

import json
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from sqlalchemy.orm import Session

from badgeforge.core.verify_proof import RANGE, STATUS, Report
from badgeforge.public.links import PublicLinks
from badgeforge.public.service import IssuedState
from badgeforge.signing.models import SigningKey
from badgeforge.vcapi import service as vcapi
from badgeforge.vcapi.schemas import VerifyOptions

Status = Literal["passed", "failed", "warning"]
Outcome = Literal["valid", "revoked", "expired", "invalid"]
_NOT_ABOUT_THE_PROOF = {RANGE, STATUS}


@dataclass(frozen=True)
class Check:
    """One named check: ``label`` and ``message`` are message keys, ``values`` fill them."""

    name: str
    status: Status
    label: str
    message: str
    values: dict[str, str | datetime] = field(default_factory=dict)


@dataclass(frozen=True)
class Verdict:
    outcome: Outcome
    checks: tuple[Check, ...]
    checked_at: datetime

    @property
    def valid(self) -> bool:
        return self.outcome == "valid"


class _ProofCache:
    """A small thread-safe LRU of proof results."""

    def __init__(self, size: int = 4096) -> None:
        self._items: OrderedDict[tuple[object, ...], str | None] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def get(self, key: tuple[object, ...]) -> tuple[bool, str | None]:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return True, self._items[key]
        return False, None

    def put(self, key: tuple[object, ...], value: str | None) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self._size:
                self._items.popitem(last=False)


PROOFS = _ProofCache()


def _failure(report: Report) -> str | None:
    """The first error about the proof itself (None when the proof verified)."""
    errors = [error for error in report.errors if error.type not in _NOT_ABOUT_THE_PROOF]
    if errors:
        return errors[0].detail
    return None if "proof" in report.checks else "no proof was checked"


def _proof(session: Session, state: IssuedState, kind: str) -> str | None:
    issued = state.issued
    key_id = issued.ed25519_key_id if kind == "proof" else issued.rsa_key_id
    key = session.get(SigningKey, key_id)
    cache_key = (state.award.id, kind, key_id, key.status if key else None, issued.base_url)
    found, failure = PROOFS.get(cache_key)
    if found:
        return failure
    links = PublicLinks(issued.base_url)
    document = issued.ob3_jwt if kind == "jwt" else json.loads(issued.ob3_credential)
    report = vcapi.verify(session, links, document, VerifyOptions(), state.award.issued_on)
    failure = _failure(report)
    PROOFS.put(cache_key, failure)
    return failure


def _proof_check(session: Session, state: IssuedState, kind: str, issuer: str) -> Check:
    failure = _proof(session, state, kind)
    label = f"check_{kind}"
    if failure is None:
        return Check(kind, "passed", label, "proof_ok", {"issuer": issuer})
    return Check(kind, "failed", label, "proof_failed", {"detail": failure})


def _revocation(state: IssuedState) -> Check:
    award = state.award
    if award.revoked_at is None:
        return Check("revocation", "passed", "check_revocation", "not_revoked")
    values: dict[str, str | datetime] = {"date": award.revoked_at}
    if award.revocation_reason:
        values["reason"] = award.revocation_reason
    return Check("revocation", "failed", "check_revocation", "revoked", values)


def _expiry(state: IssuedState, now: datetime) -> Check:
    expires = state.award.expires_at
    if expires is None:
        return Check("expiry", "passed", "check_expiry", "never_expires")
    if expires <= now:
        return Check("expiry", "failed", "check_expiry", "expired", {"date": expires})
    return Check("expiry", "passed", "check_expiry", "not_expired", {"date": expires})


def verdict(session: Session, state: IssuedState, issuer: str, now: datetime) -> Verdict:
    """Every check of an award of this instance, and what they add up to."""
    proofs = [_proof_check(session, state, kind, issuer) for kind in ("proof", "jwt")]
    revocation = _revocation(state)
    expiry = _expiry(state, now)
    checks = (*proofs, revocation, expiry)
    outcome: Outcome = "valid"
    if any(check.status == "failed" for check in proofs):
        outcome = "invalid"
    elif state.award.revoked_at is not None:
        outcome = "revoked"
    elif expiry.status == "failed":
        outcome = "expired"
    return Verdict(outcome, checks, now)
