"""The public URL layout, in one place: routes and rendered documents both use it."""

from dataclasses import dataclass
from typing import Annotated
from uuid import UUID

from fastapi import Depends, Request

ISSUER_PATH = "/ob2/issuers/{issuer_id}"
ISSUER_IMAGE_PATH = "/ob2/issuers/{issuer_id}/image"
BADGE_CLASS_PATH = "/ob2/badge-classes/{badge_class_id}"
BADGE_CLASS_IMAGE_PATH = "/ob2/badge-classes/{badge_class_id}/image.{extension}"
ASSERTION_PATH = "/ob2/assertions/{award_id}"
BAKED_IMAGE_PATH = "/ob2/assertions/{award_id}/baked.{extension}"
BADGE_CLASS_VERSION_PATH = "/ob2/badge-classes/{badge_class_id}/versions/{version}"
BADGE_CLASS_TRANSLATION_PATH = BADGE_CLASS_VERSION_PATH + "/{language}"
"""A version's BadgeClass in one of its translations (``core.languages.language_url``)."""
IMAGE_BLOB_PATH = "/ob2/images/{digest}.{extension}"
SIGNED_ASSERTION_PATH = "/ob2/assertions/{award_id}/signed"
SIGNED_BAKED_IMAGE_PATH = "/ob2/assertions/{award_id}/signed/baked.{extension}"
OB2_KEY_PATH = "/ob2/keys/{key_id}"
OB2_REVOCATION_LIST_PATH = "/ob2/issuers/{issuer_id}/revocations"
CREDENTIAL_PATH = "/ob3/credentials/{award_id}"
CREDENTIAL_JWT_PATH = "/ob3/credentials/{award_id}/jwt"
CREDENTIAL_BAKED_IMAGE_PATH = "/ob3/credentials/{award_id}/baked.{extension}"
OB3_ISSUER_PATH = "/ob3/issuers/{issuer_id}"
OB3_ISSUER_DID_PATH = "/ob3/issuers/{issuer_id}/did.json"
OB3_ISSUER_JWKS_PATH = "/ob3/issuers/{issuer_id}/jwks.json"
OB3_REVOCATION_LIST_PATH = "/ob3/issuers/{issuer_id}/revocations"
OB3_KEY_PATH = "/ob3/keys/{key_id}"
STATUS_LIST_PATH = "/ob3/status-lists/{list_id}"
JWKS_PATH = "/.well-known/jwks.json"

EXTENSIONS = {"image/png": "png", "image/svg+xml": "svg"}
MEDIA_TYPES = {extension: media_type for media_type, extension in EXTENSIONS.items()}


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

    def badge_class_version(self, badge_class_id: UUID, version: str) -> str:
        return self.base_url + BADGE_CLASS_VERSION_PATH.format(
            badge_class_id=badge_class_id, version=version
        )

    def badge_class_translation(self, badge_class_id: UUID, version: str, language: str) -> str:
        return self.base_url + BADGE_CLASS_TRANSLATION_PATH.format(
            badge_class_id=badge_class_id, version=version, language=language
        )

    def image_blob(self, digest: str, media_type: str) -> str:
        return self.base_url + IMAGE_BLOB_PATH.format(
            digest=digest, extension=EXTENSIONS[media_type]
        )

    def signed_assertion(self, award_id: UUID) -> str:
        return self.base_url + SIGNED_ASSERTION_PATH.format(award_id=award_id)

    def signed_baked_image(self, award_id: UUID, media_type: str) -> str:
        return self.base_url + SIGNED_BAKED_IMAGE_PATH.format(
            award_id=award_id, extension=EXTENSIONS[media_type]
        )

    def ob2_key(self, key_id: UUID) -> str:
        return self.base_url + OB2_KEY_PATH.format(key_id=key_id)

    def ob2_revocation_list(self, issuer_id: UUID) -> str:
        return self.base_url + OB2_REVOCATION_LIST_PATH.format(issuer_id=issuer_id)

    def credential(self, award_id: UUID) -> str:
        return self.base_url + CREDENTIAL_PATH.format(award_id=award_id)

    def credential_jwt(self, award_id: UUID) -> str:
        return self.base_url + CREDENTIAL_JWT_PATH.format(award_id=award_id)

    def credential_baked_image(self, award_id: UUID, media_type: str) -> str:
        return self.base_url + CREDENTIAL_BAKED_IMAGE_PATH.format(
            award_id=award_id, extension=EXTENSIONS[media_type]
        )

    def ob3_issuer(self, issuer_id: UUID) -> str:
        return self.base_url + OB3_ISSUER_PATH.format(issuer_id=issuer_id)

    def ob3_revocation_list(self, issuer_id: UUID) -> str:
        return self.base_url + OB3_REVOCATION_LIST_PATH.format(issuer_id=issuer_id)

    def ob3_key(self, key_id: UUID) -> str:
        return self.base_url + OB3_KEY_PATH.format(key_id=key_id)

    def status_list(self, list_id: UUID) -> str:
        return self.base_url + STATUS_LIST_PATH.format(list_id=list_id)


async def get_links(request: Request) -> PublicLinks:
    """Public URLs under the configured base URL (``async``: it only reads app state)."""
    return PublicLinks(request.app.state.settings.base_url)


LinksDep = Annotated[PublicLinks, Depends(get_links)]
