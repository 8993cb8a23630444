"""Verify one credential: an embedded ``eddsa-rdfc-2022`` Data Integrity proof, or a VC-JWT.

The result is a report (checks performed, errors, warnings), not an exception: a forged or
expired credential is an expected answer. Keys come from a resolver the caller gives:
``did:key`` methods resolve here, offline (:func:`resolve_did_key_method`); anything else
is the caller's to look up, never over the network. A proof verifies only when its key's
controller is the credential's issuer. Revocation is asked of a caller-given status
check, which may answer "unknown" (a warning, not an error).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ed25519

from badgeforge.core import data_integrity, jws, vc_jwt
from badgeforge.core.did import resolve_did_key
from badgeforge.core.errors import InvalidDocument, InvalidProof, UnresolvedKey
from badgeforge.core.jsonld import DocumentLoader, offline_loader
from badgeforge.core.multibase import decode_multikey, multibase_decode
from badgeforge.core.vc_model import check_credential, issuer_id, parse_date_time, validity_period

SECURITY = "https://w3id.org/security#"
VC_DATA_MODEL = "https://www.w3.org/TR/vc-data-model#"
MALFORMED_PROOF = f"{SECURITY}MALFORMED_PROOF_ERROR"
PROOF_VERIFICATION = f"{SECURITY}PROOF_VERIFICATION_ERROR"
INVALID_VERIFICATION_METHOD = f"{SECURITY}INVALID_VERIFICATION_METHOD"
INVALID_CHALLENGE = f"{SECURITY}INVALID_CHALLENGE_ERROR"
INVALID_DOMAIN = f"{SECURITY}INVALID_DOMAIN_ERROR"
MALFORMED_VALUE = f"{VC_DATA_MODEL}MALFORMED_VALUE_ERROR"
RANGE = f"{VC_DATA_MODEL}RANGE_ERROR"
STATUS = "https://www.w3.org/ns/credentials/status#BitstringStatusListEntry"

Document = dict[str, Any]


@dataclass(frozen=True)
class Finding:
    """One error or warning, shaped like a VC-API ProblemDetails."""

    type: str
    title: str
    detail: str

    def to_json(self) -> dict[str, str]:
        return {"type": self.type, "title": self.title, "detail": self.detail}


@dataclass(frozen=True)
class ResolvedKey:
    """A verification method's public key and the identifiers that control it."""

    method_id: str
    controllers: frozenset[str]
    public_key: jws.VerifyingKey


KeyResolver = Callable[[str], ResolvedKey]
"""Resolve a verification method (or JWT ``kid``); raises UnresolvedKey."""
StatusCheck = Callable[[Document, Document], bool | None]
"""``(credentialStatus entry, credential)`` -> whether its status bit is set, None if unknown."""


@dataclass
class Report:
    """What was checked, and what failed; verified when something was checked and nothing failed."""

    checks: list[str] = field(default_factory=list)
    errors: list[Finding] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)
    credential: Document | None = None

    @property
    def verified(self) -> bool:
        return bool(self.checks) and not self.errors


class _Failed(Exception):
    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.detail)
        self.finding = finding


def resolve_did_key_method(method_id: str) -> ResolvedKey:
    """The Ed25519 key of a ``did:key`` verification method (``did:key:z…#z…``), offline."""
    did, _, fragment = method_id.partition("#")
    try:
        document = resolve_did_key(did)
        method = document["verificationMethod"][0]
        key_type, raw = decode_multikey(method["publicKeyMultibase"])
    except InvalidDocument as error:
        raise UnresolvedKey(f"{method_id} is not a valid did:key: {error}") from error
    if fragment and method["id"] != method_id:
        raise UnresolvedKey(f"{method_id} names no key of {did}")
    if key_type != "Ed25519":
        raise UnresolvedKey(f"{method_id} is a {key_type} key; only Ed25519 is supported")
    return ResolvedKey(
        method["id"], frozenset({document["id"]}), ed25519.Ed25519PublicKey.from_public_bytes(raw)
    )


