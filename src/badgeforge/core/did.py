"""Decentralized identifiers for issuers: ``did:web`` (hosted) and ``did:key`` (self-contained).

``did:web:host%3Aport:path:segments`` resolves to ``https://host:port/path/segments/did.json``
(or ``/.well-known/did.json`` without a path). A DID document lists each key as a
verification method and under ``assertionMethod``: Ed25519 keys as ``Multikey``, RSA
keys as ``JsonWebKey``.
"""

from typing import Any
from urllib.parse import quote, unquote, urlsplit

from badgeforge.core.errors import InvalidDocument
from badgeforge.core.multibase import decode_multikey

DID_CONTEXT = "https://www.w3.org/ns/did/v1"
MULTIKEY_CONTEXT = "https://w3id.org/security/multikey/v1"
JWK_CONTEXT = "https://w3id.org/security/jwk/v1"

Document = dict[str, Any]


def did_web(url: str) -> str:
    """The ``did:web`` identifier of an https (or, for local use, http) URL."""
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise InvalidDocument(f"{url!r} is not an http(s) URL")
    authority = quote(parts.netloc, safe="")
    segments = [quote(unquote(segment), safe="") for segment in parts.path.split("/") if segment]
    return ":".join(["did:web", authority, *segments])


def did_web_document_url(did: str, scheme: str = "https") -> str:
    """Where a ``did:web`` document is fetched from (did:web method spec, Read)."""
    if not did.startswith("did:web:"):
        raise InvalidDocument(f"{did!r} is not a did:web identifier")
    identifier = did[len("did:web:") :].split("#", 1)[0]
    authority, *segments = identifier.split(":")
    host = unquote(authority)
    if not host or "/" in host or "@" in host:
        raise InvalidDocument(f"{did!r} has no valid host")
    path = "/".join(unquote(segment) for segment in segments)
    if any(part in ("", ".", "..") for part in path.split("/")) and segments:
        raise InvalidDocument(f"{did!r} has an invalid path")
    suffix = f"/{path}/did.json" if segments else "/.well-known/did.json"
    return f"{scheme}://{host}{suffix}"


def did_key(public_key_multibase: str) -> str:
    """The ``did:key`` of an Ed25519 ``publicKeyMultibase`` (``did:key:z6Mk…``)."""
    key_type, _ = decode_multikey(public_key_multibase)
    if key_type != "Ed25519":
        raise InvalidDocument("only Ed25519 did:key identifiers are issued")
    return f"did:key:{public_key_multibase}"


def multikey_method(method_id: str, controller: str, public_key_multibase: str) -> Document:
    """A ``Multikey`` verification method."""
    return {
        "id": method_id,
        "type": "Multikey",
        "controller": controller,
        "publicKeyMultibase": public_key_multibase,
    }


def jwk_method(method_id: str, controller: str, public_jwk: dict[str, str]) -> Document:
    """A ``JsonWebKey`` verification method (RSA keys, VC-JWT)."""
    jwk = {key: value for key, value in public_jwk.items() if key != "kid"}
    return {
        "id": method_id,
        "type": "JsonWebKey",
        "controller": controller,
        "publicKeyJwk": jwk,
    }


def did_document(did: str, methods: list[Document]) -> Document:
    """A DID document whose verification methods all serve ``assertionMethod``."""
    contexts = [DID_CONTEXT, MULTIKEY_CONTEXT]
    if any(method["type"] == "JsonWebKey" for method in methods):
        contexts.append(JWK_CONTEXT)
    return {
        "@context": contexts,
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": [method["id"] for method in methods],
    }


def resolve_did_key(did: str) -> Document:
    """The DID document of a ``did:key`` (no network: the key is in the identifier)."""
    if not did.startswith("did:key:"):
        raise InvalidDocument(f"{did!r} is not a did:key identifier")
    multibase = did[len("did:key:") :].split("#", 1)[0]
    decode_multikey(multibase)
    method = multikey_method(f"did:key:{multibase}#{multibase}", f"did:key:{multibase}", multibase)
    return did_document(f"did:key:{multibase}", [method])
