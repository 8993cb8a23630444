"""Open Badges 3.0 ``OpenBadgeCredential`` documents, built from the same records as OB 2.0.

The credential is a W3C Verifiable Credential (VC 2.0 data model) with the OB 3.0.3
context, and the 1EdTech extensions context because it names its JSON Schema with
``1EdTechJsonSchemaValidator2019``. It follows the serialization rules of the spec: every
multi-valued property is an array, no nulls or empty arrays, images are ``Image`` objects.
Proofs are added afterwards (``data_integrity`` or ``vc_jwt``), never here.
"""

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol
from uuid import UUID

from badgeforge.core.errors import InvalidDocument
from badgeforge.core.languages import language_url, primary_language
from badgeforge.core.matrix import criteria_narrative
from badgeforge.core.ob2 import format_datetime
from badgeforge.core.records import (
    Alignment,
    AwardRecord,
    BadgeClassRecord,
    Evidence,
    IssuerRecord,
)

VC2_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB3_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OB3_EXTENSIONS_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"
CREDENTIAL_CONTEXT = (VC2_CONTEXT, OB3_CONTEXT, OB3_EXTENSIONS_CONTEXT)
ACHIEVEMENT_CREDENTIAL_SCHEMA = (
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
)
CREDENTIAL_TYPES = ("VerifiableCredential", "OpenBadgeCredential")

Document = dict[str, Any]
_LANGUAGE = re.compile(r"^([A-Za-z]{2,4})(?:-([A-Za-z]{4}))?(?:-([A-Za-z]{2}|[0-9]{3}))?$")


class Ob3Links(Protocol):
    """Where an issuer's OB 3.0 objects live: identifiers may be URLs or DIDs."""

    def credential(self, award_id: UUID) -> str: ...

    def achievement(self, badge_class_id: UUID) -> str: ...

    def badge_class_image(self, badge_class_id: UUID, media_type: str) -> str: ...

    def issuer_profile(self, issuer_id: UUID) -> str: ...

    def issuer_image(self, issuer_id: UUID) -> str: ...


@dataclass(frozen=True)
class CredentialOptions:
    """What a credential carries besides the records: status entry and subject DID."""

    credential_status: Document | None = None
    subject_did: str | None = None
    include_schema: bool = True
    languages: bool = False
    """List the achievement's translations in ``related`` (served at its id + ``/{tag}``)."""


def language_code(tag: str | None) -> str | None:
    """A BCP 47 tag in the case the OB 3.0 schema asks for (``fr``, ``fr-FR``), or None."""
    if tag is None:
        return None
    match = _LANGUAGE.match(tag)
    if match is None:
        return None
    language, script, region = match.groups()
    parts = [language.lower()]
    if script:
        parts.append(script.title())
    if region:
        parts.append(region.upper())
    return "-".join(parts)


def _compact(document: Document) -> Document:
    return {key: value for key, value in document.items() if value not in (None, [], "", {})}


def _image(url: str | None, caption: str | None = None) -> Document | None:
    return _compact({"id": url, "type": "Image", "caption": caption}) if url else None


def issuer_profile(issuer: IssuerRecord, links: Ob3Links) -> Document:
    """The issuer as an OB 3.0 ``Profile`` object."""
    return _compact(
        {
            "id": links.issuer_profile(issuer.id),
            "type": ["Profile"],
            "name": issuer.name,
            "url": issuer.url,
            "email": issuer.email,
            "phone": issuer.telephone,
            "description": issuer.description,
            "image": _image(links.issuer_image(issuer.id), issuer.name)
            if issuer.has_image
            else None,
        }
    )


def _alignment(alignment: Alignment) -> Document:
    return _compact(
        {
            "type": ["Alignment"],
            "targetName": alignment.target_name,
            "targetUrl": alignment.target_url,
            "targetDescription": alignment.target_description,
            "targetFramework": alignment.target_framework,
            "targetCode": alignment.target_code,
        }
    )


_LEVELS_NAME = {"fr": "Niveau de maîtrise", "en": "Level of mastery"}


def _levels_id(badge_class: BadgeClassRecord, links: Ob3Links) -> str:
    return f"{links.achievement(badge_class.id)}#levels"


def result_descriptions(badge_class: BadgeClassRecord, links: Ob3Links) -> list[Document]:
    """The badge's mastery levels as one rubric ``ResultDescription`` (none without levels)."""
    if not badge_class.levels:
        return []
    rubric = _levels_id(badge_class, links)
    language = (badge_class.language or "fr").split("-")[0].lower()
    levels = [
        _compact(
            {
                "id": f"{rubric}-{number}",
                "type": ["RubricCriterionLevel"],
                "name": level.name,
                "description": level.description,
                "level": str(number),
            }
        )
        for number, level in enumerate(badge_class.levels, start=1)
    ]
    return [
        {
            "id": rubric,
            "type": ["ResultDescription"],
            "name": _LEVELS_NAME.get(language, _LEVELS_NAME["en"]),
            "resultType": "RubricCriterionLevel",
            "rubricCriterionLevel": levels,
        }
    ]


