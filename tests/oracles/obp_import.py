"""Test oracle: Open Badge Passport's import and re-check rules, written from salava's code.

An independent re-implementation (httpx, Pillow, minidom; nothing from badgeforge) of what
``openbadgefactory/salava`` does when a learner imports a badge (shared/INTEROP.md §2.3):
the input forms it accepts, OB 2.0 version detection, the same-host rules, recipient
matching against the learner's verified emails, and which evidence it keeps (``parse.clj``,
the evidence ``cond``); signed (JWS) badges checked with the issuer's ``publicKey`` and
``revocationList``. The hourly revocation re-check of hosted badges is in ``obp_recheck``.
"""

import base64
import binascii
import hashlib
import io
import json
import re
from dataclasses import dataclass
from typing import Any

import httpx
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from defusedxml import minidom
from PIL import Image

OB2_CONTEXT = "https://w3id.org/openbadges/v2"
HASHES = {
    "sha1": hashlib.sha1,
    "sha256": hashlib.sha256,
    "sha512": hashlib.sha512,
    "md5": hashlib.md5,
}


class ImportRejected(Exception):
    """Open Badge Passport would refuse this badge; the message says which rule."""


@dataclass(frozen=True)
class ImportedEvidence:
    """One row of salava's ``user_badge_evidence`` (the fields its ``Evidence`` schema keeps)."""

    url: str | None = None
    narrative: str | None = None
    name: str | None = None
    description: str | None = None
    genre: str | None = None
    audience: str | None = None


@dataclass(frozen=True)
class ImportedBadge:
    assertion: dict[str, Any]
    badge_class: dict[str, Any]
    issuer: dict[str, Any]
    image: bytes
    evidence: list[ImportedEvidence]


_EVIDENCE_FIELDS = {
    "url": "id",
    "narrative": "narrative",
    "name": "name",
    "description": "description",
    "genre": "genre",
    "audience": "audience",
}


def _evidence_record(item: Any) -> ImportedEvidence:
    """``(get-in … [:evidence :id])`` etc.; the ``valid-badge`` schema wants strings or nil."""
    values = {field: item.get(key) for field, key in _EVIDENCE_FIELDS.items()}
    for field, value in values.items():
        if value is not None and not isinstance(value, str):
            raise ImportRejected(f"schema: evidence {field} is not a string")
    return ImportedEvidence(**values)


def imported_evidence(assertion: dict[str, Any]) -> list[ImportedEvidence]:
    """The evidence ``cond`` of ``badge-content :v2.0``: the first alternative that applies wins.

    1. ``narrative`` is a string: one record with that narrative; ``evidence`` is ignored.
    2. ``evidence`` is a string: one record with that URL.
    3. ``evidence`` is an object: one record from its id, narrative, name, description, genre
       and audience.
    4. ``evidence`` is a list: ``(mapv #({:id nil …}) …)`` calls a map literal with no
       argument, so any non-empty list throws ``ArityException`` and the import fails; an
       empty list gives no record.
    5. anything else: no record.
    """
    narrative, evidence = assertion.get("narrative"), assertion.get("evidence")
    if isinstance(narrative, str):
        return [ImportedEvidence(narrative=narrative)]
    if isinstance(evidence, str):
        return [ImportedEvidence(url=evidence)]
    if isinstance(evidence, dict):
        return [_evidence_record(evidence)]
    if isinstance(evidence, list):
        if evidence:
            raise ImportRejected(
                "ArityException: Wrong number of args (0) passed to: PersistentHashMap "
                "(parse.clj maps #({...}) over a list of evidence)"
            )
        return []
    return []


def _host(url: str) -> str:
    match = re.match(r"^https?://([^/]+)", url)
    if match is None:
        raise ImportRejected(f"not an http(s) URL: {url}")
    return match.group(1)


def _plain_get_json(url: str) -> dict[str, Any]:
    """salava's http-get: no Accept header, body parsed as JSON whatever its type."""
    with httpx.Client(follow_redirects=True, timeout=30) as client:
        del client.headers["Accept"]
        response = client.get(url)
    if response.status_code >= 400:
        raise ImportRejected(f"{url} answered HTTP {response.status_code}")
    try:
        document: dict[str, Any] = json.loads(response.content)
    except ValueError as exc:
        raise ImportRejected(f"{url} did not answer JSON to a request without Accept") from exc
    return document


def _json_get(url: str) -> dict[str, Any]:
    response = httpx.get(url, headers={"Accept": "application/json"}, follow_redirects=True)
    document: dict[str, Any] = response.json()
    return document


def _baked_text(data: bytes) -> str:
    if data.startswith(b"\x89PNG"):
        text = Image.open(io.BytesIO(data)).text  # tEXt, zTXt and iTXt chunks
        value = text.get("openbadges") or text.get("openbadge")
        if not value:
            raise ImportRejected("PNG has no openbadges text chunk")
        return str(value)
    document = minidom.parseString(data)
    stack = [(document.documentElement, 0)]
    while stack:
        element, depth = stack.pop()
        if element.tagName == "openbadges:assertion":  # raw tag name, as clojure.xml sees it
            verify = element.getAttribute("verify")
            if not verify:
                raise ImportRejected("SVG openbadges:assertion has no verify attribute")
            return str(verify)
        if depth < 10:
            stack.extend((child, depth + 1) for child in element.childNodes if child.nodeType == 1)
    raise ImportRejected("SVG has no openbadges:assertion element")


