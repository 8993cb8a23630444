"""The URLs and identifiers an award is issued under, frozen with it.

``IssuedLinks`` answers both the OB 2.0 ``Links`` and the OB 3.0 ``Ob3Links`` protocols of
the core for one award: the badge class is the version (snapshot) it was awarded under,
its image the stored image by digest, and everything lives under the base URL in force
at award time. ``KeyReferences`` names keys the way verifiers resolve them for the
issuer's identifier style (an https key document, a did:web fragment or a did:key).
"""

from dataclasses import dataclass
from typing import Protocol
from uuid import UUID

from badgeforge.core.did import did_key, did_web
from badgeforge.issuance.models import IdentifierStyle
from badgeforge.public.links import PublicLinks


class NamedKey(Protocol):
    """What naming a key needs: a ``SigningKey``, or a row of its columns."""

    @property
    def id(self) -> UUID: ...

    @property
    def public_key_multibase(self) -> str | None: ...


@dataclass(frozen=True)
class KeyReferences:
    """An issuer's OB 3.0 identifier and how its keys are referred to."""

    public: PublicLinks
    issuer_id: UUID
    style: IdentifierStyle

    def did_web(self) -> str:
        return did_web(self.public.ob3_issuer(self.issuer_id))

    def identifier(self, ed25519_key: NamedKey) -> str:
        """The issuer's OB 3.0 ``id`` (did:key follows the active Ed25519 key)."""
        if self.style is IdentifierStyle.DID_WEB:
            return self.did_web()
        if self.style is IdentifierStyle.DID_KEY and ed25519_key.public_key_multibase:
            return did_key(ed25519_key.public_key_multibase)
        return self.public.ob3_issuer(self.issuer_id)

    def method(self, key: NamedKey) -> str:
        """The ``verificationMethod`` (Ed25519) or ``kid`` (RSA) of ``key``."""
        if self.style is IdentifierStyle.DID_WEB:
            return f"{self.did_web()}#key-{key.id}"
        if self.style is IdentifierStyle.DID_KEY and key.public_key_multibase:
            return f"{did_key(key.public_key_multibase)}#{key.public_key_multibase}"
        return self.public.ob3_key(key.id)


@dataclass(frozen=True)
class IssuedLinks:
    """Every URL of one award's documents, under the base URL it was issued with."""

    public: PublicLinks
    badge_class_version: str
    image_digests: dict[str, str]
    ob3_issuer_id: str

    def issuer(self, issuer_id: UUID) -> str:
        return self.public.issuer(issuer_id)

    def issuer_image(self, issuer_id: UUID) -> str:
        return self.public.issuer_image(issuer_id)

    def badge_class(self, badge_class_id: UUID) -> str:
        return self.public.badge_class_version(badge_class_id, self.badge_class_version)

    def badge_class_image(self, badge_class_id: UUID, media_type: str) -> str:
        return self.public.image_blob(self.image_digests[media_type], media_type)

    def assertion(self, award_id: UUID) -> str:
        return self.public.assertion(award_id)

    def baked_image(self, award_id: UUID, media_type: str) -> str:
        return self.public.baked_image(award_id, media_type)

    def credential(self, award_id: UUID) -> str:
        return self.public.credential(award_id)

    def achievement(self, badge_class_id: UUID) -> str:
        return self.badge_class(badge_class_id)

    def issuer_profile(self, issuer_id: UUID) -> str:
        return self.ob3_issuer_id
