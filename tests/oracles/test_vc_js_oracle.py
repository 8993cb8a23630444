"""The independent JavaScript verifier accepts badgeforge's OB 3.0 credentials and
refuses tampered ones (core only: documents built here, keys published as Multikey/JWK)."""

import copy
from datetime import UTC, datetime

import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519

from badgeforge.core import ob3, status_list, vc_jwt
from badgeforge.core.data_integrity import add_proof
from badgeforge.core.did import did_document, multikey_method
from badgeforge.core.keys import KeyAlgorithm, generate_private_key, public_jwk, public_multikey
from tests.core.test_ob3 import AWARD, BADGE_CLASS, ISSUER, LINKS
from tests.oracles.vc_js import verify_credential, verify_jwt

pytestmark = pytest.mark.validator

ISSUER_URL = LINKS.issuer_profile(ISSUER.id)
LIST_URL = "https://badges.example.fr/ob3/status/1"
CREATED = datetime(2026, 6, 1, 9, 30, tzinfo=UTC)


@pytest.fixture(scope="module")
def key() -> ed25519.Ed25519PrivateKey:
    private = generate_private_key(KeyAlgorithm.ED25519)
    assert isinstance(private, ed25519.Ed25519PrivateKey)
    return private


def key_documents(key: ed25519.Ed25519PrivateKey) -> tuple[str, dict]:
    multikey = public_multikey(key.public_key())
    method_id = f"{ISSUER_URL}#{multikey}"
    method = multikey_method(method_id, ISSUER_URL, multikey)
    controller = did_document(ISSUER_URL, [method])
    standalone = {"@context": "https://w3id.org/security/multikey/v1", **method}
    return method_id, {method_id: standalone, ISSUER_URL: controller}


def signed_status_list(key: ed25519.Ed25519PrivateKey, method: str, revoked: list[int]) -> dict:
    document = status_list.status_list_credential(
        LIST_URL, ISSUER_URL, status_list.bitstring_with(revoked), CREATED
    )
    return add_proof(document, key, verification_method=method, created=CREATED)


def signed_credential(key: ed25519.Ed25519PrivateKey, method: str, index: int) -> dict:
    options = ob3.CredentialOptions(credential_status=status_list.status_entry(LIST_URL, index))
    document = ob3.open_badge_credential(AWARD, BADGE_CLASS, ISSUER, LINKS, options)
    return add_proof(document, key, verification_method=method, created=CREATED)


def test_data_integrity_credential_verifies_and_revocation_is_seen(
    key: ed25519.Ed25519PrivateKey,
) -> None:
    method, documents = key_documents(key)
    credential = signed_credential(key, method, 77)
    documents[LIST_URL] = signed_status_list(key, method, [])
    verdict = verify_credential(credential, documents)
    assert verdict.verified, verdict.errors
    assert verdict.revoked is False

    documents[LIST_URL] = signed_status_list(key, method, [77])
    verdict = verify_credential(credential, documents)
    assert not verdict.verified
    assert verdict.revoked is True


def test_tampered_credential_fails(key: ed25519.Ed25519PrivateKey) -> None:
    method, documents = key_documents(key)
    documents[LIST_URL] = signed_status_list(key, method, [])
    tampered = copy.deepcopy(signed_credential(key, method, 5))
    tampered["credentialSubject"]["achievement"]["name"] = "Autre badge"
    assert not verify_credential(tampered, documents).verified


def test_wrong_key_fails(key: ed25519.Ed25519PrivateKey) -> None:
    other = generate_private_key(KeyAlgorithm.ED25519)
    assert isinstance(other, ed25519.Ed25519PrivateKey)
    method, documents = key_documents(key)
    documents[LIST_URL] = signed_status_list(key, method, [])
    forged = signed_credential(other, method, 5)
    assert not verify_credential(forged, documents).verified


def test_vc_jwt_verifies_with_jose_and_tampering_fails() -> None:
    rsa_key = generate_private_key(KeyAlgorithm.RSA)
    kid = f"{ISSUER_URL}/keys/rsa-1"
    document = ob3.open_badge_credential(AWARD, BADGE_CLASS, ISSUER, LINKS)
    token = vc_jwt.sign(document, rsa_key, kid)
    documents = {kid: public_jwk(rsa_key.public_key())}
    verdict = verify_jwt(token, documents)
    assert verdict.verified, verdict.errors
    header, payload, signature = token.split(".")
    tampered = f"{header}.{payload[:-4]}AAAA.{signature}"
    assert not verify_jwt(tampered, documents).verified
