"""Find the public key behind a proof's ``verificationMethod`` or a JWT's ``kid``/``jwk``.

Resolution (SPEC §5.2, §5.3), and who controls the key:

- ``did:key:z…``: offline; controller is the DID.
- ``did:web:…#frag``: the DID document fetched from :func:`did_web_document_url`; the
  method must be listed there (and under ``assertionMethod`` when the list exists);
  controller is the DID.
- ``X#z6Mk…`` (a multikey fragment): the key is the fragment, controller X, no network.
- an http(s) URL: a ``Multikey``/``JsonWebKey`` document (its ``controller``), a
  controller document listing the method (its ``id``), a JWK Set with that ``kid``, a
  bare JWK (controlled by its ``iss`` member, or by an http(s) issuer on the same origin
  whose ``/.well-known/jwks.json`` lists the kid), or an OB 2.0 ``CryptographicKey``.

A key verifies a credential only when the issuer's id is among its controllers; that
judgement is left to the caller.
"""

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from badgeforge.core.did import did_web_document_url, resolve_did_key
from badgeforge.core.errors import CoreError, InvalidDocument, UnresolvedKey
from badgeforge.core.jws import VerifyingKey
from badgeforge.core.keys import load_public_key_pem
from badgeforge.core.multibase import base64url_decode, decode_multikey
from badgeforge.core.verification.context import Session

Document = dict[str, Any]
_CURVES: dict[str, ec.EllipticCurve] = {"P-256": ec.SECP256R1(), "P-384": ec.SECP384R1()}


@dataclass(frozen=True)
class Key:
    """A resolved public key, the method id it was found under, and its controllers."""

    method_id: str
    controllers: frozenset[str]
    public_key: VerifyingKey


def multikey_public_key(value: Any) -> VerifyingKey:
    """The public key of a ``publicKeyMultibase`` (Ed25519, P-256, P-384)."""
    if not isinstance(value, str):
        raise UnresolvedKey("publicKeyMultibase must be a string")
    try:
        key_type, raw = decode_multikey(value)
        if key_type == "Ed25519":
            return ed25519.Ed25519PublicKey.from_public_bytes(raw)
        return ec.EllipticCurvePublicKey.from_encoded_point(_CURVES[key_type], raw)
    except (InvalidDocument, ValueError) as error:
        raise UnresolvedKey(f"unreadable publicKeyMultibase: {error}") from error


def _int(value: Any) -> int:
    return int.from_bytes(base64url_decode(value), "big")


def jwk_public_key(jwk: Any) -> VerifyingKey:
    """The public key of a JWK (RSA, EC P-256/P-384, OKP Ed25519); never a private one."""
    if not isinstance(jwk, dict) or "d" in jwk:
        raise UnresolvedKey("a public JWK object is needed (and never a private one)")
    try:
        kty = jwk.get("kty")
        if kty == "RSA":
            return rsa.RSAPublicNumbers(_int(jwk["e"]), _int(jwk["n"])).public_key()
        if kty == "EC" and jwk.get("crv") in _CURVES:
            curve = _CURVES[jwk["crv"]]
            return ec.EllipticCurvePublicNumbers(_int(jwk["x"]), _int(jwk["y"]), curve).public_key()
        if kty == "OKP" and jwk.get("crv") == "Ed25519":
            return ed25519.Ed25519PublicKey.from_public_bytes(base64url_decode(jwk["x"]))
    except (KeyError, TypeError, ValueError, InvalidDocument) as error:
        raise UnresolvedKey(f"unreadable JWK: {error}") from error
    raise UnresolvedKey(f"unsupported JWK type {jwk.get('kty')!r} / {jwk.get('crv')!r}")


def _method_key(method: Document) -> VerifyingKey:
    if "publicKeyMultibase" in method:
        return multikey_public_key(method["publicKeyMultibase"])
    if "publicKeyJwk" in method:
        return jwk_public_key(method["publicKeyJwk"])
    if "publicKeyPem" in method and isinstance(method["publicKeyPem"], str):
        try:
            return load_public_key_pem(method["publicKeyPem"])
        except CoreError as error:
            raise UnresolvedKey(str(error)) from error
    raise UnresolvedKey("the verification method carries no public key")


def _listed(document: Document, method_id: str) -> Document | None:
    base = str(document.get("id", ""))
    methods = document.get("verificationMethod", [])
    for method in methods if isinstance(methods, list) else [methods]:
        if isinstance(method, dict):
            found = str(method.get("id", ""))
            if found == method_id or (found.startswith("#") and base + found == method_id):
                return method
    return None


