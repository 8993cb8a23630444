"""Hosted Open Badges documents and images, readable by anyone who has the URL.

These queries are deliberately not tenant-scoped: a public URL is the capability. They
return only what the OB 2.0 documents publish (never the recipient's plain email).
"""

import json
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from sqlalchemy.orm import Session, undefer

from badgeforge.awards.models import Award
from badgeforge.awards.service import to_record as award_record
from badgeforge.badge_classes.models import BadgeClass
from badgeforge.badge_classes.service import to_record as badge_class_record
from badgeforge.core import ob2
from badgeforge.core.baking import bake_png, bake_svg
from badgeforge.core.records import Links
from badgeforge.issuers.models import Issuer
from badgeforge.issuers.service import to_record as issuer_to_record
from badgeforge.problems import Gone, NotFound


@dataclass(frozen=True)
class HostedAssertion:
    """An assertion document and whether it has been revoked."""

    document: dict[str, Any]
    revoked: bool


def _issuer(session: Session, issuer_id: UUID) -> Issuer:
    issuer = session.get(Issuer, issuer_id)
    if issuer is None:
        raise NotFound(f"No issuer with id {issuer_id}.")
    return issuer


def _badge_class(
    session: Session, badge_class_id: UUID, *, with_images: bool = False
) -> BadgeClass:
    options = [undefer(BadgeClass.image_png), undefer(BadgeClass.image_svg)] if with_images else []
    badge_class = session.get(BadgeClass, badge_class_id, options=options)
    if badge_class is None:
        raise NotFound(f"No badge class with id {badge_class_id}.")
    return badge_class


def _award(session: Session, award_id: UUID) -> Award:
    award = session.get(Award, award_id)
    if award is None:
        raise NotFound(f"No badge award with id {award_id}.")
    return award


def issuer_document(session: Session, links: Links, issuer_id: UUID) -> dict[str, Any]:
    """The hosted OB 2.0 Issuer Profile."""
    return ob2.issuer_profile(issuer_to_record(_issuer(session, issuer_id)), links)


def issuer_image(session: Session, issuer_id: UUID) -> tuple[bytes, str]:
    """The issuer's logo and its media type."""
    issuer = session.get(Issuer, issuer_id, options=[undefer(Issuer.image_data)])
    if issuer is None or issuer.image_data is None or issuer.image_media_type is None:
        raise NotFound(f"No logo for issuer {issuer_id}.")
    return issuer.image_data, issuer.image_media_type


def badge_class_document(session: Session, links: Links, badge_class_id: UUID) -> dict[str, Any]:
    """The hosted OB 2.0 BadgeClass."""
    return ob2.badge_class(badge_class_record(_badge_class(session, badge_class_id)), links)


def badge_class_image(session: Session, badge_class_id: UUID, media_type: str) -> bytes:
    """The badge class image in the requested form (PNG or SVG)."""
    badge_class = _badge_class(session, badge_class_id, with_images=True)
    return badge_class.image_png if media_type == "image/png" else badge_class.image_svg


def assertion_document(session: Session, links: Links, award_id: UUID) -> HostedAssertion:
    """The hosted OB 2.0 Assertion, or its short revoked form."""
    award = _award(session, award_id)
    record = award_record(award)
    if record.revoked:
        return HostedAssertion(ob2.revoked_assertion(record, links), revoked=True)
    badge_class = badge_class_record(_badge_class(session, award.badge_class_id))
    return HostedAssertion(ob2.assertion(record, badge_class, links), revoked=False)


def baked_image(session: Session, links: Links, award_id: UUID, media_type: str) -> bytes:
    """The badge image with the award's assertion baked in (PNG iTXt or SVG element)."""
    award = _award(session, award_id)
    record = award_record(award)
    if record.revoked:
        raise Gone("This badge has been revoked.", revocationReason=record.revocation_reason)
    badge_class = _badge_class(session, award.badge_class_id, with_images=True)
    document = ob2.assertion(record, badge_class_record(badge_class), links)
    payload = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    if media_type == "image/png":
        return bake_png(badge_class.image_png, payload)
    return bake_svg(badge_class.image_svg, verify=document["id"], assertion_json=payload)
