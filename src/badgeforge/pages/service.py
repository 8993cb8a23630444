"""What the public pages show, read from the frozen documents and the live records.

An award page shows the badge exactly as it was issued (the frozen OB 3.0 credential),
never the recipient's plain email (only a masked form), and the verification core's
reports of the award's own URLs (``pages.verdict``). Badge class and issuer pages show
the live rows, as the hosted OB 2.0 documents do. Like ``public.service``, nothing here
is tenant-scoped: the unguessable id in the URL is the capability.
"""

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.orm import Session

from badgeforge.badge_classes import service as badge_classes
from badgeforge.badge_classes.content import stored_content, version_record
from badgeforge.badge_classes.models import BadgeClass
from badgeforge.core.ob2 import alignment as ob2_alignment
from badgeforge.issuers.models import Issuer
from badgeforge.pages.i18n import Language
from badgeforge.pages.matrix import MatrixView, matrix_view, version_matrix
from badgeforge.pages.verdict import Verdict, verdict
from badgeforge.problems import NotFound
from badgeforge.public import links as paths
from badgeforge.public.service import IssuedState, issued_state

Document = dict[str, Any]


@dataclass(frozen=True)
class Alignment:
    name: str
    url: str | None
    description: str | None
    framework: str | None
    code: str | None


@dataclass(frozen=True)
class Evidence:
    url: str | None
    name: str | None
    description: str | None
    narrative: str | None


@dataclass(frozen=True)
class Endorsement:
    endorser: str
    comment: str | None


@dataclass(frozen=True)
class AwardView:
    id: UUID
    name: str
    description: str
    image: str
    criteria: str | None
    criteria_url: str | None
    issuer_id: UUID
    issuer_name: str
    issuer_url: str | None
    badge_class_id: UUID
    recipient: str
    issued_on: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    revocation_reason: str | None
    narrative: str | None
    evidence: list[Evidence]
    alignments: list[Alignment]
    endorsements: list[Endorsement]
    tags: list[str]
    verdict: Verdict
    assertion_url: str
    downloads: list[tuple[str, str]] = field(default_factory=list)
    matrix: MatrixView | None = None
    """The matrix of the version it was awarded under, in the page's language."""
    level: int | None = None
    """The mastery level reached (1 = the first of ``matrix.levels``)."""


@dataclass(frozen=True)
class BadgeClassView:
    id: UUID
    name: str
    description: str
    image: str
    criteria: str | None
    criteria_url: str | None
    issuer_id: UUID
    issuer_name: str
    alignments: list[Alignment]
    tags: list[str]
    expires_after_days: int | None
    matrix: MatrixView | None = None


@dataclass(frozen=True)
class IssuerView:
    id: UUID
    name: str
    description: str | None
    url: str
    email: str
    logo: str | None
    badge_classes: list[tuple[UUID, str]]


def mask_email(email: str) -> str:
    """``c•••••@example.org``: the first character, a fixed mask, the domain."""
    local, _, domain = email.rpartition("@")
    if not local:
        return "•••••"
    return f"{local[0]}•••••@{domain}"


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _alignments(items: Any) -> list[Alignment]:
    return [
        Alignment(
            name=_text(item.get("targetName")) or "",
            url=_text(item.get("targetUrl")),
            description=_text(item.get("targetDescription")),
            framework=_text(item.get("targetFramework")),
            code=_text(item.get("targetCode")),
        )
        for item in _list(items)
        if isinstance(item, dict)
    ]


def _evidence(items: Any) -> list[Evidence]:
    return [
        Evidence(
            url=_text(item.get("id")),
            name=_text(item.get("name")),
            description=_text(item.get("description")),
            narrative=_text(item.get("narrative")),
        )
        for item in _list(items)
        if isinstance(item, dict)
    ]


def _endorsements(items: Any) -> list[Endorsement]:
    found = []
    for item in _list(items):
        if not isinstance(item, dict):
            continue
        issuer = item.get("issuer")
        name = issuer.get("name") if isinstance(issuer, dict) else issuer
        subject = item.get("credentialSubject")
        comment = subject.get("endorsementComment") if isinstance(subject, dict) else None
        found.append(Endorsement(_text(name) or "?", _text(comment)))
    return found


def _downloads(award_id: UUID) -> list[tuple[str, str]]:
    def path(template: str, **values: str) -> str:
        return template.format(award_id=award_id, **values)

    return [
        ("download_png", path(paths.BAKED_IMAGE_PATH, extension="png")),
        ("download_svg", path(paths.BAKED_IMAGE_PATH, extension="svg")),
        ("download_ob2", f"/badges/{award_id}/assertion.json"),
        ("download_jws", path(paths.SIGNED_ASSERTION_PATH)),
        ("download_ob3", path(paths.CREDENTIAL_PATH)),
        ("download_jwt", path(paths.CREDENTIAL_JWT_PATH)),
        ("download_ob3_png", path(paths.CREDENTIAL_BAKED_IMAGE_PATH, extension="png")),
    ]


