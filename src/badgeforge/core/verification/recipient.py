"""Optional recipient check: does the badge name this email address?

Hashed identities (``sha256$…``, ``md5$…``, with their salt) are compared for the address
as given and in lower case (SPEC pitfall 6); plain ones case-insensitively. The badge
may name its recipient otherwise (a URL, a DID, a phone number): that is not comparable
with an email, and the check is skipped rather than failed.
"""

from typing import Any

from badgeforge.core.identity import identity_matches
from badgeforge.core.verification.report import Report

Document = dict[str, Any]
EMAIL_TYPES = ("email", "emailAddress")


def _matches(email: str, identity: Any, hashed: Any, salt: Any) -> bool:
    if not isinstance(identity, str):
        return False
    if hashed is True or (hashed is None and "$" in identity):
        return identity_matches(identity, email, salt if isinstance(salt, str) else None)
    return identity.strip().lower() == email.strip().lower()


def _record(report: Report, email: str | None, candidates: list[Document], other: bool) -> None:
    if email is None:
        report.skipped("recipient", "recipient.not_asked")
    elif not candidates:
        report.skipped("recipient", "recipient.not_email" if other else "recipient.none")
    elif any(
        _matches(email, item.get("identity"), item.get("hashed"), item.get("salt"))
        for item in candidates
    ):
        report.passed("recipient", "recipient.match")
    else:
        report.failed("recipient", "recipient.mismatch")


def check_ob2(report: Report, email: str | None, assertion: Document) -> None:
    """Record the ``recipient`` check of an OB 2.0 assertion's IdentityObject."""
    recipient = assertion.get("recipient")
    recipient = recipient if isinstance(recipient, dict) else {}
    candidates = [recipient] if recipient.get("type") in EMAIL_TYPES else []
    _record(report, email, candidates, bool(recipient))


def check_ob3(report: Report, email: str | None, subject: Document) -> None:
    """Record the ``recipient`` check of an OB 3.0 subject (``identifier`` or mailto id)."""
    identifiers = subject.get("identifier")
    items = identifiers if isinstance(identifiers, list) else [identifiers]
    candidates = [
        {
            "identity": item.get("identityHash"),
            "hashed": item.get("hashed"),
            "salt": item.get("salt"),
        }
        for item in items[:20]
        if isinstance(item, dict) and item.get("identityType") in EMAIL_TYPES
    ]
    subject_id = subject.get("id")
    if isinstance(subject_id, str) and subject_id.lower().startswith("mailto:"):
        candidates.append({"identity": subject_id[7:], "hashed": False})
    other = bool(subject_id) or any(isinstance(item, dict) for item in items)
    _record(report, email, candidates, other)
