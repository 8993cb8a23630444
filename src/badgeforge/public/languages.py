"""The hosted BadgeClass of an award's version in each of its other languages."""

from uuid import UUID

from sqlalchemy import select
from sqlalchemy.orm import Session

from badgeforge.issuance.models import BadgeClassSnapshot
from badgeforge.problems import NotFound


def badge_class_translation(
    session: Session, badge_class_id: UUID, version: str, language: str
) -> str:
    """The stored JSON text of a version's BadgeClass in ``language`` (never changes)."""
    translations = session.scalar(
        select(BadgeClassSnapshot.translations).where(
            BadgeClassSnapshot.badge_class_id == badge_class_id,
            BadgeClassSnapshot.version == version,
        )
    )
    document = (translations or {}).get(language)
    if not isinstance(document, str):
        raise NotFound(f"No '{language}' version {version} of badge class {badge_class_id}.")
    return document