def award_view(session: Session, award_id: UUID, now: datetime) -> AwardView:
    """The award page's content, as issued, with its verdict at ``now``."""
    state = issued_state(session, award_id)
    return award_view_of(session, state, json.loads(state.issued.ob3_credential), now)


def award_view_of(
    session: Session,
    state: IssuedState,
    credential: Document,
    now: datetime,
    *,
    language: Language = "fr",
    easy: bool = False,
) -> AwardView:
    """:func:`award_view` of an award already read, with its parsed OB 3.0 credential."""
    award, issued = state.award, state.issued
    subject = credential.get("credentialSubject") or {}
    achievement = subject.get("achievement") or {}
    criteria = achievement.get("criteria") or {}
    issuer = credential.get("issuer") or {}
    issuer_name = _text(issuer.get("name")) or ""
    found = verdict(session, state, credential, now)
    return AwardView(
        id=award.id,
        name=_text(achievement.get("name")) or _text(credential.get("name")) or "",
        description=_text(achievement.get("description")) or "",
        image=paths.IMAGE_BLOB_PATH.format(digest=issued.image_png_sha256, extension="png"),
        criteria=_text(criteria.get("narrative")),
        criteria_url=_text(criteria.get("id")),
        issuer_id=issued.issuer_id,
        issuer_name=issuer_name,
        issuer_url=_text(issuer.get("url")),
        badge_class_id=award.badge_class_id,
        recipient=mask_email(award.recipient_email),
        issued_on=award.issued_on,
        expires_at=award.expires_at,
        revoked_at=award.revoked_at,
        revocation_reason=_text(award.revocation_reason),
        narrative=_text(subject.get("narrative")),
        evidence=_evidence(credential.get("evidence")),
        alignments=_alignments(achievement.get("alignment")),
        endorsements=_endorsements(credential.get("endorsement")),
        tags=[tag for tag in _list(achievement.get("tag")) if isinstance(tag, str)],
        verdict=found,
        assertion_url=str(json.loads(issued.ob2_assertion).get("id", "")),
        downloads=_downloads(award.id) if found.valid else [],
        matrix=version_matrix(session, award.badge_class_version_id, language, easy=easy),
        level=award.level,
    )


def assertion_json(session: Session, award_id: UUID) -> str | None:
    """The OB 2.0 assertion as issued, None once revoked."""
    state = issued_state(session, award_id)
    return None if state.revoked else state.issued.ob2_assertion


def badge_class_view(
    session: Session, badge_class_id: UUID, language: Language = "fr", *, easy: bool = False
) -> BadgeClassView:
    """The badge class (criteria) page's content: its published version."""
    badge_class = session.get(BadgeClass, badge_class_id)
    if badge_class is None or badge_class.published_number is None:
        raise NotFound(f"No published badge class with id {badge_class_id}.")
    version = badge_classes.version(session, badge_class, badge_class.published_number)
    record = version_record(badge_class, version)
    issuer = session.get(Issuer, badge_class.issuer_id)
    image = paths.BADGE_CLASS_IMAGE_PATH.format(badge_class_id=badge_class.id, extension="png")
    return BadgeClassView(
        id=badge_class.id,
        name=record.name,
        description=record.description,
        image=image,
        criteria=record.criteria_narrative,
        criteria_url=record.criteria_url,
        issuer_id=badge_class.issuer_id,
        issuer_name=issuer.name if issuer else "",
        alignments=_alignments([ob2_alignment(item) for item in record.alignments]),
        tags=list(record.tags),
        expires_after_days=stored_content(
            version.content, version_id=version.id
        ).expires_after_days,
        matrix=matrix_view(record, language, easy=easy),
    )


def issuer_view(session: Session, issuer_id: UUID) -> IssuerView:
    """The issuer page's content: its profile and its badge classes."""
    issuer = session.get(Issuer, issuer_id)
    if issuer is None:
        raise NotFound(f"No issuer with id {issuer_id}.")
    rows = session.execute(
        select(BadgeClass.id, BadgeClass.name)
        .where(BadgeClass.issuer_id == issuer.id, BadgeClass.published_number.is_not(None))
        .order_by(BadgeClass.name, BadgeClass.id)
    ).all()
    logo = paths.ISSUER_IMAGE_PATH.format(issuer_id=issuer.id) if issuer.image_media_type else None
    return IssuerView(
        id=issuer.id,
        name=issuer.name,
        description=issuer.description,
        url=issuer.url,
        email=issuer.email,
        logo=logo,
        badge_classes=[(row[0], row[1]) for row in rows],
    )
