"""The W3C Verifiable Credentials data model (1.1 and 2.0), checked before signing or verifying.

Safe-mode canonicalization (:mod:`.canonical`) already refuses undefined terms and
identifiers that are not IRIs; this module checks what JSON-LD cannot: the base context
comes first, ``VerifiableCredential`` is a type, there is a ``credentialSubject`` with
claims, and dates are XML Schema date-times. VC 1.1 credentials secured with a
``DataIntegrityProof`` need the Data Integrity context, which is appended as
digitalbazaar's ``DataIntegrityProof.ensureSuiteContext`` does (VC 2.0 includes it).
"""

import copy
import enum
import re
from datetime import UTC, datetime
from typing import Any

from badgeforge.core.errors import InvalidDocument

VC_V1_CONTEXT = "https://www.w3.org/2018/credentials/v1"
VC_V2_CONTEXT = "https://www.w3.org/ns/credentials/v2"
DATA_INTEGRITY_CONTEXT = "https://w3id.org/security/data-integrity/v2"

Document = dict[str, Any]

_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:\S+")
_DATE_TIME = re.compile(
    r"-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?P<zone>Z|[+-]\d{2}:\d{2})?"
)


class VcVersion(enum.StrEnum):
    """Which data model a credential follows, from its first ``@context``."""

    V1 = "1.1"
    V2 = "2.0"


def contexts_of(document: Document) -> list[Any]:
    """The ``@context`` as a list (a single context becomes a one-item list)."""
    context = document.get("@context")
    if context is None:
        return []
    return context if isinstance(context, list) else [context]


def version_of(credential: Document) -> VcVersion:
    """The data model of ``credential``; InvalidDocument if its first context is neither."""
    contexts = contexts_of(credential)
    first = contexts[0] if contexts else None
    if first == VC_V2_CONTEXT:
        return VcVersion.V2
    if first == VC_V1_CONTEXT:
        return VcVersion.V1
    raise InvalidDocument(f"the first @context must be {VC_V2_CONTEXT} or {VC_V1_CONTEXT}")


def parse_date_time(value: Any, name: str, *, zone_required: bool) -> datetime:
    """An XML Schema ``dateTime`` (``dateTimeStamp`` when ``zone_required``), as UTC."""
    match = _DATE_TIME.fullmatch(value) if isinstance(value, str) else None
    if match is None or (zone_required and match.group("zone") is None):
        kind = "date-time with a time zone" if zone_required else "date-time"
        raise InvalidDocument(f"{name} must be an XML Schema {kind}, not {value!r}")
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as error:
        raise InvalidDocument(f"{name} is not a valid date-time: {value!r}") from error
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _is_url(value: Any) -> bool:
    return isinstance(value, str) and _URL.fullmatch(value) is not None


def _objects(value: Any, name: str) -> list[Document]:
    items = value if isinstance(value, list) else [value]
    if not items or not all(isinstance(item, dict) for item in items):
        raise InvalidDocument(f"{name} must be an object or a non-empty array of objects")
    return items


def _check_types(credential: Document) -> None:
    types = credential.get("type")
    names = types if isinstance(types, list) else [types]
    if not names or not all(isinstance(name, str) for name in names):
        raise InvalidDocument("type must be a string or an array of strings")
    if "VerifiableCredential" not in names:
        raise InvalidDocument("type must include VerifiableCredential")


def _check_issuer(issuer: Any) -> None:
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    if not _is_url(issuer_id):
        raise InvalidDocument("issuer must be a URL or an object whose id is a URL")


def _check_dates(credential: Document, version: VcVersion) -> None:
    if version is VcVersion.V2:
        for name in ("validFrom", "validUntil"):
            if name in credential:
                parse_date_time(credential[name], name, zone_required=True)
        return
    if "issuanceDate" not in credential:
        raise InvalidDocument("a VC 1.1 credential needs an issuanceDate")
    for name in ("issuanceDate", "expirationDate"):
        if name in credential:
            parse_date_time(credential[name], name, zone_required=False)


def check_credential(credential: Any, *, issuer_required: bool = True) -> VcVersion:
    """Check the data model rules of a credential (its proof aside); returns its version.

    Raises InvalidDocument naming the first rule broken.
    """
    if not isinstance(credential, dict):
        raise InvalidDocument("a credential must be a JSON object")
    version = version_of(credential)
    _check_types(credential)
    if "id" in credential and not _is_url(credential["id"]):
        raise InvalidDocument("id must be a URL")
    if "credentialSubject" not in credential:
        raise InvalidDocument("credentialSubject is required")
    for subject in _objects(credential["credentialSubject"], "credentialSubject"):
        if not subject:
            raise InvalidDocument("each credentialSubject must make at least one claim")
    if issuer_required or "issuer" in credential:
        _check_issuer(credential.get("issuer"))
    for name in ("credentialStatus", "credentialSchema", "evidence", "refreshService"):
        if name in credential:
            for item in _objects(credential[name], name):
                if "type" not in item:
                    raise InvalidDocument(f"every {name} needs a type")
    _check_dates(credential, version)
    return version


def issuer_id(credential: Document) -> str | None:
    """The issuer's id (``issuer`` is a string or an object with ``id``)."""
    issuer = credential.get("issuer")
    value = issuer.get("id") if isinstance(issuer, dict) else issuer
    return value if isinstance(value, str) else None


def prepared_for_signing(credential: Document, issuer: str, now: datetime) -> Document:
    """A copy of ``credential`` issued by ``issuer``, ready for a ``DataIntegrityProof``.

    The issuer's id is replaced (an issuer object keeps its other members); a VC 1.1
    credential gets ``issuanceDate`` (now) when it has none and the Data Integrity context.
    """
    prepared = copy.deepcopy(credential)
    current = prepared.get("issuer")
    prepared["issuer"] = {**current, "id": issuer} if isinstance(current, dict) else issuer
    if version_of(prepared) is VcVersion.V1:
        prepared.setdefault("issuanceDate", now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
        contexts = contexts_of(prepared)
        if DATA_INTEGRITY_CONTEXT not in contexts:
            prepared["@context"] = [*contexts, DATA_INTEGRITY_CONTEXT]
    return prepared


def validity_period(credential: Document) -> tuple[datetime | None, datetime | None]:
    """When the credential starts and stops being valid (``validFrom``/``validUntil``, or
    ``issuanceDate``/``expirationDate`` in VC 1.1)."""
    version = version_of(credential)
    start_name, end_name = (
        ("validFrom", "validUntil")
        if version is VcVersion.V2
        else ("issuanceDate", "expirationDate")
    )
    zone_required = version is VcVersion.V2
    start, end = credential.get(start_name), credential.get(end_name)
    return (
        None if start is None else parse_date_time(start, start_name, zone_required=zone_required),
        None if end is None else parse_date_time(end, end_name, zone_required=zone_required),
    )
