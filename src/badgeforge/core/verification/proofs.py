"""Check the proof of an OB 3.0 credential: embedded Data Integrity proofs or a VC-JWT.

Embedded proofs: ``DataIntegrityProof`` with ``eddsa-rdfc-2022`` (or the older
``eddsa-2022``) and ``Ed25519Signature2020``, purpose ``assertionMethod``; one verifying
proof is enough (SPEC §6.3 step 2). A VC-JWT is checked with the key its ``kid`` (or
inline ``jwk``) names. Either way the key must be controlled by the credential's issuer.
Failures are :class:`ProofFailure`, naming the check (``key`` or ``proof``) they belong to.
"""

from datetime import datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ed25519

from badgeforge.core import data_integrity, jws
from badgeforge.core.data_integrity import HashMemo
from badgeforge.core.errors import CoreError, InvalidProof, UnresolvedKey
from badgeforge.core.vc_model import parse_date_time
from badgeforge.core.verification import keys
from badgeforge.core.verification.context import Session, Unfetchable

Document = dict[str, Any]


class ProofFailure(CoreError):
    """A proof did not verify; ``check`` is ``key`` or ``proof``, ``code`` the message."""

    def __init__(self, check: str, code: str, detail: str | None = None, **values: Any) -> None:
        super().__init__(detail or code)
        self.check = check
        self.code = code
        self.detail = detail
        self.values = values


def issuer_of(credential: Document) -> str | None:
    """The issuer's id (a string, or an object's ``id``)."""
    issuer = credential.get("issuer")
    value = issuer.get("id") if isinstance(issuer, dict) else issuer
    return value if isinstance(value, str) else None


def _key(session: Session, reference: Any, issuer: str | None, *, jwk: Any = None) -> keys.Key:
    try:
        if jwk is not None:
            key = keys.resolve_jwk_header(session, jwk, issuer)
        else:
            key = keys.resolve(session, reference, issuer)
    except UnresolvedKey as error:
        raise ProofFailure("key", "key.unresolved", str(error)[:300]) from error
    except Unfetchable as error:
        raise ProofFailure("key", error.code, error.detail, url=error.url) from error
    if issuer is None or issuer not in key.controllers:
        owners = ", ".join(sorted(key.controllers)) or "-"
        raise ProofFailure("key", "key.not_issuer", f"controlled by {owners}", issuer=issuer or "-")
    return key


def _date(value: Any, name: str) -> datetime:
    try:
        return parse_date_time(value, name, zone_required=False)
    except CoreError as error:
        raise ProofFailure("proof", "proof.malformed", str(error)) from error


def _check_one(
    session: Session, credential: Document, proof: Document, memo: HashMemo | None
) -> str:
    if not data_integrity.is_supported(proof):
        suite = proof.get("cryptosuite") or proof.get("type")
        raise ProofFailure("proof", "proof.unsupported", suite=str(suite)[:80])
    if proof.get("proofPurpose") != "assertionMethod":
        raise ProofFailure("proof", "proof.malformed", "proofPurpose is not assertionMethod")
    if "expires" in proof and _date(proof["expires"], "the proof's expires") < session.now:
        raise ProofFailure("proof", "proof.expired")
    method = proof.get("verificationMethod")
    key = _key(session, method, issuer_of(credential))
    if not isinstance(key.public_key, ed25519.Ed25519PublicKey):
        raise ProofFailure("key", "key.wrong_type", "an Ed25519 key is needed")
    try:
        data_integrity.verify_proof(credential, proof, key.public_key, session.loader, memo)
    except InvalidProof as error:
        raise ProofFailure("proof", "proof.invalid", str(error)[:300]) from error
    return key.method_id


def verify_embedded(session: Session, credential: Document, memo: HashMemo | None = None) -> str:
    """Check the embedded proofs; returns the method of one that verifies. ``memo``: for
    documents met again and again (status lists), see :class:`HashMemo`."""
    try:
        proofs = data_integrity.proofs_of(credential)
    except InvalidProof as error:
        raise ProofFailure("proof", "proof.malformed", str(error)) from error
    if not proofs:
        raise ProofFailure("proof", "proof.missing")
    failures: list[ProofFailure] = []
    for proof in proofs[:4]:
        try:
            return _check_one(session, credential, proof, memo)
        except ProofFailure as failure:
            failures.append(failure)
    raise failures[0]


def verify_token(session: Session, decoded: jws.DecodedJws, issuer: str | None) -> str:
    """Check a decoded JWS (VC-JWT or OB 2.0 signed) with its ``kid``/``jwk`` key."""
    header = decoded.header
    if "kid" in header:
        key = _key(session, header["kid"], issuer)
    elif "jwk" in header:
        key = _key(session, None, issuer, jwk=header["jwk"])
    else:
        raise ProofFailure("key", "key.no_kid")
    try:
        jws.verify_decoded(decoded, key.public_key)
    except InvalidProof as error:
        raise ProofFailure("proof", "proof.invalid", str(error)[:300]) from error
    return key.method_id