def _did_web(session: Session, method_id: str) -> Key:
    did = method_id.split("#", 1)[0]
    try:
        url = did_web_document_url(did)
    except InvalidDocument as error:
        raise UnresolvedKey(str(error)) from error
    document = session.fetch_json(url)
    if document.get("id") != did:
        raise UnresolvedKey(f"the DID document at {url} is not the document of {did}")
    method = _listed(document, method_id)
    if method is None:
        raise UnresolvedKey(f"{method_id} is not a verification method of {did}")
    assertion = document.get("assertionMethod")
    if isinstance(assertion, list) and not any(
        item == method_id
        or (isinstance(item, str) and did + item == method_id)
        or (isinstance(item, dict) and item.get("id") == method_id)
        for item in assertion
    ):
        raise UnresolvedKey(f"{method_id} is not an assertionMethod of {did}")
    return Key(method_id, frozenset({did}), _method_key(method))


def _did_key(method_id: str) -> Key:
    did, _, fragment = method_id.partition("#")
    try:
        resolve_did_key(did)
    except InvalidDocument as error:
        raise UnresolvedKey(f"{did} is not a valid did:key: {error}") from error
    multibase = did[len("did:key:") :]
    if fragment and fragment != multibase:
        raise UnresolvedKey(f"{method_id} names no key of {did}")
    return Key(method_id, frozenset({did}), multikey_public_key(multibase))


def _fragment_multikey(method_id: str) -> Key | None:
    controller, _, fragment = method_id.partition("#")
    if not fragment.startswith("z") or not controller:
        return None
    try:
        decode_multikey(fragment)
    except InvalidDocument:
        return None
    return Key(method_id, frozenset({controller}), multikey_public_key(fragment))


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def _jwk_controllers(session: Session, kid: str, jwk: Document, issuer: str | None) -> set[str]:
    if isinstance(jwk.get("iss"), str):
        return {jwk["iss"]}
    if issuer is None or not issuer.lower().startswith(("https://", "http://")):
        return set()
    if _origin(issuer) != _origin(kid):
        return set()
    keys = session.fetch_json(_origin(issuer) + "/.well-known/jwks.json").get("keys")
    listed = isinstance(keys, list) and any(
        isinstance(item, dict) and item.get("kid") == kid for item in keys
    )
    return {issuer} if listed else set()


def _from_url(session: Session, method_id: str, issuer: str | None) -> Key:
    document = session.fetch_json(method_id)
    if isinstance(document.get("keys"), list):
        jwk = next(
            (k for k in document["keys"] if isinstance(k, dict) and k.get("kid") == method_id),
            None,
        )
        if jwk is None:
            raise UnresolvedKey(f"the JWK Set at {method_id} has no key {method_id}")
        return Key(
            method_id,
            frozenset(_jwk_controllers(session, method_id, jwk, issuer)),
            jwk_public_key(jwk),
        )
    if "kty" in document:
        controllers = _jwk_controllers(session, method_id, document, issuer)
        return Key(method_id, frozenset(controllers), jwk_public_key(document))
    method = document if document.get("id") == method_id else _listed(document, method_id)
    if method is None:
        raise UnresolvedKey(f"the document at {method_id} does not describe that key")
    owner = method.get("controller", method.get("owner"))
    if method is not document:
        if owner not in (None, document.get("id")):
            raise UnresolvedKey(f"{method_id} is controlled by {owner}, not by its document")
        owner = document.get("id")
    if not isinstance(owner, str):
        raise UnresolvedKey(f"the key at {method_id} names no controller")
    return Key(method_id, frozenset({owner}), _method_key(method))


def resolve(session: Session, method_id: Any, issuer: str | None) -> Key:
    """The key a proof or JWT names; raises UnresolvedKey or context.Unfetchable."""
    if not isinstance(method_id, str) or ":" not in method_id:
        raise UnresolvedKey("the key reference must be a URL or DID")
    if method_id.startswith("did:key:"):
        return _did_key(method_id)
    if method_id.startswith("did:web:"):
        return _did_web(session, method_id)
    fragment = _fragment_multikey(method_id)
    if fragment is not None:
        return fragment
    if method_id.lower().startswith(("https://", "http://")):
        return _from_url(session, method_id, issuer)
    raise UnresolvedKey(f"{method_id} uses a method that cannot be resolved here")


def resolve_jwk_header(session: Session, jwk: Any, issuer: str | None) -> Key:
    """An inline ``jwk`` header: trusted only when the issuer's own keys include it."""
    public_key = jwk_public_key(jwk)
    if issuer is not None and issuer.startswith("did:key:"):
        issuer_key = _did_key(issuer).public_key
        return Key(
            "jwk", frozenset({issuer} if _same(issuer_key, public_key) else set()), public_key
        )
    if issuer is not None and issuer.lower().startswith(("https://", "http://")):
        keys = session.fetch_json(_origin(issuer) + "/.well-known/jwks.json").get("keys")
        for item in keys if isinstance(keys, list) else []:
            try:
                if _same(jwk_public_key(item), public_key):
                    return Key("jwk", frozenset({issuer}), public_key)
            except UnresolvedKey:
                continue
    return Key("jwk", frozenset(), public_key)


def _same(first: VerifyingKey, second: VerifyingKey) -> bool:
    der = (serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return first.public_bytes(*der) == second.public_bytes(*der)
