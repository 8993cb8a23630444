"""Verify an Open Badges 2.0 assertion, hosted or signed (SPEC §2).

Hosted: only the ``id`` of what was given is trusted; the hosted copy is fetched from it
and must declare that same ``id`` (410 or ``revoked: true`` means revoked), its BadgeClass
and issuer Profile are fetched, and the assertion must live where the issuer's
verification policy allows (its own origin by default). Signed: a compact JWS whose
``verification.creator`` key is a ``CryptographicKey`` of the issuer (listed in its
``publicKey``, owned by it), checked, then the issuer's ``revocationList``.
"""

from typing import Any
from urllib.parse import urlsplit

from badgeforge.core import jws
from badgeforge.core.errors import CoreError, InvalidProof
from badgeforge.core.keys import load_public_key_pem
from badgeforge.core.vc_model import parse_date_time
from badgeforge.core.verification import recipient
from badgeforge.core.verification.context import ACCEPT_JSON, Session, Unfetchable
from badgeforge.core.verification.facts import issuer_facts, ob2_facts, string
from badgeforge.core.verification.report import EndorsementFacts, Report, Verdict

Document = dict[str, Any]
MAX_ENDORSEMENTS = 8


class _Stop(Exception):
    """Verification cannot go further."""


def _types(document: Document) -> list[Any]:
    value = document.get("type")
    return value if isinstance(value, list) else [value]


def _fetch(report: Report, session: Session, check: str, url: Any) -> Document:
    if not isinstance(url, str):
        report.failed(check, "structure.ob2_missing", "a linked document has no URL")
        raise _Stop
    try:
        return session.fetch_json(url)
    except Unfetchable as error:
        report.failed(check, error.code, error.detail, url=error.url)
        raise _Stop from error


def _linked(report: Report, session: Session, value: Any) -> Document:
    return value if isinstance(value, dict) else _fetch(report, session, "structure", value)


def _graph(report: Report, session: Session, assertion: Document) -> tuple[Document, Document]:
    """The BadgeClass and issuer Profile, fetched when linked; checks required fields."""
    missing = [
        name for name in ("recipient", "badge", "verification", "issuedOn") if name not in assertion
    ]
    if "Assertion" not in _types(assertion) or missing:
        report.failed("structure", "structure.ob2_assertion", ", ".join(missing) or "type")
        raise _Stop
    badge = _linked(report, session, assertion["badge"])
    issuer = _linked(report, session, badge.get("issuer"))
    report.facts = ob2_facts(assertion, badge, issuer)
    missing = [
        name for name in ("name", "description", "image", "criteria", "issuer") if name not in badge
    ]
    missing += [f"issuer.{name}" for name in ("id", "name", "url") if name not in issuer]
    if missing:
        report.failed("structure", "structure.ob2_missing", ", ".join(missing))
        raise _Stop
    if isinstance(badge.get("issuer"), str) and issuer.get("id") != badge["issuer"]:
        report.failed("structure", "structure.ob2_missing", "the issuer Profile's id differs")
        raise _Stop
    report.passed("structure", "structure.ob2")
    return badge, issuer


def _authority(url: Any) -> str:
    return urlsplit(url).netloc.lower() if isinstance(url, str) else ""


def _in_scope(assertion_id: str, issuer: Document) -> bool:
    policy = issuer.get("verification")
    policy = policy if isinstance(policy, dict) else {}
    starts = policy.get("startsWith")
    if starts is not None:
        prefixes = starts if isinstance(starts, list) else [starts]
        return any(isinstance(p, str) and assertion_id.startswith(p) for p in prefixes)
    allowed = policy.get("allowedOrigins")
    if allowed is not None:
        origins = allowed if isinstance(allowed, list) else [allowed]
        return _authority(assertion_id) in {str(o).lower() for o in origins}
    return _authority(assertion_id) == _authority(issuer.get("id"))


