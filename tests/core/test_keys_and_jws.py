"""Issuer keys at rest, compact JWS, DIDs and signed OB 2.0 assertions."""

import json

import pytest
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from badgeforge.core import did, ob2_signing
from badgeforge.core.errors import InvalidDocument, InvalidProof, KeyUnavailable, SigningError
from badgeforge.core.jws import decode_compact, sign_compact, verify_compact
from badgeforge.core.keys import (
    KeyAlgorithm,
    KeyVault,
    generate_private_key,
    load_public_key_pem,
    private_key_pem,
    public_jwk,
    public_key_pem,
    public_multikey,
)
from badgeforge.core.multibase import (
    base58btc_decode,
    base58btc_encode,
    base64url_encode,
    decode_multikey,
)


def test_vault_encrypts_and_rotates_master_keys() -> None:
    old, new = KeyVault.generate_master_key(), KeyVault.generate_master_key()
    key = generate_private_key(KeyAlgorithm.ED25519)
    token = KeyVault((old,)).seal(key)
    assert private_key_pem(key) not in token
    rotated_vault = KeyVault((new, old))
    rotated = rotated_vault.rotate(token)
    assert private_key_pem(KeyVault((new,)).open(rotated)) == private_key_pem(key)
    with pytest.raises(KeyUnavailable):
        KeyVault((new,)).open(token)
    with pytest.raises(KeyUnavailable):
        KeyVault(("not a fernet key",))
    with pytest.raises(KeyUnavailable):
        KeyVault(())


def test_rsa_keys_have_2048_bits() -> None:
    key = generate_private_key(KeyAlgorithm.RSA)
    assert isinstance(key, rsa.RSAPrivateKey)
    assert key.key_size == 2048


def test_public_forms_hold_no_private_material() -> None:
    key = generate_private_key(KeyAlgorithm.RSA)
    jwk = public_jwk(key.public_key(), kid="k1")
    assert set(jwk) == {"kty", "n", "e", "kid"}
    assert jwk["e"] == "AQAB"
    ed = generate_private_key(KeyAlgorithm.ED25519)
    assert isinstance(ed, ed25519.Ed25519PrivateKey)
    assert set(public_jwk(ed.public_key())) == {"kty", "crv", "x"}
    assert public_multikey(ed.public_key()).startswith("z6Mk")
    assert load_public_key_pem(public_key_pem(key.public_key())) == key.public_key()


def test_base58_round_trip_keeps_leading_zeros() -> None:
    for data in (b"", b"\0\0\x01", bytes(range(40))):
        assert base58btc_decode(base58btc_encode(data)) == data
    with pytest.raises(InvalidDocument):
        base58btc_decode("0OIl")


def test_jws_round_trip_and_refusals() -> None:
    key = generate_private_key(KeyAlgorithm.RSA)
    token = sign_compact({"hello": "monde"}, key)
    assert verify_compact(token, key.public_key()).payload == {"hello": "monde"}
    header, payload, signature = token.split(".")
    forged_payload = base64url_encode(json.dumps({"hello": "world"}).encode())
    with pytest.raises(InvalidProof):
        verify_compact(f"{header}.{forged_payload}.{signature}", key.public_key())
    none_header = base64url_encode(b'{"alg":"none"}')
    with pytest.raises(InvalidProof, match="none"):
        decode_compact(f"{none_header}.{payload}.{signature}")
    hs_header = base64url_encode(b'{"alg":"HS256"}')
    with pytest.raises(InvalidProof):
        decode_compact(f"{hs_header}.{payload}.{signature}")
    other = generate_private_key(KeyAlgorithm.ED25519)
    with pytest.raises(InvalidProof):
        verify_compact(token, other.public_key())  # wrong key type for RS256
    for bad in ("", "a.b", "a..c", "x" * 2_000_000):
        with pytest.raises(InvalidProof):
            decode_compact(bad)


def test_es256_signatures_verify() -> None:
    private = ec.generate_private_key(ec.SECP256R1())
    header = base64url_encode(b'{"alg":"ES256"}')
    payload = base64url_encode(b'{"a":1}')
    from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
    from cryptography.hazmat.primitives.hashes import SHA256

    der = private.sign(f"{header}.{payload}".encode(), ec.ECDSA(SHA256()))
    r, s = decode_dss_signature(der)
    raw = r.to_bytes(32, "big") + s.to_bytes(32, "big")
    token = f"{header}.{payload}.{base64url_encode(raw)}"
    assert verify_compact(token, private.public_key()).payload == {"a": 1}


@pytest.mark.parametrize(
    ("url", "identifier", "document_url"),
    [
        (
            "https://badges.example.fr",
            "did:web:badges.example.fr",
            "https://badges.example.fr/.well-known/did.json",
        ),
        (
            "https://badges.example.fr/issuers/42",
            "did:web:badges.example.fr:issuers:42",
            "https://badges.example.fr/issuers/42/did.json",
        ),
        (
            "http://localhost:8000/issuers/42",
            "did:web:localhost%3A8000:issuers:42",
            "https://localhost:8000/issuers/42/did.json",
        ),
    ],
)
def test_did_web_mapping(url: str, identifier: str, document_url: str) -> None:
    assert did.did_web(url) == identifier
    assert did.did_web_document_url(identifier) == document_url


def test_did_web_refuses_path_tricks() -> None:
    for bad in ("did:web:", "did:web:host:..:x", "did:key:z6Mk", "did:web:a%2Fb"):
        with pytest.raises(InvalidDocument):
            did.did_web_document_url(bad)


def test_did_key_resolves_offline() -> None:
    key = generate_private_key(KeyAlgorithm.ED25519)
    assert isinstance(key, ed25519.Ed25519PrivateKey)
    multikey = public_multikey(key.public_key())
    identifier = did.did_key(multikey)
    document = did.resolve_did_key(identifier)
    method = document["verificationMethod"][0]
    assert method["id"] == f"{identifier}#{multikey}"
    assert document["assertionMethod"] == [method["id"]]
    assert decode_multikey(method["publicKeyMultibase"])[1] == key.public_key().public_bytes_raw()


def test_signed_ob2_assertion_carries_its_creator() -> None:
    key = generate_private_key(KeyAlgorithm.RSA)
    assert isinstance(key, rsa.RSAPrivateKey)
    assertion = {"id": "https://b.example/a/1", "verification": {"type": "hosted"}}
    token = ob2_signing.sign_assertion(assertion, key, "https://b.example/keys/1")
    payload = verify_compact(token, key.public_key()).payload
    assert payload["verification"] == {"type": "SignedBadge", "creator": "https://b.example/keys/1"}
    ed = generate_private_key(KeyAlgorithm.ED25519)
    with pytest.raises(SigningError):
        ob2_signing.sign_assertion(assertion, ed, "k")  # type: ignore[arg-type]
    listing = ob2_signing.revocation_list(
        "https://b.example/rl", "https://b.example/i", [("https://b.example/a/1", "erreur")]
    )
    assert listing["revokedAssertions"] == [
        {"id": "https://b.example/a/1", "revocationReason": "erreur"}
    ]
