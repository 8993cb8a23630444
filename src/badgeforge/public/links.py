"""The public URL layout, in one place: routes and rendered documents both use it."""

from dataclasses import dataclass
from uuid import UUID

ISSUER_PATH = "/ob2/issuers/{issuer_id}"
ISSUER_IMAGE_PATH = "/ob2/issuers/{issuer_id}/image"
BADGE_CLASS_PATH = "/ob2/badge-classes/{badge_class_id}"
BADGE_CLASS_IMAGE_PATH = "/ob2/badge-classes/{badge_class_id}/image.{extension}"
ASSERTION_PATH = "/ob2/assertions/{award_id}"
BAKED_IMAGE_PATH = "/ob2/assertions/{award_id}/baked.{extension}"

EXTENSIONS = {"image/png": "png", "image/svg+xml": "svg"}


@dataclass(frozen=True)
class PublicLinks:
    """Absolute public URLs under ``base_url`` (implements ``badgeforge.core.records.Links``)."""

    base_url: str

    def issuer(self, issuer_id: UUID) -> str:
        return self.base_url + ISSUER_PATH.format(issuer_id=issuer_id)

    def issuer_image(self, issuer_id: UUID) -> str:
        return self.base_url + ISSUER_IMAGE_PATH.format(issuer_id=issuer_id)

    def badge_class(self, badge_class_id: UUID) -> str:
        return self.base_url + BADGE_CLASS_PATH.format(badge_class_id=badge_class_id)

    def badge_class_image(self, badge_class_id: UUID, media_type: str) -> str:
        return self.base_url + BADGE_CLASS_IMAGE_PATH.format(
            badge_class_id=badge_class_id, extension=EXTENSIONS[media_type]
        )

    def assertion(self, award_id: UUID) -> str:
        return self.base_url + ASSERTION_PATH.format(award_id=award_id)

    def baked_image(self, award_id: UUID, media_type: str) -> str:
        return self.base_url + BAKED_IMAGE_PATH.format(
            award_id=award_id, extension=EXTENSIONS[media_type]
        )