def _validity(report: Report, session: Session, assertion: Document) -> None:
    try:
        issued = parse_date_time(assertion.get("issuedOn"), "issuedOn", zone_required=True)
        expires = assertion.get("expires")
        end = None if expires is None else parse_date_time(expires, "expires", zone_required=True)
    except CoreError as error:
        report.failed("validity", "validity.malformed", str(error)[:300])
        return
    if issued > session.now:
        report.failed("validity", "validity.issued_in_future", date=issued.isoformat())
    elif end is not None and end < session.now:
        report.failed("validity", "validity.expired", date=end.isoformat())
    else:
        report.passed("validity", "validity.in_force")


def _hosted_copy(report: Report, session: Session, url: Any) -> Document:
    """The hosted assertion at ``url``, whose ``id`` must be ``url`` (re-fetched once)."""
    for _ in range(2):
        if not isinstance(url, str):
            report.failed("hosted", "hosted.no_id")
            raise _Stop
        try:
            fetched = session.fetch(url)
        except Unfetchable as error:
            report.failed("hosted", error.code, error.detail, url=error.url)
            raise _Stop from error
        if fetched.status == 410:
            report.passed("hosted", "hosted.answered", url=url)
            report.failed("status", "status.gone")
            raise _Stop
        document = _fetch(report, session, "hosted", url)
        if document.get("revoked") is True:
            report.passed("hosted", "hosted.answered", url=url)
            report.failed("status", "status.revoked", string(document.get("revocationReason")))
            raise _Stop
        if document.get("id") == url:
            return document
        url = document.get("id")
    report.failed("hosted", "hosted.id_mismatch")
    raise _Stop


Graph = tuple[Document, Document, Document]


def _verify_hosted(report: Report, session: Session, url: Any) -> Graph:
    assertion = _hosted_copy(report, session, url)
    report.document = assertion
    badge, issuer = _graph(report, session, assertion)
    report.facts.format = "ob2-hosted"
    if not _in_scope(assertion["id"], issuer):
        report.failed("hosted", "hosted.out_of_scope", _authority(assertion["id"]))
        raise _Stop
    report.passed("hosted", "hosted.answered", url=assertion["id"])
    report.passed("status", "status.hosted_clear")
    return assertion, badge, issuer


def _signed_key(report: Report, session: Session, assertion: Document, issuer: Document) -> Any:
    verification = assertion.get("verification")
    creator = verification.get("creator") if isinstance(verification, dict) else None
    key_document = _fetch(report, session, "key", creator)
    keys = issuer.get("publicKey")
    listed = keys if isinstance(keys, list) else [keys]
    listed_ids = {item.get("id") if isinstance(item, dict) else item for item in listed}
    owner = key_document.get("owner")
    if creator not in listed_ids or owner not in (None, issuer.get("id")):
        report.failed("key", "key.not_issuer", str(creator)[:300], issuer=str(issuer.get("id")))
        raise _Stop
    try:
        key = load_public_key_pem(str(key_document.get("publicKeyPem", "")))
    except CoreError as error:
        report.failed("key", "key.unresolved", str(error))
        raise _Stop from error
    report.passed("key", "key.issuer", method=str(creator)[:200])
    return key


def _revocation_list(
    report: Report, session: Session, assertion: Document, issuer: Document
) -> None:
    url = issuer.get("revocationList")
    if url is None:
        report.skipped("status", "status.none")
        return
    try:
        listed = session.fetch_json(str(url)).get("revokedAssertions")
    except Unfetchable as error:
        report.warning("status", "status.unavailable", error.detail, url=error.url)
        return
    for item in listed if isinstance(listed, list) else []:
        ident = (
            item
            if isinstance(item, str)
            else item.get("id", item.get("uid"))
            if isinstance(item, dict)
            else None
        )
        if ident is not None and ident in (assertion.get("id"), assertion.get("uid")):
            reason = string(item.get("revocationReason")) if isinstance(item, dict) else None
            report.failed("status", "status.revoked", reason)
            return
    report.passed("status", "status.clear")


