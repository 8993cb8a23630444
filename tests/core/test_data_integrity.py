"""eddsa-rdfc-2022 against the 1EdTech OB 3.0 test vector (shared/ob/vectors), byte for byte."""

import copy
import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519

from badgeforge.core.canonical import canonize
from badgeforge.core.data_integrity import HashMemo, add_proof, hash_data, verify_proof
from badgeforge.core.errors import InvalidProof, SigningError
from badgeforge.core.jsonld import offline_loader
from badgeforge.core.keys import public_multikey

VECTORS = Path(__file__).parent / "files" / "ob3"
SEED = bytes.fromhex("6241a409e6707bb640a0140a8a32bc3d193c33a661747284d6adfa4ed4180be4")
PUBLIC = "4bdeafde2ea8beefadd8c699b5c7e0704cf51154d52e17b20b71337ca04cc5a5"
MULTIKEY = "z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"
PROOF_HASH = "d34009cea0dbc1ca941e09dc01c8c9d3e3ce3c5b853f67ee44698dcea10f5d19"
DOCUMENT_HASH = "87f65a76d40146205e3b3e06cb0fbd153f97f9ce70372390f52566bb7f9e0773"
SIGNATURE = (
    "f7a017acf7d27983267ec362657c0fb08e955549f49dac5bf36a03c4f2c3a4f1"
    "e3738a6c5ecd7ffba7135cb9cd754e6196f4b73082ea8df8e703c8ecd4333503"
)
PROOF_VALUE = (
    "z5x9aCBYovW3CQCbKdNyhEm7ffYSw1YpEdPywQJoNbzDD2gkzQDKJ1sYKJaWvqZtkMtSbz35HcbgXVEDYHxCzgkCr"
)


def signed_vector() -> dict:
    return json.loads((VECTORS / "obv3p0-signed-credential.json").read_text())


def unsigned_vector() -> dict:
    credential = signed_vector()
    del credential["proof"]
    return credential


def key() -> ed25519.Ed25519PrivateKey:
    return ed25519.Ed25519PrivateKey.from_private_bytes(SEED)


def test_key_matches_vector() -> None:
    public = key().public_key()
    assert public_multikey(public) == MULTIKEY
    assert public.public_bytes_raw().hex() == PUBLIC


def test_canonical_nquads_match_the_vector_files() -> None:
    signed = signed_vector()
    proof = {k: v for k, v in signed.pop("proof").items() if k != "proofValue"}
    proof["@context"] = signed["@context"]
    assert canonize(signed) == (VECTORS / "obv3p0-document-canon.txt").read_text()
    assert canonize(proof) == (VECTORS / "obv3p0-proof-canon.txt").read_text()


def test_signing_reproduces_the_vector_byte_for_byte() -> None:
    created = datetime(2010, 1, 1, 19, 23, 24, tzinfo=UTC)
    method = f"https://example.edu/issuers/565049#{MULTIKEY}"
    signed = add_proof(unsigned_vector(), key(), verification_method=method, created=created)
    assert signed == signed_vector()
    proof = {k: v for k, v in signed["proof"].items() if k != "proofValue"}
    data = hash_data(unsigned_vector(), {**proof, "@context": signed["@context"]})
    assert data.hex() == PROOF_HASH + DOCUMENT_HASH
    assert key().sign(data).hex() == SIGNATURE
    assert signed["proof"]["proofValue"] == PROOF_VALUE


def test_vector_verifies_and_tampering_fails() -> None:
    signed = signed_vector()
    verify_proof(signed, signed["proof"], key().public_key())
    tampered = copy.deepcopy(signed)
    tampered["credentialSubject"]["achievement"]["name"] = "Leadership"
    with pytest.raises(InvalidProof):
        verify_proof(tampered, tampered["proof"], key().public_key())
    other = ed25519.Ed25519PrivateKey.generate().public_key()
    with pytest.raises(InvalidProof):
        verify_proof(signed, signed["proof"], other)


def test_the_hash_memo_gives_the_same_verdicts() -> None:
    memo = HashMemo(size=2)
    signed = signed_vector()
    for _ in range(2):  # computed, then remembered
        verify_proof(signed, signed["proof"], key().public_key(), memo=memo)
    tampered = copy.deepcopy(signed)
    tampered["credentialSubject"]["achievement"]["name"] = "Leadership"
    with pytest.raises(InvalidProof):
        verify_proof(tampered, tampered["proof"], key().public_key(), memo=memo)
    with pytest.raises(InvalidProof):  # the remembered hash, another key
        verify_proof(
            signed, signed["proof"], ed25519.Ed25519PrivateKey.generate().public_key(), memo=memo
        )
    proof = {k: v for k, v in signed["proof"].items() if k != "proofValue"}
    config = {**proof, "@context": signed["@context"]}
    assert memo.hash_data(unsigned_vector(), config, offline_loader).hex() == (
        PROOF_HASH + DOCUMENT_HASH
    )
    assert len(memo._hashes) == 2  # bounded: the oldest of three went


def test_tampered_proof_options_fail() -> None:
    signed = signed_vector()
    signed["proof"]["created"] = "2011-01-01T19:23:24Z"
    with pytest.raises(InvalidProof):
        verify_proof(signed, signed["proof"], key().public_key())


def test_undefined_term_is_an_error_at_issuance() -> None:
    credential = unsigned_vector()
    credential["favouriteColour"] = "blue"
    with pytest.raises(SigningError, match="favouriteColour"):
        add_proof(
            credential,
            key(),
            verification_method="https://example.edu/issuers/565049#key",
            created=datetime(2024, 1, 1, tzinfo=UTC),
        )


def test_undefined_type_is_an_error_at_issuance() -> None:
    credential = unsigned_vector()
    credential["type"] = ["VerifiableCredential", "OpenBadgeCredential", "MadeUpType"]
    with pytest.raises(SigningError, match="MadeUpType"):
        canonize(credential)


def test_unknown_context_is_never_fetched() -> None:
    credential = unsigned_vector()
    credential["@context"] = [*credential["@context"], "https://example.org/unknown-context.json"]
    with pytest.raises(SigningError):
        canonize(credential)


def test_vector_file_hashes_are_pinned() -> None:
    digest = hashlib.sha256((VECTORS / "obv3p0-document-canon.txt").read_bytes()).hexdigest()
    assert digest == DOCUMENT_HASH


def test_relative_identifier_is_an_error_at_issuance() -> None:
    credential = unsigned_vector()
    credential["credentialSubject"]["id"] = "learner-42"
    with pytest.raises(SigningError, match="learner-42"):
        canonize(credential)
