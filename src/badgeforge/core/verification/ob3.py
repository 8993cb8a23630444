"""Verify an Open Badges 3.0 credential (SPEC §6.3): Data Integrity or VC-JWT, VC 1.1 or 2.0.

Steps, each a named check: ``structure`` (VC data model, OB types, subject id or
identifier), ``schema`` (bundled 1EdTech JSON Schemas, tolerant of JSON-LD compaction),
``key`` and ``proof``, ``status``, ``validity`` (``validFrom``/``validUntil``, or
``issuanceDate``/``expirationDate``, and the JWT's ``nbf``/``exp``), ``recipient`` and
``endorsements`` (each embedded endorsement verified the same way).
"""

import re
from typing import Any

from badgeforge.core import jws, ob3_schema
from badgeforge.core.errors import CoreError, InvalidProof
from badgeforge.core.jsonld import CONTEXT_FILES
from badgeforge.core.vc_jwt import credential_of
from badgeforge.core.vc_model import VcVersion, check_credential, contexts_of, validity_period
from badgeforge.core.verification import recipient, schemas
from badgeforge.core.verification.context import ACCEPT_JSON, Session
from badgeforge.core.verification.facts import issuer_facts, ob3_facts, string
from badgeforge.core.verification.proofs import (
    ProofFailure,
    issuer_of,
    verify_embedded,
    verify_token,
)
from badgeforge.core.verification.report import EndorsementFacts, Report
from badgeforge.core.verification.status import check_status, status_fetches

Document = dict[str, Any]
BADGE_TYPES = ("OpenBadgeCredential", "AchievementCredential")
ENDORSEMENT_TYPE = "EndorsementCredential"
MAX_ENDORSEMENTS = 8
_OB3_CONTEXT = re.compile(r"https://purl\.imsglobal\.org/spec/ob/v3p0/context(-3\.\d\.\d)*\.json")
_ARRAY_TYPES = frozenset(
    [
        "VerifiableCredential",
        "OpenBadgeCredential",
        "AchievementCredential",
        "EndorsementCredential",
        "AchievementSubject",
        "EndorsementSubject",
        "Evidence",
        "Achievement",
        "Alignment",
        "Profile",
        "Address",
        "Result",
        "ResultDescription",
        "RubricCriterionLevel",
        "Related",
    ]
)


class _Stop(Exception):
    """The credential cannot be read far enough to go on."""


def _tolerant(value: Any) -> Any:
    """A copy in the canonical JSON shape: compacted single ``type`` values as arrays."""
    if isinstance(value, list):
        return [_tolerant(item) for item in value]
    if not isinstance(value, dict):
        return value
    copy = {key: _tolerant(item) for key, item in value.items()}
    if isinstance(copy.get("type"), str) and copy["type"] in _ARRAY_TYPES:
        copy["type"] = [copy["type"]]
    for name in ("credentialSchema", "proof", "termsOfUse"):
        if isinstance(copy.get(name), dict):
            copy[name] = [copy[name]]
    return copy


def _types(credential: Document) -> list[Any]:
    types = credential.get("type")
    return types if isinstance(types, list) else [types]


def _structure(report: Report, credential: Any, endorsement: bool) -> VcVersion:
    try:
        version = check_credential(credential)
    except CoreError as error:
        report.failed("structure", "structure.vc_model", str(error)[:300])
        raise _Stop from error
    wanted = (ENDORSEMENT_TYPE,) if endorsement else (*BADGE_TYPES, ENDORSEMENT_TYPE)
    if not any(name in wanted for name in _types(credential)):
        report.failed("structure", "structure.not_ob3")
        raise _Stop
    contexts = contexts_of(credential)
    if len(contexts) < 2 or not _OB3_CONTEXT.fullmatch(str(contexts[1])):
        report.failed("structure", "structure.ob3_context")
        raise _Stop
    subject = credential.get("credentialSubject")
    subject = subject[0] if isinstance(subject, list) and subject else subject
    if ENDORSEMENT_TYPE not in _types(credential) and not (
        isinstance(subject, dict) and ("id" in subject or "identifier" in subject)
    ):
        report.failed("structure", "structure.no_subject_id")
        raise _Stop
    unknown = [c for c in contexts if isinstance(c, str) and c.rstrip("#") not in CONTEXT_FILES]
    if unknown:
        report.warning("structure", "structure.unknown_context", ", ".join(unknown)[:300])
    else:
        report.passed("structure", "structure.ob3", version=version.value)
    return version


def _schema(report: Report, credential: Document) -> None:
    default = (
        ob3_schema.ENDORSEMENT_CREDENTIAL
        if ENDORSEMENT_TYPE in _types(credential)
        else ob3_schema.ACHIEVEMENT_CREDENTIAL
    )
    listed = credential.get("credentialSchema")
    urls = [default]
    for item in listed if isinstance(listed, list) else [listed]:
        url = item.get("id") if isinstance(item, dict) else None
        if isinstance(url, str) and url not in urls:
            if not ob3_schema.is_bundled(url):
                report.warning("schema", "schema.not_bundled", url[:300])
                return
            urls.append(url)
    shaped = _tolerant(credential)
    errors = [message for url in urls for message in schemas.schema_errors(shaped, url)]
    if errors:
        report.failed("schema", "schema.invalid", "; ".join(errors[:5])[:1000])
    else:
        report.passed("schema", "schema.valid")