def _verify_signed(report: Report, session: Session, token: str) -> Graph:
    try:
        decoded = jws.decode_compact(token)
    except CoreError as error:  # InvalidProof, or InvalidDocument for bad base64url
        code = "proof.jwt_algorithm" if "algorithm" in str(error) else "structure.jwt"
        report.failed("proof" if code.startswith("proof") else "structure", code, str(error))
        raise _Stop from error
    assertion = decoded.payload
    report.document = assertion
    verification = assertion.get("verification")
    if not isinstance(verification, dict) or verification.get("type") not in (
        "SignedBadge",
        "signed",
    ):
        report.failed("structure", "structure.ob2_assertion", "verification is not SignedBadge")
        raise _Stop
    # the BadgeClass and the key do not depend on each other: fetched at the same time
    session.prefetch(
        (url, ACCEPT_JSON) for url in (assertion.get("badge"), verification.get("creator"))
    )
    badge, issuer = _graph(report, session, assertion)
    report.facts.format = "ob2-signed"
    key = _signed_key(report, session, assertion, issuer)
    try:
        jws.verify_decoded(decoded, key)
    except InvalidProof as error:
        report.failed("proof", "proof.invalid", str(error))
        raise _Stop from error
    report.passed("proof", "proof.jws")
    _revocation_list(report, session, assertion, issuer)
    return assertion, badge, issuer


def _endorsement(session: Session, item: Any) -> EndorsementFacts:
    """Verify one OB 2.0 Endorsement like a hosted assertion: fetched by id, in scope."""
    sub = Report()
    value = item.get("id") if isinstance(item, dict) else item
    endorsement: Document = item if isinstance(item, dict) else {}
    try:
        endorsement = _hosted_copy(sub, session, value)
        issuer = _linked(sub, session, endorsement.get("issuer"))
        if "Endorsement" not in _types(endorsement) or "claim" not in endorsement:
            sub.failed("structure", "structure.ob2_assertion", "not an Endorsement")
        elif not _in_scope(str(endorsement.get("id")), issuer):
            sub.failed("hosted", "hosted.out_of_scope", _authority(endorsement.get("id")))
        else:
            sub.passed("structure", "structure.ob2")
            endorsement = {**endorsement, "issuer": issuer}
    except _Stop:
        pass
    claim = endorsement.get("claim")
    comment = claim.get("endorsementComment") if isinstance(claim, dict) else None
    return EndorsementFacts(
        issuer_facts(endorsement.get("issuer")), sub.verdict, string(comment), string(value)
    )


def _endorsements(report: Report, session: Session, holders: tuple[Document, ...]) -> None:
    found = [item for holder in holders for item in _as_list(holder.get("endorsement"))]
    if not found:
        report.skipped("endorsements", "endorsements.none")
        return
    session.prefetch((item, ACCEPT_JSON) for item in found[:MAX_ENDORSEMENTS])
    for item in found[:MAX_ENDORSEMENTS]:
        report.facts.endorsements.append(_endorsement(session, item))
    bad = sum(1 for item in report.facts.endorsements if item.verdict is not Verdict.VALID)
    if bad or len(found) > MAX_ENDORSEMENTS:
        report.warning("endorsements", "endorsements.some_invalid", count=bad, total=len(found))
    else:
        report.passed("endorsements", "endorsements.valid", count=len(found))


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [] if value is None else [value]


def verify_ob2(report: Report, session: Session, value: str | Document, *, signed: bool) -> None:
    """Run every OB 2.0 check on a hosted URL or assertion, or a signed JWS."""
    try:
        if signed:
            graph = _verify_signed(report, session, str(value))
        else:
            url = value.get("id") if isinstance(value, dict) else value
            graph = _verify_hosted(report, session, url)
    except _Stop:
        return
    _validity(report, session, graph[0])
    recipient.check_ob2(report, session.options.recipient, graph[0])
    _endorsements(report, session, graph)
