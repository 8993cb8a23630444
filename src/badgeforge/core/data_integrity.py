"""Data Integrity proofs with the ``eddsa-rdfc-2022`` cryptosuite (VC-DI-EdDSA).

``hashData = SHA-256(canon(proof config)) || SHA-256(canon(document without proof))``,
signed with Ed25519; ``proofValue`` is ``z`` + base58btc of the 64-byte signature. The
same transformation verifies the older ``eddsa-2022`` name and ``Ed25519Signature2020``
proofs. Canonicalization is offline and safe (:mod:`badgeforge.core.canonical`).
"""

import copy
import hashlib
import json
import threading
from collections import OrderedDict
from datetime import datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import ed25519

from badgeforge.core.canonical import canonize
from badgeforge.core.errors import InvalidDocument, InvalidProof, SigningError
from badgeforge.core.jsonld import DocumentLoader, offline_loader
from badgeforge.core.multibase import multibase_decode, multibase_encode
from badgeforge.core.ob2 import format_datetime

CRYPTOSUITE = "eddsa-rdfc-2022"
LEGACY_CRYPTOSUITES = ("eddsa-2022",)
ED25519_SIGNATURE_2020 = "Ed25519Signature2020"

Document = dict[str, Any]


def hash_data(
    document: Document, proof_config: Document, loader: DocumentLoader = offline_loader
) -> bytes:
    """The 64 bytes an ``eddsa-rdfc-2022`` proof signs."""
    unsigned = {key: value for key, value in document.items() if key != "proof"}
    proof_hash = hashlib.sha256(canonize(proof_config, loader).encode("utf-8")).digest()
    document_hash = hashlib.sha256(canonize(unsigned, loader).encode("utf-8")).digest()
    return proof_hash + document_hash


class HashMemo:
    """What :func:`hash_data` gave for documents seen before: a bounded, thread-safe LRU.

    For documents verifiers meet again and again unchanged (a status list credential is
    shared by up to 131,072 credentials): canonicalization is a pure function of the
    document, the proof options and the context loader, and most of a verification's cost.
    The key is a SHA-256 of the exact JSON of both, with the loader itself.
    """

    def __init__(self, size: int = 64) -> None:
        self._size = size
        self._hashes: OrderedDict[tuple[bytes, DocumentLoader], bytes] = OrderedDict()
        self._lock = threading.Lock()

    def hash_data(self, document: Document, config: Document, loader: DocumentLoader) -> bytes:
        text = json.dumps([document, config], sort_keys=True, ensure_ascii=False, default=str)
        key = (hashlib.sha256(text.encode("utf-8")).digest(), loader)
        with self._lock:
            if key in self._hashes:
                self._hashes.move_to_end(key)
                return self._hashes[key]
        data = hash_data(document, config, loader)
        with self._lock:
            self._hashes[key] = data
            if len(self._hashes) > self._size:
                self._hashes.popitem(last=False)
        return data


def _proof_config(document: Document, proof: Document) -> Document:
    config = {key: value for key, value in proof.items() if key != "proofValue"}
    context = document.get("@context")
    if context is None:
        raise InvalidDocument("a document with a Data Integrity proof needs an @context")
    config["@context"] = context
    return config


def add_proof(
    document: Document,
    key: ed25519.Ed25519PrivateKey,
    *,
    verification_method: str,
    created: datetime,
    loader: DocumentLoader = offline_loader,
) -> Document:
    """A copy of ``document`` with an ``eddsa-rdfc-2022`` proof (``assertionMethod``)."""
    if "proof" in document:
        raise SigningError("the document already carries a proof")
    if not isinstance(key, ed25519.Ed25519PrivateKey):
        raise SigningError("eddsa-rdfc-2022 needs an Ed25519 key")
    proof: Document = {
        "type": "DataIntegrityProof",
        "created": format_datetime(created),
        "verificationMethod": verification_method,
        "cryptosuite": CRYPTOSUITE,
        "proofPurpose": "assertionMethod",
    }
    signature = key.sign(hash_data(document, _proof_config(document, proof), loader))
    signed = copy.deepcopy(document)
    signed["proof"] = {**proof, "proofValue": multibase_encode(signature)}
    return signed


def proofs_of(document: Document) -> list[Document]:
    """The embedded proofs of ``document`` (a single object or an array)."""
    proof = document.get("proof")
    if proof is None:
        return []
    proofs = proof if isinstance(proof, list) else [proof]
    if not all(isinstance(item, dict) for item in proofs):
        raise InvalidProof("every proof must be a JSON object")
    return proofs


def is_supported(proof: Document) -> bool:
    """Whether :func:`verify_proof` can check this proof."""
    if proof.get("type") == "DataIntegrityProof":
        return proof.get("cryptosuite") in (CRYPTOSUITE, *LEGACY_CRYPTOSUITES)
    return proof.get("type") == ED25519_SIGNATURE_2020


def verify_proof(
    document: Document,
    proof: Document,
    public_key: ed25519.Ed25519PublicKey,
    loader: DocumentLoader = offline_loader,
    memo: HashMemo | None = None,
) -> None:
    """Check one embedded Ed25519 proof of ``document``; raises InvalidProof.

    Only the signature is checked here: resolving ``verificationMethod`` to
    ``public_key`` and judging its controller is the caller's job. ``memo`` remembers
    the canonical hashes of documents met again and again (status lists).
    """
    if not is_supported(proof):
        raise InvalidProof(f"unsupported proof type {proof.get('type')!r}")
    if proof.get("proofPurpose") != "assertionMethod":
        raise InvalidProof("the proof purpose must be assertionMethod")
    proof_value = proof.get("proofValue")
    if not isinstance(proof_value, str) or not proof_value.startswith("z"):
        raise InvalidProof("proofValue must be a base58btc multibase string")
    try:
        signature = multibase_decode(proof_value)
    except InvalidDocument as error:
        raise InvalidProof("proofValue is not valid base58btc") from error
    try:
        config = _proof_config(document, proof)
        data = (memo.hash_data if memo else hash_data)(document, config, loader)
    except SigningError as error:
        raise InvalidProof(f"the document cannot be canonicalized: {error}") from error
    try:
        public_key.verify(signature, data)
    except InvalidSignature as error:
        raise InvalidProof("the Data Integrity proof does not verify") from error