def results(award: AwardRecord, badge_class: BadgeClassRecord, links: Ob3Links) -> list[Document]:
    """The level the award recognises, as a ``Result`` pointing into the rubric."""
    if award.level is None:
        return []
    if not 1 <= award.level <= len(badge_class.levels):
        raise InvalidDocument(f"the badge class has no level {award.level}")
    rubric = _levels_id(badge_class, links)
    return [
        {
            "type": ["Result"],
            "resultDescription": rubric,
            "achievedLevel": f"{rubric}-{award.level}",
        }
    ]


def in_language(tag: str | None) -> str | None:
    """The OB 3.0 ``inLanguage`` of a tag: private use dropped (``fr-x-falc`` is ``fr``),
    since the schema's LanguageCode pattern has no place for it."""
    return language_code(primary_language(tag)) if tag else None


def related(badge_class: BadgeClassRecord, achievement_id: str) -> list[Document]:
    """The achievement in its other languages, as ``Related`` objects with ``inLanguage``
    and ``version``; the easy-to-read version's URL ends in ``/fr-x-falc``."""
    return [
        _compact(
            {
                "id": language_url(achievement_id, item.language),
                "type": ["Related"],
                "inLanguage": in_language(item.language),
                "version": str(badge_class.version) if badge_class.version else None,
            }
        )
        for item in badge_class.translations
    ]


def achievement(
    badge_class: BadgeClassRecord, links: Ob3Links, *, languages: bool = False
) -> Document:
    """The badge class as an OB 3.0 ``Achievement``; with ``languages``, its translations
    in ``related``."""
    if not badge_class.criteria_narrative and not badge_class.criteria_url:
        raise InvalidDocument("a badge class needs a criteria narrative or a criteria URL")
    achievement_id = links.achievement(badge_class.id)
    return _compact(
        {
            "id": achievement_id,
            "type": ["Achievement"],
            "achievementType": badge_class.achievement_type,
            "name": badge_class.name,
            "description": badge_class.description,
            "criteria": _compact(
                {
                    "id": badge_class.criteria_url,
                    "narrative": criteria_narrative(badge_class, badge_class.language),
                }
            ),
            "image": _image(
                links.badge_class_image(badge_class.id, badge_class.image_media_type),
                badge_class.name,
            ),
            "alignment": [_alignment(item) for item in badge_class.alignments],
            "tag": list(badge_class.tags),
            "inLanguage": in_language(badge_class.language),
            "humanCode": badge_class.human_code,
            "fieldOfStudy": badge_class.field_of_study,
            "specialization": badge_class.specialization,
            "version": str(badge_class.version) if badge_class.version else None,
            "resultDescription": result_descriptions(badge_class, links),
            "related": related(badge_class, achievement_id) if languages else [],
        }
    )


def _evidence(evidence: Evidence) -> Document:
    if not evidence.url and not evidence.narrative:
        raise InvalidDocument("evidence needs a URL or a narrative")
    return _compact(
        {
            "id": evidence.url,
            "type": ["Evidence"],
            "narrative": evidence.narrative,
            "name": evidence.name,
            "description": evidence.description,
            "genre": evidence.genre,
            "audience": evidence.audience,
        }
    )


def _subject(
    award: AwardRecord, badge_class: BadgeClassRecord, links: Ob3Links, options: CredentialOptions
) -> Document:
    return _compact(
        {
            "id": options.subject_did,
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "hashed": True,
                    "identityHash": award.recipient.identity_hash,
                    "identityType": "emailAddress",
                    "salt": award.recipient.salt,
                }
            ],
            "achievement": achievement(badge_class, links, languages=options.languages),
            "result": results(award, badge_class, links),
            "narrative": award.narrative,
        }
    )


def open_badge_credential(
    award: AwardRecord,
    badge_class: BadgeClassRecord,
    issuer: IssuerRecord,
    links: Ob3Links,
    options: CredentialOptions | None = None,
) -> Document:
    """The unsigned ``OpenBadgeCredential`` of an award."""
    options = options or CredentialOptions()
    if award.badge_class_id != badge_class.id or badge_class.issuer_id != issuer.id:
        raise InvalidDocument("the award, badge class and issuer do not belong together")
    if award.expires is not None and award.expires < award.issued_on:
        raise InvalidDocument("an award cannot expire before it is issued")
    schema = [{"id": ACHIEVEMENT_CREDENTIAL_SCHEMA, "type": "1EdTechJsonSchemaValidator2019"}]
    return _compact(
        {
            "@context": list(CREDENTIAL_CONTEXT),
            "id": links.credential(award.id),
            "type": list(CREDENTIAL_TYPES),
            "name": badge_class.name,
            "description": badge_class.description,
            "image": _image(
                links.badge_class_image(badge_class.id, badge_class.image_media_type),
                badge_class.name,
            ),
            "issuer": issuer_profile(issuer, links),
            "validFrom": format_datetime(award.issued_on),
            "validUntil": format_datetime(award.expires) if award.expires else None,
            "awardedDate": format_datetime(award.issued_on),
            "credentialSubject": _subject(award, badge_class, links, options),
            "evidence": [_evidence(item) for item in award.evidence],
            "credentialSchema": schema if options.include_schema else None,
            "credentialStatus": options.credential_status,
        }
    )


def issued_at(credential: Document) -> datetime:
    """The ``validFrom`` of a credential built here, as an aware datetime."""
    return datetime.fromisoformat(str(credential["validFrom"]).replace("Z", "+00:00"))