def _malformed(detail: str) -> _Failed:
    return _Failed(Finding(MALFORMED_PROOF, "Malformed proof", detail))


def _check_proof_shape(
    proof: Document, now: datetime, challenge: str | None, domain: str | None
) -> str:
    if not data_integrity.is_supported(proof):
        raise _malformed(
            f"unsupported proof type {proof.get('type')!r} / {proof.get('cryptosuite')!r}"
        )
    method = proof.get("verificationMethod")
    if not isinstance(method, str) or ":" not in method:
        raise _malformed("verificationMethod must be a URL")
    value = proof.get("proofValue")
    try:
        signature = multibase_decode(value) if isinstance(value, str) and value[:1] == "z" else b""
    except InvalidDocument:
        signature = b""
    if len(signature) != 64:
        raise _malformed("proofValue must be a base58btc multibase 64-byte signature")
    if "created" in proof:
        _date(proof["created"], "proof.created")
    if "expires" in proof and _date(proof["expires"], "proof.expires") < now:
        raise _Failed(Finding(PROOF_VERIFICATION, "Proof expired", "the proof has expired"))
    if challenge is not None and proof.get("challenge") != challenge:
        raise _Failed(Finding(INVALID_CHALLENGE, "Invalid challenge", "challenge mismatch"))
    if domain is not None and proof.get("domain") != domain:
        raise _Failed(Finding(INVALID_DOMAIN, "Invalid domain", "domain mismatch"))
    return method


def _date(value: Any, name: str) -> datetime:
    try:
        return parse_date_time(value, name, zone_required=False)
    except InvalidDocument as error:
        raise _malformed(str(error)) from error


def _resolve(resolve: KeyResolver, method: str, credential: Document) -> ResolvedKey:
    try:
        key = resolve(method)
    except UnresolvedKey as error:
        raise _Failed(
            Finding(INVALID_VERIFICATION_METHOD, "Unresolvable key", str(error))
        ) from error
    issuer = issuer_id(credential)
    if issuer not in key.controllers:
        detail = f"the key {method} is not controlled by the issuer {issuer}"
        raise _Failed(Finding(PROOF_VERIFICATION, "Key not the issuer's", detail))
    return key


def _verify_proof(
    credential: Document,
    proof: Document,
    resolve: KeyResolver,
    now: datetime,
    options: tuple[str | None, str | None, DocumentLoader],
) -> None:
    challenge, domain, loader = options
    method = _check_proof_shape(proof, now, challenge, domain)
    key = _resolve(resolve, method, credential)
    if not isinstance(key.public_key, ed25519.Ed25519PublicKey):
        raise _Failed(Finding(INVALID_VERIFICATION_METHOD, "Wrong key type", "not Ed25519"))
    try:
        data_integrity.verify_proof(credential, proof, key.public_key, loader)
    except InvalidProof as error:
        raise _Failed(Finding(PROOF_VERIFICATION, "Invalid proof", str(error))) from error


def _check_validity(report: Report, credential: Document, now: datetime) -> None:
    start, end = validity_period(credential)
    if start is not None and now < start:
        report.errors.append(Finding(RANGE, "Not yet valid", f"valid from {start.isoformat()}"))
    if end is not None and now > end:
        report.errors.append(Finding(RANGE, "Expired", f"valid until {end.isoformat()}"))
    report.checks.append("validity")


