"""VC-JWT: an OB 3.0 credential secured as a compact JWS (the spec's "JWT proof format").

The payload is the credential itself plus the registered claims the spec maps from it:
``iss`` (issuer id), ``jti`` (credential id), ``nbf`` (``validFrom``), ``sub``
(``credentialSubject.id``, when the subject has one) and ``exp`` (``validUntil``). The
JOSE header holds only ``alg``, ``kid`` and ``typ``. VC 1.1 credentials travel in a
``vc`` claim (with ``issuanceDate``/``expirationDate``); both are read.
"""

from datetime import datetime
from typing import Any

from badgeforge.core.errors import InvalidProof
from badgeforge.core.jws import DecodedJws, decode_compact, sign_compact
from badgeforge.core.keys import PrivateKey

Document = dict[str, Any]


def _numeric_date(value: Any) -> int:
    try:
        return int(datetime.fromisoformat(str(value).replace("Z", "+00:00")).timestamp())
    except ValueError as error:
        raise InvalidProof(f"{value!r} is not an ISO 8601 date-time") from error


def _issuer_id(credential: Document) -> str:
    issuer = credential.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    if not isinstance(issuer_id, str):
        raise InvalidProof("the credential has no issuer id")
    return issuer_id


def _subject_id(credential: Document) -> str | None:
    subject = credential.get("credentialSubject")
    if isinstance(subject, list):
        subject = subject[0] if subject else None
    value = subject.get("id") if isinstance(subject, dict) else None
    return value if isinstance(value, str) else None


def claims_for(credential: Document) -> Document:
    """The JWT payload for a VC 2.0 credential: the credential plus registered claims."""
    claims: Document = dict(credential)
    claims["iss"] = _issuer_id(credential)
    claims["jti"] = credential["id"]
    claims["nbf"] = _numeric_date(credential["validFrom"])
    subject = _subject_id(credential)
    if subject is not None:
        claims["sub"] = subject
    if "validUntil" in credential:
        claims["exp"] = _numeric_date(credential["validUntil"])
    return claims


def sign(credential: Document, key: PrivateKey, kid: str) -> str:
    """The compact VC-JWT of ``credential`` signed with ``key`` (``kid`` names its JWK)."""
    return sign_compact(claims_for(credential), key, {"kid": kid, "typ": "JWT"})


def credential_of(decoded: DecodedJws) -> Document:
    """The credential a decoded VC-JWT carries, after checking its claims agree with it.

    A ``vc`` claim (VC 1.1) holds the credential; otherwise the payload is the credential.
    Raises InvalidProof when ``iss``, ``jti``, ``sub``, ``nbf`` or ``exp`` contradict it.
    """
    payload = decoded.payload
    legacy = "vc" in payload
    credential = payload["vc"] if legacy else payload
    if not isinstance(credential, dict):
        raise InvalidProof("the JWT's vc claim is not a credential object")
    credential = {
        key: value
        for key, value in credential.items()
        if key not in ("iss", "jti", "nbf", "sub", "exp", "iat", "aud")
    }
    if "iss" in payload and payload["iss"] != _issuer_id(credential):
        raise InvalidProof("the JWT's iss claim is not the credential's issuer")
    if "jti" in payload and "id" in credential and payload["jti"] != credential["id"]:
        raise InvalidProof("the JWT's jti claim is not the credential's id")
    subject = _subject_id(credential)
    if "sub" in payload and subject is not None and payload["sub"] != subject:
        raise InvalidProof("the JWT's sub claim is not the credential subject's id")
    start = credential.get("issuanceDate" if legacy else "validFrom")
    if "nbf" in payload and start is not None and payload["nbf"] != _numeric_date(start):
        raise InvalidProof("the JWT's nbf claim differs from the credential's start date")
    end = credential.get("expirationDate" if legacy else "validUntil")
    if "exp" in payload and end is not None and payload["exp"] != _numeric_date(end):
        raise InvalidProof("the JWT's exp claim differs from the credential's end date")
    return credential


def decode(token: str) -> tuple[DecodedJws, Document]:
    """Split a VC-JWT into its decoded JWS and credential (the signature is not checked)."""
    decoded = decode_compact(token)
    return decoded, credential_of(decoded)