def _fetch_hosted(text: str) -> tuple[dict[str, Any], str]:
    text = text.strip()
    if re.match(r"^https?://", text):
        return _plain_get_json(text), text
    if text.startswith("{"):
        embedded = json.loads(text)
        verification = embedded.get("verification") or embedded.get("verify") or {}
        if str(verification.get("type", "")).lower() not in ("hosted", "hostedbadge"):
            raise ImportRejected("embedded JSON is accepted only for hosted badges")
        url = verification.get("url") or embedded["id"]
        return _plain_get_json(url), url
    raise ImportRejected("only URLs and hosted JSON are handled by this oracle")


_JWS = re.compile(r".+\..+\..+", re.DOTALL)  # str->badge's :jws test, after :url and :json
_JWS_HASHES: dict[str, hashes.HashAlgorithm] = {
    "rs256": hashes.SHA256(),
    "rs384": hashes.SHA384(),
    "rs512": hashes.SHA512(),
}


def _b64url_json(part: str) -> dict[str, Any]:
    try:
        value: dict[str, Any] = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    except (ValueError, binascii.Error) as exc:
        raise ImportRejected(f"JWS part is not base64url JSON: {exc}") from exc
    return value


def _document(value: Any) -> dict[str, Any]:
    """An embedded object, or the JSON at a URL (``json-get``)."""
    return value if isinstance(value, dict) else _json_get(str(value))


def _verified_jws(token: str) -> dict[str, Any]:
    """``str->badge :jws`` (new style, OB 2.0): the key is the issuer's ``publicKey``, which
    must equal ``verification.creator``; its JSON gives ``publicKeyPem``; the alg comes from
    the header, lower-cased, one of ``signed.clj``'s rs256/384/512. Returns the payload."""
    raw_header, raw_payload, raw_signature = token.split(".")
    header, payload = _b64url_json(raw_header), _b64url_json(raw_payload)
    creator = (payload.get("verification") or {}).get("creator")
    issuer = _document(_document(payload["badge"])["issuer"])
    if not creator or issuer.get("publicKey") != creator:
        raise ImportRejected("JWS: the issuer's publicKey is not verification.creator")
    public_key = serialization.load_pem_public_key(str(_document(creator)["publicKeyPem"]).encode())
    algorithm = _JWS_HASHES.get(str(header.get("alg", "")).lower())
    if algorithm is None or not isinstance(public_key, rsa.RSAPublicKey):
        raise ImportRejected(f"JWS: unsupported algorithm {header.get('alg')!r}")
    signature = base64.urlsafe_b64decode(raw_signature + "=" * (-len(raw_signature) % 4))
    try:
        public_key.verify(
            signature,
            f"{raw_header}.{raw_payload}".encode("ascii"),
            padding.PKCS1v15(),
            algorithm,
        )
    except InvalidSignature as exc:
        raise ImportRejected("JWS: the signature does not verify") from exc
    return payload


def signed_revocation(token: str) -> bool:
    """The re-check of a JWS badge: re-verified, then looked up in the issuer's
    ``revocationList`` (``revokedAssertions``: ids, or objects with ``id``)."""
    assertion = _verified_jws(token.strip())
    issuer = _document(_document(assertion["badge"])["issuer"])
    if not issuer.get("revocationList"):
        return False
    revoked = _document(issuer["revocationList"]).get("revokedAssertions") or []
    ids = {item.get("id") if isinstance(item, dict) else item for item in revoked}
    return assertion["id"] in ids


def _recipient_matches(recipient: dict[str, Any], email: str) -> bool:
    variants = {email, email.upper(), email.lower(), email.capitalize()}
    identity = str(recipient.get("identity", ""))
    if not recipient.get("hashed"):
        return identity in variants
    algorithm, _, digest = identity.partition("$")
    if algorithm not in HASHES:
        return False
    salt = str(recipient.get("salt") or "")
    return any(
        HASHES[algorithm]((variant + salt).encode()).hexdigest() == digest.lower()
        for variant in variants
    )


def import_badge(data: str | bytes, *, verified_emails: list[str]) -> ImportedBadge:
    """Import like Open Badge Passport: raises ImportRejected with the failing rule."""
    text = (_baked_text(data) if isinstance(data, bytes) else data).strip()
    fetched_from: str | None = None
    if re.match(r"^https?://", text) or "{" in text or not _JWS.search(text):
        assertion, fetched_from = _fetch_hosted(text)
    else:
        assertion = _verified_jws(text)
    if "id" not in assertion or assertion.get("@context") != OB2_CONTEXT:
        raise ImportRejected("not detected as OB 2.0 (needs id and the plain-string v2 context)")
    badge_url = (
        assertion["badge"] if isinstance(assertion["badge"], str) else assertion["badge"]["id"]
    )
    if fetched_from is not None:  # verify-assertion: hosted badges imported from a URL only
        if not (
            fetched_from.startswith(assertion["id"])
            or _host(fetched_from) == _host(assertion["id"])
        ):
            raise ImportRejected("assertion fetched from another host than its id")
        if _host(badge_url) != _host(assertion["id"]):
            raise ImportRejected("BadgeClass not on the same host as the assertion")
    if not any(_recipient_matches(assertion["recipient"], email) for email in verified_emails):
        raise ImportRejected("Userdoesnotownthisbadge")
    evidence = imported_evidence(assertion)  # badge-content: before the BadgeClass is fetched
    badge_class = _json_get(badge_url)
    issuer = badge_class["issuer"]
    issuer = _json_get(issuer) if isinstance(issuer, str) else issuer
    image_url = (
        badge_class["image"]
        if isinstance(badge_class["image"], str)
        else badge_class["image"]["id"]
    )
    image = httpx.get(image_url, follow_redirects=True).content
    if not (image.startswith(b"\x89PNG") or b"<svg" in image[:1024]):
        raise ImportRejected("badge image is neither PNG nor SVG")
    return ImportedBadge(assertion, badge_class, issuer, image, evidence)
