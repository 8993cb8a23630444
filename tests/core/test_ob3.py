"""OB 3.0 credentials: JSON Schema valid, signable in safe mode, VC-JWT claims, status lists."""

import copy
import gzip
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa

from badgeforge.core import ob3, status_list, vc_jwt
from badgeforge.core.data_integrity import add_proof, verify_proof
from badgeforge.core.errors import InvalidDocument, InvalidProof
from badgeforge.core.identity import hash_identity
from badgeforge.core.jws import decode_compact, verify_compact
from badgeforge.core.keys import KeyAlgorithm, generate_private_key, public_multikey
from badgeforge.core.multibase import multibase_encode
from badgeforge.core.ob3_schema import schema_errors
from badgeforge.core.records import (
    Alignment,
    AwardRecord,
    BadgeClassRecord,
    Evidence,
    IssuerRecord,
    Recipient,
)

ISSUER_ID = UUID("11111111-1111-4111-8111-111111111111")
BADGE_CLASS_ID = UUID("22222222-2222-4222-8222-222222222222")
AWARD_ID = UUID("33333333-3333-4333-8333-333333333333")
BASE = "https://badges.example.fr"


@dataclass(frozen=True)
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


LINKS = Links()
ISSUER = IssuerRecord(
    id=ISSUER_ID,
    name="ESAT Les Ateliers",
    url="https://esat.example.fr",
    email="contact@esat.example.fr",
    telephone="+33123456789",
    description="Établissement et service d'aide par le travail.",
    has_image=True,
)
BADGE_CLASS = BadgeClassRecord(
    id=BADGE_CLASS_ID,
    issuer_id=ISSUER_ID,
    name="Sécurité et hygiène au travail",
    description="Je connais les règles de sécurité de mon atelier.",
    image_media_type="image/png",
    criteria_narrative="Identifier les risques : machines, produits chimiques, incendie.",
    alignments=(
        Alignment(
            target_name="Prendre en compte les règles",
            target_url="https://rectec.example.org/competences/regles",
            target_framework="RECTEC",
            target_code="RECTEC-2",
        ),
    ),
    tags=("sécurité", "atelier"),
    language="fr-fr",
)
AWARD = AwardRecord(
    id=AWARD_ID,
    badge_class_id=BADGE_CLASS_ID,
    recipient=Recipient(hash_identity("camille@example.org", "s3l"), "s3l"),
    issued_on=datetime(2026, 6, 1, 9, 30, tzinfo=UTC),
    expires=datetime(2029, 6, 1, tzinfo=UTC),
    narrative="Observée pendant trois mois d'atelier.",
    evidence=(Evidence(url="https://portfolio.example.org/camille", name="Photos"),),
)


def credential(**options: object) -> dict:
    return ob3.open_badge_credential(
        AWARD,
        BADGE_CLASS,
        ISSUER,
        LINKS,
        ob3.CredentialOptions(**options),  # type: ignore[arg-type]
    )


def status() -> dict:
    return status_list.status_entry(f"{BASE}/ob3/status/{ISSUER_ID}/revocation", 4242)


