"""Open Badges 2.0 documents (hosted verification), rendered from core records.

The output follows what the 1EdTech validator and Open Badge Passport expect: a plain
string ``@context``, ``id`` equal to the URL the document is served at, timestamps with a
zone, a hashed email recipient and the BadgeClass hosted on the assertion's host.
How an award's narrative and evidence are published is explained in ``assertion_evidence``.
"""

import textwrap
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from badgeforge.core.errors import InvalidDocument
from badgeforge.core.languages import language_url, translated
from badgeforge.core.matrix import criteria_narrative
from badgeforge.core.records import (
    Alignment,
    AwardRecord,
    BadgeClassRecord,
    Evidence,
    IssuerRecord,
    Links,
)

OB2_CONTEXT = "https://w3id.org/openbadges/v2"

Document = dict[str, Any]


def format_datetime(value: datetime) -> str:
    """An ISO 8601 UTC timestamp with a ``Z`` zone and whole seconds."""
    if value.tzinfo is None:
        raise InvalidDocument("timestamps must be timezone-aware")
    return value.astimezone(UTC).replace(microsecond=0, tzinfo=None).isoformat() + "Z"


def _compact(document: Document) -> Document:
    return {key: value for key, value in document.items() if value not in (None, [], "")}


def issuer_profile(
    issuer: IssuerRecord,
    links: Links,
    *,
    public_keys: Sequence[str] = (),
    revocation_list: str | None = None,
) -> Document:
    """The issuer's hosted Profile (``type: Issuer``).

    ``public_keys`` are the URLs of its CryptographicKey documents (signed assertions name
    one as ``verification.creator``). A single key is published as a plain URL, because
    Open Badge Passport compares ``publicKey`` with the creator as strings.
    """
    keys: str | list[str] | None = None
    if public_keys:
        keys = public_keys[0] if len(public_keys) == 1 else list(public_keys)
    return _compact(
        {
            "@context": OB2_CONTEXT,
            "type": "Issuer",
            "id": links.issuer(issuer.id),
            "name": issuer.name,
            "url": issuer.url,
            "email": issuer.email,
            "telephone": issuer.telephone,
            "description": issuer.description,
            "image": links.issuer_image(issuer.id) if issuer.has_image else None,
            "publicKey": keys,
            "revocationList": revocation_list,
            "@language": issuer.language,
        }
    )


def alignment(alignment: Alignment) -> Document:
    """An OB 2.0 ``AlignmentObject``."""
    return _compact(
        {
            "type": "AlignmentObject",
            "targetName": alignment.target_name,
            "targetUrl": alignment.target_url,
            "targetDescription": alignment.target_description,
            "targetFramework": alignment.target_framework,
            "targetCode": alignment.target_code,
        }
    )


def _criteria(badge_class: BadgeClassRecord) -> Document:
    if not badge_class.criteria_narrative and not badge_class.criteria_url:
        raise InvalidDocument("a badge class needs a criteria narrative or a criteria URL")
    return _compact(
        {
            "type": "Criteria",
            "id": badge_class.criteria_url,
            "narrative": criteria_narrative(badge_class, badge_class.language),
        }
    )


def _related(main_url: str, main: BadgeClassRecord, shown: str | None) -> list[Document]:
    """Every other language version of a BadgeClass: ``{id, @language}`` (Open Badge Passport
    fetches each ``related`` URL and keeps the document if it has ``@language``)."""
    versions: Iterable[tuple[str | None, str]] = [
        (main.language, main_url),
        *((item.language, language_url(main_url, item.language)) for item in main.translations),
    ]
    return [{"id": url, "@language": tag} for tag, url in versions if tag and tag != shown]


def _badge_class(
    badge_class: BadgeClassRecord, links: Links, document_id: str, related: list[Document]
) -> Document:
    return _compact(
        {
            "@context": OB2_CONTEXT,
            "type": "BadgeClass",
            "id": document_id,
            "name": badge_class.name,
            "description": badge_class.description,
            "image": links.badge_class_image(badge_class.id, badge_class.image_media_type),
            "criteria": _criteria(badge_class),
            "issuer": links.issuer(badge_class.issuer_id),
            "alignment": [alignment(item) for item in badge_class.alignments],
            "tags": list(badge_class.tags),
            "version": str(badge_class.version) if badge_class.version else None,
            "related": related,
            "@language": badge_class.language,
        }
    )


def badge_class(
    badge_class: BadgeClassRecord, links: Links, *, languages: bool = False
) -> Document:
    """The hosted BadgeClass, linking its issuer Profile by URL.

    With ``languages``, ``related`` lists its translations, each served at this document's
    URL followed by ``/{tag}`` (see :func:`badge_class_translations`).
    """
    url = links.badge_class(badge_class.id)
    related = _related(url, badge_class, badge_class.language) if languages else []
    return _badge_class(badge_class, links, url, related)


