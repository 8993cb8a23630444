"""An award as the format-independent record the core renders."""

from badgeforge.awards.models import Award
from badgeforge.awards.schemas import stored_evidence
from badgeforge.core.records import AwardRecord, Recipient


def to_record(award: Award) -> AwardRecord:
    """The format-independent record the core renders."""
    return AwardRecord(
        id=award.id,
        badge_class_id=award.badge_class_id,
        recipient=Recipient(identity_hash=award.identity_hash, salt=award.salt),
        issued_on=award.issued_on,
        expires=award.expires_at,
        narrative=award.narrative,
        evidence=stored_evidence(award),
        revoked=award.revoked_at is not None,
        revocation_reason=award.revocation_reason,
        level=award.level,
    )
