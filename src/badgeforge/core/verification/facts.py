"""Read what a badge says about itself (name, issuer, recipient, dates...) for the report.

Only plain strings are copied, cut to a sane length, so a hostile document cannot smuggle
objects into a page. The recipient is reported as given: a hash stays a hash.
"""

from typing import Any

from badgeforge.core.verification.report import BadgeFacts, IssuerFacts, RecipientFacts

MAX_TEXT = 4000
MAX_ITEMS = 50

Document = dict[str, Any]


def string(value: Any, limit: int = MAX_TEXT) -> str | None:
    """``value`` if it is a string (cut to ``limit``), an object's ``id`` string, else None."""
    if isinstance(value, dict):
        value = value.get("id")
    return value[:limit] if isinstance(value, str) else None


def _items(value: Any) -> list[Any]:
    items = value if isinstance(value, list) else [] if value is None else [value]
    return items[:MAX_ITEMS]


def _strings(source: Any, names: tuple[str, ...]) -> dict[str, str]:
    if isinstance(source, str):
        return {"id": source[:MAX_TEXT]}
    if not isinstance(source, dict):
        return {}
    found = {name: string(source.get(name)) for name in names}
    return {name: value for name, value in found.items() if value}


def issuer_facts(issuer: Any) -> IssuerFacts:
    if not isinstance(issuer, dict):
        return IssuerFacts(id=string(issuer))
    return IssuerFacts(
        id=string(issuer.get("id")),
        name=string(issuer.get("name")),
        url=string(issuer.get("url")),
        email=string(issuer.get("email")),
        image=string(issuer.get("image"), 1_000_000),
    )


_EVIDENCE = ("id", "name", "description", "narrative", "genre", "audience")
_ALIGNMENT = ("targetName", "targetUrl", "targetDescription", "targetFramework", "targetCode")


def ob2_facts(assertion: Document, badge: Document, issuer: Document) -> BadgeFacts:
    """Facts of an OB 2.0 assertion with its BadgeClass and issuer Profile."""
    recipient = assertion.get("recipient")
    recipient = recipient if isinstance(recipient, dict) else {}
    criteria = badge.get("criteria")
    return BadgeFacts(
        id=string(assertion.get("id")),
        name=string(badge.get("name")),
        description=string(badge.get("description")),
        image=string(assertion.get("image"), 1_000_000) or string(badge.get("image"), 1_000_000),
        criteria_url=string(criteria),
        criteria_narrative=string(criteria.get("narrative"))
        if isinstance(criteria, dict)
        else None,
        issuer=issuer_facts(issuer),
        recipient=RecipientFacts(
            type=string(recipient.get("type")),
            hashed=recipient.get("hashed") if isinstance(recipient.get("hashed"), bool) else None,
            identity=string(recipient.get("identity")),
            salt=string(recipient.get("salt")),
        ),
        issued_on=string(assertion.get("issuedOn")),
        expires=string(assertion.get("expires")),
        narrative=string(assertion.get("narrative")),
        evidence=[_strings(item, _EVIDENCE) for item in _items(assertion.get("evidence"))],
        alignments=[_strings(item, _ALIGNMENT) for item in _items(badge.get("alignment"))],
        tags=[tag[:200] for tag in _items(badge.get("tags")) if isinstance(tag, str)],
    )


def _subject(credential: Document) -> Document:
    subject = credential.get("credentialSubject")
    if isinstance(subject, list):
        subject = subject[0] if subject else None
    return subject if isinstance(subject, dict) else {}


def _recipient(subject: Document) -> RecipientFacts:
    identifiers = [item for item in _items(subject.get("identifier")) if isinstance(item, dict)]
    first = identifiers[0] if identifiers else {}
    hashed = first.get("hashed")
    return RecipientFacts(
        type=string(first.get("identityType")),
        hashed=hashed if isinstance(hashed, bool) else None,
        identity=string(first.get("identityHash")),
        salt=string(first.get("salt")),
        subject_id=string(subject.get("id")),
    )


def ob3_facts(credential: Document) -> BadgeFacts:
    """Facts of an OB 3.0 credential (its achievement, issuer and subject)."""
    subject = _subject(credential)
    achievement = subject.get("achievement")
    achievement = achievement if isinstance(achievement, dict) else {}
    criteria = achievement.get("criteria")
    criteria = criteria if isinstance(criteria, dict) else {}
    start = credential.get("validFrom", credential.get("issuanceDate"))
    return BadgeFacts(
        id=string(credential.get("id")),
        name=string(achievement.get("name")) or string(credential.get("name")),
        description=string(achievement.get("description")) or string(credential.get("description")),
        image=string(achievement.get("image"), 1_000_000)
        or string(credential.get("image"), 1_000_000),
        criteria_url=string(criteria.get("id")),
        criteria_narrative=string(criteria.get("narrative")),
        issuer=issuer_facts(credential.get("issuer")),
        recipient=_recipient(subject),
        issued_on=string(credential.get("awardedDate")) or string(start),
        expires=string(credential.get("validUntil", credential.get("expirationDate"))),
        narrative=string(subject.get("narrative")),
        evidence=[_strings(item, _EVIDENCE) for item in _items(credential.get("evidence"))],
        alignments=[_strings(item, _ALIGNMENT) for item in _items(achievement.get("alignment"))],
        tags=[tag[:200] for tag in _items(achievement.get("tag")) if isinstance(tag, str)],
    )
