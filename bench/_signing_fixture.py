"""The credential and key that ``bench_signing.py`` signs: one realistic OB 3.0 award.

Built by ``core/ob3.py`` from records like the service's: an issuer profile with an image,
a badge class with two alignments, tags and a language, a hashed-email recipient with a
narrative, two pieces of evidence and a Bitstring Status List entry. The Ed25519 key comes
from a fixed seed so that both stacks sign with the same key.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from cryptography.hazmat.primitives.asymmetric import ed25519

from badgeforge.core import ob3, status_list
from badgeforge.core.did import did_document, multikey_method
from badgeforge.core.identity import hash_identity
from badgeforge.core.keys import public_multikey
from badgeforge.core.records import (
    Alignment,
    AwardRecord,
    BadgeClassRecord,
    Evidence,
    IssuerRecord,
    Recipient,
)

BASE = "https://badges.ateliers-du-val.example.fr"
ISSUER_ID = UUID("0b2f6a52-5d0e-4c53-9a0e-6f7f2b1d8a01")
BADGE_CLASS_ID = UUID("7c1e9d44-2a3b-4f6e-8d2c-1b0a9e8f7d02")
AWARD_ID = UUID("e5d4c3b2-a190-4f8e-9d7c-6b5a4f3e2d03")
SEED = bytes.fromhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
CREATED = datetime(2026, 6, 1, 9, 30, 12, tzinfo=UTC)
ISSUER_URL = f"{BASE}/ob3/issuers/{ISSUER_ID}"
METHOD_ID = f"{ISSUER_URL}#key-1"


class Links:
    def credential(self, award_id: UUID) -> str:
        return f"{BASE}/ob3/credentials/{award_id}"

    def achievement(self, badge_class_id: UUID) -> str:
        return f"{BASE}/ob3/achievements/{badge_class_id}"

    def badge_class_image(self, badge_class_id: UUID, media_type: str) -> str:
        return f"{BASE}/ob2/badge-classes/{badge_class_id}/image.png"

    def issuer_profile(self, issuer_id: UUID) -> str:
        return f"{BASE}/ob3/issuers/{issuer_id}"

    def issuer_image(self, issuer_id: UUID) -> str:
        return f"{BASE}/ob2/issuers/{issuer_id}/image"


ISSUER = IssuerRecord(
    id=ISSUER_ID,
    name="ESAT Les Ateliers du Val",
    url="https://ateliers-du-val.example.fr",
    email="badges@ateliers-du-val.example.fr",
    telephone="+33123456789",
    description="Menuiserie, espaces verts, restauration.",
    has_image=True,
)
BADGE_CLASS = BadgeClassRecord(
    id=BADGE_CLASS_ID,
    issuer_id=ISSUER_ID,
    name="Sécurité et hygiène au travail",
    description="Applique les règles de sécurité et d'hygiène de l'atelier.",
    image_media_type="image/png",
    criteria_narrative="- Porte les EPI\n- Range son poste\n- Signale un danger",
    alignments=(
        Alignment(
            target_name="Respecter les règles",
            target_url="https://competences.example.org/rectec/c4",
            target_framework="RECTEC",
            target_code="C4",
        ),
        Alignment(
            target_name="Bloc 2 : sécurité au poste",
            target_url="https://www.francecompetences.fr/recherche/rncp/12345/",
            target_description="Appliquer les consignes de sécurité.",
            target_framework="RNCP",
            target_code="RNCP12345BC02",
        ),
    ),
    tags=("sécurité", "hygiène", "atelier"),
    language="fr-FR",
)
AWARD = AwardRecord(
    id=AWARD_ID,
    badge_class_id=BADGE_CLASS_ID,
    recipient=Recipient(hash_identity("camille.martin@example.org", "5a1t"), "5a1t"),
    issued_on=CREATED,
    expires=datetime(2028, 6, 1, 9, 30, 12, tzinfo=UTC),
    narrative="A appliqué les consignes de sécurité pendant trois mois d'atelier.",
    evidence=(
        Evidence(
            url="https://portfolio.example.org/camille/atelier",
            name="Photos de l'atelier",
            genre="Photo",
        ),
        Evidence(narrative="Observée par l'encadrante, Mme Durand.", name="Observation"),
    ),
)


def credential() -> dict[str, Any]:
    """The unsigned credential, with its status list entry."""
    entry = status_list.status_entry(f"{BASE}/ob3/status/{ISSUER_ID}/revocation", 48213)
    options = ob3.CredentialOptions(credential_status=entry)
    return ob3.open_badge_credential(AWARD, BADGE_CLASS, ISSUER, Links(), options)


def key_documents() -> dict[str, Any]:
    """The Multikey and controller documents a verifier dereferences."""
    public = ed25519.Ed25519PrivateKey.from_private_bytes(SEED).public_key()
    method = multikey_method(METHOD_ID, ISSUER_URL, public_multikey(public))
    standalone = {"@context": "https://w3id.org/security/multikey/v1", **method}
    return {METHOD_ID: standalone, ISSUER_URL: did_document(ISSUER_URL, [method])}
