"""Verify any Open Badge: ``verify(data, options) -> Report``.

``data`` is what a person or partner has: a link, JSON (text, bytes or an object), a
compact JWS/JWT, or a baked PNG or SVG. It is read (:mod:`.inputs`), recognised as
OB 2.0 hosted or signed (:mod:`.ob2`) or OB 3.0 with Data Integrity or VC-JWT
(:mod:`.ob3`), and every step becomes a named check of the :class:`Report`. Nothing
raises out of :func:`verify`: a forged, broken or hostile input is a report saying so.
The network is reached only through ``options.fetcher``.
"""

import json
from collections.abc import Mapping
from typing import Any

from badgeforge.core.jws import ALGORITHMS
from badgeforge.core.multibase import base64url_decode
from badgeforge.core.verification.context import (
    ACCEPT_ANY_BADGE,
    MAX_IMAGE_BYTES,
    Session,
    Unfetchable,
    VerifyOptions,
)
from badgeforge.core.verification.inputs import InputKind, InvalidInput, Parsed, read_input
from badgeforge.core.verification.messages import Text, text
from badgeforge.core.verification.ob2 import verify_ob2
from badgeforge.core.verification.ob3 import verify_ob3
from badgeforge.core.verification.report import (
    BadgeFacts,
    Check,
    CheckStatus,
    EndorsementFacts,
    IssuerFacts,
    RecipientFacts,
    Report,
    Verdict,
)

__all__ = [
    "BadgeFacts",
    "Check",
    "CheckStatus",
    "EndorsementFacts",
    "IssuerFacts",
    "RecipientFacts",
    "Report",
    "Text",
    "Verdict",
    "VerifyOptions",
    "text",
    "verify",
]

VC_CONTEXTS = ("https://www.w3.org/ns/credentials/v2", "https://www.w3.org/2018/credentials/v1")


def _is_vc(document: Mapping[str, Any]) -> bool:
    context = document.get("@context")
    first = context[0] if isinstance(context, list) and context else context
    types = document.get("type")
    return first in VC_CONTEXTS or (isinstance(types, list) and "VerifiableCredential" in types)


def _jws_payload(token: str) -> dict[str, Any]:
    try:
        payload = json.loads(base64url_decode(token.split(".")[1]))
    except (ValueError, IndexError, RecursionError):
        return {}
    return payload if isinstance(payload, dict) else {}


def _jws_algorithm_refused(report: Report, token: str) -> bool:
    try:
        header = json.loads(base64url_decode(token.split(".")[0]))
    except (ValueError, RecursionError):
        return False
    if isinstance(header, dict) and header.get("alg") not in ALGORITHMS:
        report.failed("proof", "proof.jwt_algorithm", f"alg {str(header.get('alg'))[:40]!r}")
        return True
    return False


def _dispatch_jws(report: Report, session: Session, token: str) -> None:
    if _jws_algorithm_refused(report, token):
        return
    payload = _jws_payload(token)
    if "vc" in payload or _is_vc(payload):
        verify_ob3(report, session, token)
    else:
        verify_ob2(report, session, token, signed=True)


def _dispatch_json(report: Report, session: Session, document: dict[str, Any]) -> None:
    if _is_vc(document):
        verify_ob3(report, session, document)
        return
    verification = document.get("verification")
    kind = verification.get("type") if isinstance(verification, dict) else None
    if kind in ("SignedBadge", "signed"):
        report.failed("structure", "structure.signed_needs_jws")
        return
    verify_ob2(report, session, document, signed=False)


def _dispatch_url(report: Report, session: Session, url: str, depth: int) -> None:
    try:
        fetched = session.fetch(url, ACCEPT_ANY_BADGE, MAX_IMAGE_BYTES)
    except Unfetchable as error:
        report.failed("hosted", error.code, error.detail, url=error.url)
        return
    if fetched.status != 200 or depth > 0:
        verify_ob2(report, session, url, signed=False)
        return
    try:
        parsed = read_input(fetched.body)
    except InvalidInput as error:
        report.failed("hosted", "fetch.not_json", error.detail, url=url)
        return
    if parsed.kind is InputKind.JSON and not _is_vc(parsed.value):  # type: ignore[arg-type]
        verify_ob2(report, session, url, signed=False)
    else:
        _dispatch(report, session, parsed, depth + 1)


def _dispatch(report: Report, session: Session, parsed: Parsed, depth: int = 0) -> None:
    if parsed.kind is InputKind.URL:
        _dispatch_url(report, session, str(parsed.value), depth)
    elif parsed.kind is InputKind.JWS:
        _dispatch_jws(report, session, str(parsed.value))
    elif isinstance(parsed.value, dict):
        _dispatch_json(report, session, parsed.value)


def _read(report: Report, data: Any) -> Parsed | None:
    try:
        parsed = read_input(data)
    except InvalidInput as error:
        report.failed("input", error.code, error.detail)
        return None
    container = f" ({parsed.container.upper()})" if parsed.container else ""
    report.passed("input", f"input.{parsed.kind.value}", container=container)
    return parsed


def verify(data: bytes | str | Mapping[str, Any], options: VerifyOptions) -> Report:
    """Verify a badge of any supported kind; always returns a report, never raises."""
    report = Report()
    try:
        parsed = _read(report, data)
        if parsed is not None:
            _dispatch(report, Session(options), parsed)
    except Exception as error:  # the last line: a bug here must still answer with a report
        report.failed("input", "internal.error", type(error).__name__)
    return report