def badge_class_translations(badge_class: BadgeClassRecord, links: Links) -> dict[str, Document]:
    """The BadgeClass in each of its translations, by language tag.

    Same image, issuer, alignments and version; the name, description and criteria (with
    that language's headings) translated; ``@language`` the tag; ``related`` the others.
    """
    url = links.badge_class(badge_class.id)
    return {
        item.language: _badge_class(
            translated(badge_class, item.language),
            links,
            language_url(url, item.language),
            _related(url, badge_class, item.language),
        )
        for item in badge_class.translations
    }


def _paragraphs(*texts: str | None) -> str | None:
    joined = "\n\n".join(text.strip() for text in texts if text and text.strip())
    return joined or None


def _markdown_item(item: Evidence) -> str:
    """One evidence item as a Markdown list entry: name, genre and audience, link, then text."""
    kinds = "; ".join(part for part in (item.genre, item.audience) if part)
    head = " ".join(
        part
        for part in (
            f"**{item.name}**" if item.name else None,
            f"({kinds})" if kinds else None,
            f"<{item.url}>" if item.url else None,
        )
        if part
    )
    text = _paragraphs(head, item.description, item.narrative) or ""
    return "- " + textwrap.indent(text, "  ").removeprefix("  ")


def assertion_evidence(award: AwardRecord) -> tuple[str | None, Document | None]:
    """The Assertion's ``narrative`` and ``evidence``, published so Open Badge Passport keeps both.

    Open Badge Passport (salava ``parse.clj``, the evidence ``cond``) imports exactly one of:
    a string ``narrative`` on the assertion (kept as one record; every ``evidence`` dropped),
    else a string ``evidence`` (one record with that URL), else one Evidence object (one record
    with its ``id``, ``narrative``, ``name``, ``description``, ``genre`` and ``audience``), else a
    list of Evidence objects, which it maps with ``#({...})`` (a map called with no argument):
    any non-empty list makes the whole import fail. So:

    - no evidence: the award narrative (if any) is the Assertion's ``narrative``;
    - one item: ``evidence`` is that single Evidence object, its ``narrative`` being the award
      narrative followed by the item's own; no Assertion ``narrative``;
    - several items: ``evidence`` is one Evidence object whose Markdown ``narrative`` is the
      award narrative followed by a list with every item (name, genre and audience, URL,
      description, narrative); no Assertion ``narrative``.

    All three are valid OB 2.0 (``evidence`` may be one Evidence object).
    """
    for item in award.evidence:
        if not item.url and not item.narrative:
            raise InvalidDocument("evidence needs a URL or a narrative")
    if not award.evidence:
        return award.narrative or None, None
    if len(award.evidence) == 1:
        item = award.evidence[0]
        fields = {
            "id": item.url,
            "narrative": _paragraphs(award.narrative, item.narrative),
            "name": item.name,
            "description": item.description,
            "genre": item.genre,
            "audience": item.audience,
        }
    else:
        items = "\n".join(_markdown_item(item) for item in award.evidence)
        fields = {"narrative": _paragraphs(award.narrative, items)}
    return None, _compact({"type": "Evidence", **fields})


def assertion(award: AwardRecord, badge_class: BadgeClassRecord, links: Links) -> Document:
    """The hosted Assertion of an award (also for revoked awards, with ``revoked: true``)."""
    if award.badge_class_id != badge_class.id:
        raise InvalidDocument("the award is not of this badge class")
    if award.expires is not None and award.expires < award.issued_on:
        raise InvalidDocument("an award cannot expire before it is issued")
    narrative, evidence = assertion_evidence(award)
    return _compact(
        {
            "@context": OB2_CONTEXT,
            "type": "Assertion",
            "id": links.assertion(award.id),
            "recipient": {
                "type": "email",
                "hashed": True,
                "salt": award.recipient.salt,
                "identity": award.recipient.identity_hash,
            },
            "badge": links.badge_class(badge_class.id),
            "verification": {"type": "hosted"},
            "issuedOn": format_datetime(award.issued_on),
            "expires": format_datetime(award.expires) if award.expires else None,
            "image": links.baked_image(award.id, "image/png"),
            "narrative": narrative,
            "evidence": evidence,
            "revoked": True if award.revoked else None,
            "revocationReason": award.revocation_reason if award.revoked else None,
        }
    )


def revoked_assertion(award_id: UUID, reason: str | None, links: Links) -> Document:
    """The minimal body served with ``410 Gone`` for a revoked award."""
    return _compact(
        {
            "@context": OB2_CONTEXT,
            "type": "Assertion",
            "id": links.assertion(award_id),
            "revoked": True,
            "revocationReason": reason,
        }
    )