def _proof(report: Report, session: Session, credential: Document, decoded: Any) -> None:
    try:
        if decoded is None:
            method = verify_embedded(session, credential)
        else:
            method = verify_token(session, decoded, issuer_of(credential))
    except ProofFailure as failure:
        report.failed(failure.check, failure.code, failure.detail, **failure.values)
        if failure.check == "key":
            report.skipped("proof", "proof.no_key")
        return
    report.passed("key", "key.issuer", method=method[:200])
    report.passed("proof", "proof.jwt" if decoded is not None else "proof.embedded")


def _validity(report: Report, session: Session, credential: Document, decoded: Any) -> None:
    try:
        start, end = validity_period(credential)
    except CoreError as error:
        report.failed("validity", "validity.malformed", str(error)[:300])
        return
    now = session.now
    claims = decoded.payload if decoded is not None else {}
    stamp = now.timestamp()
    nbf, exp = claims.get("nbf"), claims.get("exp")
    if (start is not None and now < start) or (isinstance(nbf, int | float) and stamp < nbf):
        report.failed(
            "validity", "validity.not_yet_valid", date=start.isoformat() if start else str(nbf)
        )
    elif (end is not None and now > end) or (isinstance(exp, int | float) and stamp > exp):
        report.failed("validity", "validity.expired", date=end.isoformat() if end else str(exp))
    else:
        report.passed("validity", "validity.in_force")


def _endorsements(report: Report, session: Session, credential: Document) -> None:
    found: list[Any] = []
    subject = credential.get("credentialSubject")
    achievement = subject.get("achievement") if isinstance(subject, dict) else None
    for holder in (credential, achievement, credential.get("issuer")):
        if isinstance(holder, dict):
            for name in ("endorsement", "endorsementJwt"):
                items = holder.get(name)
                found.extend(items if isinstance(items, list) else [] if items is None else [items])
    if not found:
        report.skipped("endorsements", "endorsements.none")
        return
    for item in found[:MAX_ENDORSEMENTS]:
        sub = Report()
        verify_ob3(sub, session, item, endorsement=True)
        document = sub.document or {}
        subject = document.get("credentialSubject")
        comment = subject.get("endorsementComment") if isinstance(subject, dict) else None
        report.facts.endorsements.append(
            EndorsementFacts(
                issuer_facts(document.get("issuer")),
                sub.verdict,
                string(comment),
                string(document.get("id")),
            )
        )
    bad = sum(1 for item in report.facts.endorsements if item.verdict.value != "valid")
    if bad or len(found) > MAX_ENDORSEMENTS:
        report.warning("endorsements", "endorsements.some_invalid", count=bad, total=len(found))
    else:
        report.passed("endorsements", "endorsements.valid", count=len(found))


def _key_fetches(credential: Document, decoded: Any) -> list[tuple[Any, str]]:
    """The key URLs the proof check will fetch first: a JWT's ``kid``, or each proof's
    verification method (HTTP(S) ones; DIDs are resolved by the check itself)."""
    if decoded is not None:
        return [(decoded.header.get("kid"), ACCEPT_JSON)]
    proofs = credential.get("proof")
    listed = proofs if isinstance(proofs, list) else [proofs]
    return [(p.get("verificationMethod"), ACCEPT_JSON) for p in listed if isinstance(p, dict)]


def _decode_jwt(report: Report, token: str) -> tuple[Any, Document]:
    try:
        decoded = jws.decode_compact(token)
    except CoreError as error:  # InvalidProof, or InvalidDocument for bad base64url
        code = "proof.jwt_algorithm" if "algorithm" in str(error) else "structure.jwt"
        report.failed("proof" if code.startswith("proof") else "structure", code, str(error))
        raise _Stop from error
    try:
        credential = credential_of(decoded)
        legacy = "vc" in decoded.payload
        if legacy != (contexts_of(credential)[:1] == ["https://www.w3.org/2018/credentials/v1"]):
            raise InvalidProof("a vc claim is for VC 1.1 credentials only (and they need one)")
    except (CoreError, TypeError, ValueError) as error:
        report.failed("structure", "structure.jwt_claims", str(error)[:300])
        raise _Stop from error
    return decoded, credential


def verify_ob3(report: Report, session: Session, value: Any, *, endorsement: bool = False) -> None:
    """Run every OB 3.0 check on a credential object or a compact VC-JWT string."""
    decoded = None
    try:
        if isinstance(value, str):
            decoded, credential = _decode_jwt(report, value)
        elif isinstance(value, dict):
            credential = value
        else:
            report.failed("structure", "structure.vc_model", "not a JSON object or a JWT")
            raise _Stop
        report.document = credential
        report.facts = ob3_facts(credential)
        report.facts.format = "ob3-jwt" if decoded is not None else "ob3-data-integrity"
        _structure(report, credential, endorsement)
    except _Stop:
        return
    # the key and the status lists do not depend on each other: fetched at the same time
    session.prefetch([*_key_fetches(credential, decoded), *status_fetches(credential)])
    _schema(report, credential)
    _proof(report, session, credential, decoded)
    check_status(session, report, credential)
    _validity(report, session, credential, decoded)
    if not endorsement:
        subject = credential.get("credentialSubject")
        subject = subject[0] if isinstance(subject, list) and subject else subject
        recipient.check_ob3(
            report, session.options.recipient, subject if isinstance(subject, dict) else {}
        )
        _endorsements(report, session, credential)