def entry_bit(entry: Document, bitstring: bytes) -> bool:
    """The bit a ``BitstringStatusListEntry`` points at in a decoded status list."""
    index = entry.get("statusListIndex")
    if not isinstance(index, str) or not index.isdigit():
        raise InvalidDocument("statusListIndex must be a string of digits")
    position = int(index)
    if position >= len(bitstring) * 8:
        raise InvalidDocument(f"status list index {position} is out of range")
    return bool(bitstring[position // 8] & (0x80 >> (position % 8)))


def _check_status(report: Report, credential: Document, status: StatusCheck | None) -> None:
    entries = credential.get("credentialStatus", [])
    for entry in entries if isinstance(entries, list) else [entries]:
        purpose = str(entry.get("statusPurpose", "revocation"))
        try:
            state = status(entry, credential) if status is not None else None
        except InvalidDocument as error:
            report.errors.append(Finding(STATUS, "Invalid status", str(error)))
            continue
        if state is None:
            detail = f"the {purpose} status at {entry.get('id')} cannot be checked offline"
            report.warnings.append(Finding(STATUS, "Status not checked", detail))
        elif state:
            report.errors.append(Finding(STATUS, purpose.capitalize(), f"{purpose} bit is set"))
    if entries:
        report.checks.append("status")


def verify_credential(
    credential: Any,
    resolve: KeyResolver,
    *,
    now: datetime,
    challenge: str | None = None,
    domain: str | None = None,
    status: StatusCheck | None = None,
    loader: DocumentLoader = offline_loader,
) -> Report:
    """Check a credential with embedded Data Integrity proof(s): data model, every proof
    (key, controller, signature), validity dates and status."""
    report = Report(credential=credential if isinstance(credential, dict) else None)
    try:
        check_credential(credential)
    except InvalidDocument as error:
        report.errors.append(Finding(MALFORMED_VALUE, "Invalid credential", str(error)))
        return report
    report.checks.append("credential")
    try:
        proofs = data_integrity.proofs_of(credential)
        if not proofs:
            raise _malformed("the credential has no proof")
        for proof in proofs:
            _verify_proof(credential, proof, resolve, now, (challenge, domain, loader))
    except InvalidProof as error:
        report.errors.append(Finding(MALFORMED_PROOF, "Malformed proof", str(error)))
    except _Failed as failed:
        report.errors.append(failed.finding)
    report.checks.append("proof")
    _check_validity(report, credential, now)
    _check_status(report, credential, status)
    return report


def _verify_token(token: str, resolve: KeyResolver, now: datetime) -> Document:
    try:
        decoded = jws.decode_compact(token)
        credential = vc_jwt.credential_of(decoded)
    except InvalidProof as error:
        raise _malformed(f"not a VC-JWT: {error}") from error
    kid = decoded.header.get("kid")
    if not isinstance(kid, str):
        raise _malformed("the VC-JWT header has no kid")
    key = _resolve(resolve, kid, credential)
    try:
        jws.verify_decoded(decoded, key.public_key)
    except InvalidProof as error:
        raise _Failed(Finding(PROOF_VERIFICATION, "Invalid signature", str(error))) from error
    stamp = now.timestamp()
    nbf, exp = decoded.payload.get("nbf"), decoded.payload.get("exp")
    if isinstance(nbf, int | float) and stamp < nbf:
        raise _Failed(Finding(RANGE, "Not yet valid", "the JWT's nbf is in the future"))
    if isinstance(exp, int | float) and stamp > exp:
        raise _Failed(Finding(RANGE, "Expired", "the JWT's exp has passed"))
    return credential


def verify_jwt(
    token: str, resolve: KeyResolver, *, now: datetime, status: StatusCheck | None = None
) -> Report:
    """Check a VC-JWT: signature by the ``kid`` key, claims, data model, dates, status."""
    report = Report()
    try:
        credential = _verify_token(token, resolve, now.astimezone(UTC))
    except _Failed as failed:
        report.errors.append(failed.finding)
        report.checks.append("proof")
        return report
    report.credential = credential
    report.checks.append("proof")
    try:
        check_credential(credential)
    except InvalidDocument as error:
        report.errors.append(Finding(MALFORMED_VALUE, "Invalid credential", str(error)))
        return report
    report.checks.append("credential")
    _check_validity(report, credential, now)
    _check_status(report, credential, status)
    return report
