"""OB 3.0 ``credentialStatus``: W3C Bitstring Status List and the 1EdTech Revocation List.

A bitstring status list credential is itself verified (its proof, by the same issuer as
the credential, still valid, same purpose) before its bit is believed; a list that fails
that is a failed check. A list that cannot be fetched is a warning, as in the 1EdTech
validator: the credential may still be good.
"""

import enum
from typing import Any

from badgeforge.core import jws, status_list
from badgeforge.core.data_integrity import HashMemo
from badgeforge.core.errors import CoreError
from badgeforge.core.vc_jwt import credential_of
from badgeforge.core.vc_model import validity_period
from badgeforge.core.verification.context import ACCEPT_JSON, Session, Unfetchable
from badgeforge.core.verification.proofs import (
    ProofFailure,
    issuer_of,
    verify_embedded,
    verify_token,
)
from badgeforge.core.verification.report import Report

Document = dict[str, Any]
ACCEPT_STATUS = "application/vc+ld+json, application/ld+json, application/json, application/vc+jwt"


STATUS_LISTS = HashMemo(64)
"""The canonical hashes of the status list credentials seen lately (one list serves up to
131,072 credentials): their signatures and keys are still checked every time."""


class Outcome(enum.Enum):
    CLEAR = "clear"
    REVOKED = "revoked"
    SUSPENDED = "suspended"
    UNKNOWN = "unknown"


class _ListInvalid(CoreError):
    def __init__(self, code: str, detail: str | None = None) -> None:
        super().__init__(detail or code)
        self.code = code
        self.detail = detail


def _list_credential(session: Session, url: str, issuer: str | None) -> Document:
    fetched = session.fetch(url, ACCEPT_STATUS)
    if fetched.status != 200:
        raise Unfetchable("fetch.status", url, f"HTTP {fetched.status}")
    body = fetched.body.strip()
    try:
        if body[:1] == b"{":
            document = session.parse(fetched)
            verify_embedded(session, document, STATUS_LISTS)
        else:
            decoded = jws.decode_compact(body.decode("ascii"))
            document = credential_of(decoded)
            verify_token(session, decoded, issuer_of(document))
    except ProofFailure as failure:
        raise _ListInvalid("status.list_unverified", failure.detail or failure.code) from failure
    except (CoreError, UnicodeDecodeError) as error:
        raise _ListInvalid("status.list_unverified", str(error)[:300]) from error
    if issuer_of(document) != issuer:
        raise _ListInvalid("status.list_issuer", f"the list is issued by {issuer_of(document)}")
    return document


def _bitstring(session: Session, entry: Document, issuer: str | None) -> Outcome:
    url = entry.get("statusListCredential")
    if not isinstance(url, str):
        raise _ListInvalid("status.malformed", "statusListCredential is not a URL")
    document = _list_credential(session, url, issuer)
    purpose = entry.get("statusPurpose", "revocation")
    subject = document.get("credentialSubject")
    try:
        _, end = validity_period(document)
        if end is not None and end < session.now:
            raise _ListInvalid("status.list_expired")
        if not isinstance(subject, dict) or subject.get("statusPurpose") not in (purpose, None):
            raise _ListInvalid("status.malformed", "the list's statusPurpose differs")
        if int(entry.get("statusSize", 1)) != 1:
            return Outcome.UNKNOWN
        bits = status_list.decode_list(subject.get("encodedList", ""))
        index = entry.get("statusListIndex")
        if not isinstance(index, str | int) or not str(index).isdigit():
            raise _ListInvalid("status.malformed", "statusListIndex is not a number")
        is_set = status_list.bit_is_set(bits, int(index))
    except (CoreError, ValueError, TypeError) as error:
        if isinstance(error, _ListInvalid):
            raise
        raise _ListInvalid("status.malformed", str(error)[:300]) from error
    if not is_set:
        return Outcome.CLEAR
    if purpose == "revocation":
        return Outcome.REVOKED
    return Outcome.SUSPENDED if purpose == "suspension" else Outcome.CLEAR


def _revocation_list(session: Session, entry: Document, credential: Document) -> Outcome:
    url = entry.get("id")
    if not isinstance(url, str):
        raise _ListInvalid("status.malformed", "the revocation list id is not a URL")
    listed = session.fetch_json(url).get("revokedCredential")
    if not isinstance(listed, list):
        raise _ListInvalid("status.malformed", "revokedCredential is not a list")
    for item in listed:
        same = isinstance(item, dict) and item.get("id") == credential.get("id")
        if same and item.get("revoked", True) is not False:
            return Outcome.REVOKED
    return Outcome.CLEAR


def _one(session: Session, entry: Any, credential: Document) -> Outcome:
    if not isinstance(entry, dict):
        raise _ListInvalid("status.malformed", "credentialStatus is not an object")
    kind = entry.get("type")
    if kind in ("BitstringStatusListEntry", "StatusList2021Entry"):
        return _bitstring(session, entry, issuer_of(credential))
    if kind == "1EdTechRevocationList":
        return _revocation_list(session, entry, credential)
    raise _ListInvalid("status.unsupported", f"status type {str(kind)[:80]}")


def status_fetches(credential: Document) -> list[tuple[Any, str]]:
    """The documents the status check of ``credential`` will fetch first (URL, Accept)."""
    entries = credential.get("credentialStatus")
    found = []
    for entry in (entries if isinstance(entries, list) else [entries])[:4]:
        if not isinstance(entry, dict):
            continue
        if entry.get("type") in ("BitstringStatusListEntry", "StatusList2021Entry"):
            found.append((entry.get("statusListCredential"), ACCEPT_STATUS))
        elif entry.get("type") == "1EdTechRevocationList":
            found.append((entry.get("id"), ACCEPT_JSON))
    return found


def check_status(session: Session, report: Report, credential: Document) -> None:
    """Record the ``status`` check of an OB 3.0 credential."""
    entries = credential.get("credentialStatus")
    if entries is None:
        report.skipped("status", "status.none")
        return
    outcomes: list[Outcome] = []
    for entry in (entries if isinstance(entries, list) else [entries])[:4]:
        try:
            outcomes.append(_one(session, entry, credential))
        except Unfetchable as error:
            report.warning("status", "status.unavailable", error.detail, url=error.url)
            return
        except _ListInvalid as error:
            if error.code == "status.unsupported":
                report.warning("status", error.code, error.detail)
            else:
                report.failed("status", error.code, error.detail)
            return
    if Outcome.REVOKED in outcomes:
        report.failed("status", "status.revoked")
    elif Outcome.SUSPENDED in outcomes:
        report.failed("status", "status.suspended")
    elif Outcome.UNKNOWN in outcomes:
        report.warning("status", "status.unsupported", "multi-bit status entries")
    else:
        report.passed("status", "status.clear")