def test_credential_is_valid_against_the_ob3_json_schema() -> None:
    document = credential(credential_status=status())
    assert schema_errors(document) == []
    assert document["@context"] == list(ob3.CREDENTIAL_CONTEXT)
    assert document["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    subject = document["credentialSubject"]
    assert subject["identifier"][0]["identityHash"] == AWARD.recipient.identity_hash
    assert subject["identifier"][0]["identityType"] == "emailAddress"
    achievement = subject["achievement"]
    assert achievement["inLanguage"] == "fr-FR"
    assert achievement["image"] == {
        "id": f"{BASE}/ob2/badge-classes/{BADGE_CLASS_ID}/image.png",
        "type": "Image",
        "caption": BADGE_CLASS.name,
    }
    assert achievement["alignment"][0]["type"] == ["Alignment"]
    assert document["validUntil"] == "2029-06-01T00:00:00Z"
    assert document["evidence"] == [
        {"id": "https://portfolio.example.org/camille", "type": ["Evidence"], "name": "Photos"}
    ]


def test_schema_catches_a_broken_credential() -> None:
    document = credential()
    document["credentialSubject"]["achievement"]["image"] = "https://x.example/i.png"
    del document["validFrom"]
    errors = schema_errors(document)
    assert any("validFrom" in message for message in errors)
    assert any("image" in message for message in errors)


def test_credential_signs_and_verifies_in_safe_mode() -> None:
    key = generate_private_key(KeyAlgorithm.ED25519)
    assert isinstance(key, ed25519.Ed25519PrivateKey)
    method = f"{LINKS.issuer_profile(ISSUER_ID)}#{public_multikey(key.public_key())}"
    signed = add_proof(
        credential(credential_status=status()),
        key,
        verification_method=method,
        created=datetime(2026, 6, 1, 9, 30, tzinfo=UTC),
    )
    verify_proof(signed, signed["proof"], key.public_key())
    tampered = copy.deepcopy(signed)
    tampered["credentialSubject"]["identifier"][0]["identityHash"] = "sha256$" + "0" * 64
    with pytest.raises(InvalidProof):
        verify_proof(tampered, tampered["proof"], key.public_key())


def test_mismatched_records_are_refused() -> None:
    with pytest.raises(InvalidDocument):
        ob3.open_badge_credential(
            replace(AWARD, badge_class_id=ISSUER_ID), BADGE_CLASS, ISSUER, LINKS
        )
    with pytest.raises(InvalidDocument):
        ob3.open_badge_credential(
            replace(AWARD, expires=AWARD.issued_on - timedelta(days=1)),
            BADGE_CLASS,
            ISSUER,
            LINKS,
        )


@pytest.mark.parametrize(
    ("tag", "expected"),
    [("fr", "fr"), ("FR", "fr"), ("fr-fr", "fr-FR"), ("zh-hant-tw", "zh-Hant-TW"), ("x", None)],
)
def test_language_codes_follow_the_schema_pattern(tag: str, expected: str | None) -> None:
    assert ob3.language_code(tag) == expected


def test_vc_jwt_claims_match_the_credential() -> None:
    key = generate_private_key(KeyAlgorithm.RSA)
    assert isinstance(key, rsa.RSAPrivateKey)
    document = credential(subject_did="did:example:learner")
    token = vc_jwt.sign(document, key, kid=f"{BASE}/keys/1")
    decoded = verify_compact(token, key.public_key())
    assert decoded.header == {"alg": "RS256", "kid": f"{BASE}/keys/1", "typ": "JWT"}
    claims = decoded.payload
    assert claims["iss"] == document["issuer"]["id"]
    assert claims["jti"] == document["id"]
    assert claims["sub"] == "did:example:learner"
    assert claims["nbf"] == int(AWARD.issued_on.timestamp())
    assert claims["exp"] == int(AWARD.expires.timestamp())  # type: ignore[union-attr]
    _, carried = vc_jwt.decode(token)
    assert carried == document


def test_vc_jwt_with_contradicting_claims_is_refused() -> None:
    key = generate_private_key(KeyAlgorithm.RSA)
    token = vc_jwt.sign(credential(), key, kid="k")
    decoded = decode_compact(token)
    forged = replace(decoded, payload={**decoded.payload, "jti": "urn:uuid:other"})
    with pytest.raises(InvalidProof, match="jti"):
        vc_jwt.credential_of(forged)


def test_status_list_round_trip_and_bit_order() -> None:
    bits = status_list.bitstring_with([0, 9, 131_071])
    assert bits[0] == 0x80
    assert bits[1] == 0x40
    assert bits[-1] == 0x01
    encoded = status_list.encode_list(bits)
    assert encoded.startswith("u")
    assert "=" not in encoded
    decoded = status_list.decode_list(encoded)
    assert len(decoded) * 8 == status_list.STATUS_LIST_ENTRIES
    assert [i for i in (0, 1, 9, 131_070, 131_071) if status_list.bit_is_set(decoded, i)] == [
        0,
        9,
        131_071,
    ]


def test_status_list_refuses_short_and_bomb_lists() -> None:
    short = multibase_encode(gzip.compress(bytes(100)), "u")
    with pytest.raises(InvalidDocument, match="fewer"):
        status_list.decode_list(short)
    bomb = multibase_encode(gzip.compress(bytes(64 * 1024 * 1024)), "u")
    with pytest.raises(InvalidDocument, match="16 MiB"):
        status_list.decode_list(bomb)


def test_status_list_credential_is_signable() -> None:
    key = generate_private_key(KeyAlgorithm.ED25519)
    assert isinstance(key, ed25519.Ed25519PrivateKey)
    document = status_list.status_list_credential(
        f"{BASE}/ob3/status/1",
        LINKS.issuer_profile(ISSUER_ID),
        status_list.bitstring_with([5]),
        datetime(2026, 6, 1, tzinfo=UTC),
    )
    signed = add_proof(
        document, key, verification_method=f"{BASE}/k#1", created=datetime(2026, 6, 1, tzinfo=UTC)
    )
    verify_proof(signed, signed["proof"], key.public_key())


def test_random_indexes_avoid_taken_ones() -> None:
    taken = set(range(status_list.STATUS_LIST_ENTRIES - 1))
    assert status_list.random_free_index(taken) == status_list.STATUS_LIST_ENTRIES - 1
