"""Public, unauthenticated URLs of Open Badges 3.0 credentials, keys and status lists."""

import json
from typing import Any, Literal
from uuid import UUID

from fastapi import APIRouter, Header, Response

from badgeforge.caching import with_etag
from badgeforge.db import ReadsDep, SessionDep
from badgeforge.problems import Gone, NotFound, problem_responses
from badgeforge.public import credentials as service
from badgeforge.public import links as paths
from badgeforge.public.links import LinksDep

router = APIRouter(tags=["public"], responses=problem_responses(NotFound))

VC_MEDIA_TYPES = ("application/vc+ld+json", "application/vc", "application/ld+json")
_CORS = {"Access-Control-Allow-Origin": "*"}
_KEY_URL = "https://badges.example.fr/ob3/keys/8c1f0d2e-4b6a-4f3e-9d7c-2a5b8e1f0c3d"
_ISSUER_URL = "https://badges.example.fr/ob3/issuers/6f1c2a8e-3b7d-4c1e-9a55-0d2b8f3e4a10"
_MULTIKEY = {
    "id": _KEY_URL,
    "type": "Multikey",
    "controller": _ISSUER_URL,
    "publicKeyMultibase": "z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi",
}
_CONTROLLER = {
    "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
    "id": _ISSUER_URL,
    "verificationMethod": [_MULTIKEY],
    "assertionMethod": [_KEY_URL],
}
_CREDENTIAL = {
    "@context": [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json",
    ],
    "id": "https://badges.example.fr/ob3/credentials/5d2e8c1a-7b3f-4e9d-a6c0-1f4b8e2d9a73",
    "type": ["VerifiableCredential", "OpenBadgeCredential"],
    "issuer": {"id": _ISSUER_URL, "type": ["Profile"], "name": "ESAT Les Ateliers du Val"},
    "validFrom": "2026-12-01T10:00:00Z",
    "credentialSubject": {"type": ["AchievementSubject"], "achievement": {"name": "…"}},
    "proof": {"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022", "proofValue": "z…"},
}
_JWKS = {"keys": [{"kty": "OKP", "crv": "Ed25519", "x": "S96v3i6ovu…", "kid": _KEY_URL}]}
_STATUS_LIST = {
    "type": ["VerifiableCredential", "BitstringStatusListCredential"],
    "credentialSubject": {"type": "BitstringStatusList", "encodedList": "uH4sIAAAAAAA…"},
}
_REVOCATION_LIST = {"id": "…/revocations", "revokedCredential": [{"id": "…", "revoked": True}]}
_JSON_CONTENT = {"application/json": {"example": _CONTROLLER}}


def _json(body: str | dict[str, Any], media_type: str, *, cache: str) -> Response:
    text = (
        body
        if isinstance(body, str)
        else json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    )
    response = Response(
        text.encode("utf-8"),
        media_type=f"{media_type}; charset=utf-8",
        headers={**_CORS, "Cache-Control": cache, "Vary": "Accept"},
    )
    return with_etag(response)


def _credential_media_type(accept: str | None) -> str:
    """``application/vc+ld+json`` (or the type asked for) when asked, else JSON."""
    for media_type in VC_MEDIA_TYPES:
        if accept and media_type in accept.lower():
            return media_type
    return "application/json"


@router.get(
    paths.CREDENTIAL_PATH,
    summary="OB 3.0 credential (Data Integrity)",
    response_class=Response,
    responses={
        200: {
            "content": {
                "application/json": {"example": _CREDENTIAL},
                "application/vc+ld+json": {"example": _CREDENTIAL},
            }
        }
    },
)
def get_credential(
    award_id: UUID,
    reads: ReadsDep,
    accept: str | None = Header(default=None, include_in_schema=False),
) -> Response:
    """The award as an OpenBadgeCredential with an `eddsa-rdfc-2022` proof, byte for byte
    as issued. `application/vc+ld+json` when asked for, JSON by default. Revocation is
    published in the status list its `credentialStatus` names."""
    body = service.credential(reads, award_id)
    return _json(body, _credential_media_type(accept), cache="no-cache")


@router.get(
    paths.CREDENTIAL_JWT_PATH,
    summary="OB 3.0 credential (VC-JWT)",
    response_class=Response,
    responses={200: {"content": {"text/plain": {"example": "eyJhbGciOiJSUzI1NiIs…"}}}},
)
def get_credential_jwt(award_id: UUID, reads: ReadsDep) -> Response:
    """The same credential as a VC-JWT (compact JWS, RS256), as `text/plain`."""
    body = service.credential_jwt(reads, award_id)
    headers = {**_CORS, "Cache-Control": "no-cache"}
    return with_etag(Response(body, media_type="text/plain; charset=utf-8", headers=headers))


@router.get(
    paths.CREDENTIAL_BAKED_IMAGE_PATH,
    summary="Baked badge image (OB 3.0)",
    response_class=Response,
    responses={
        200: {"content": {"image/png": {}, "image/svg+xml": {}}},
        **problem_responses(Gone),
    },
)
def get_baked_credential(
    award_id: UUID, extension: Literal["png", "svg"], reads: ReadsDep
) -> Response:
    """The badge image with the credential baked in (PNG `iTXt` `openbadgecredential`, SVG
    `openbadges:credential`), in the award's default proof format. A revoked award
    answers `410 Gone`."""
    media_type = paths.MEDIA_TYPES[extension]
    baked = service.baked_credential(reads, award_id, media_type)
    headers = {
        **_CORS,
        "Cache-Control": "no-cache",
        "Content-Disposition": f'inline; filename="credential-{award_id}.{extension}"',
    }
    return with_etag(Response(baked.data, media_type=media_type, headers=headers), baked.etag)


@router.get(
    paths.OB3_ISSUER_PATH,
    summary="Issuer controller document (OB 3.0)",
    response_class=Response,
    responses={200: {"content": _JSON_CONTENT}},
)
def get_ob3_issuer(issuer_id: UUID, session: SessionDep, links: LinksDep) -> Response:
    """The issuer's OB 3.0 identifier: a controller document listing its Ed25519 keys
    under `assertionMethod` (what Data Integrity verifiers check a proof's key against)."""
    document = service.issuer_controller(session, links, issuer_id)
    return _json(document, "application/json", cache="public, max-age=300")


@router.get(
    paths.OB3_ISSUER_DID_PATH,
    summary="Issuer DID document (did:web)",
    response_class=Response,
    responses={200: {"content": {"application/did+json": {"example": _CONTROLLER}}}},
)
def get_issuer_did(issuer_id: UUID, session: SessionDep, links: LinksDep) -> Response:
    """The DID document `did:web` resolution fetches for this issuer."""
    document = service.issuer_did_document(session, links, issuer_id)
    return _json(document, "application/did+json", cache="public, max-age=300")


@router.get(
    paths.OB3_ISSUER_JWKS_PATH,
    summary="Issuer JSON Web Key Set",
    response_class=Response,
    responses={200: {"content": {"application/jwk-set+json": {"example": _JWKS}}}},
)
def get_issuer_jwks(issuer_id: UUID, session: SessionDep, links: LinksDep) -> Response:
    """The issuer's published public keys as a JWKS (`kid` = the key's URL)."""
    document = service.jwks(session, links, issuer_id)
    return _json(document, "application/jwk-set+json", cache="public, max-age=300")


@router.get(
    paths.JWKS_PATH,
    summary="JSON Web Key Set of every issuer",
    response_class=Response,
    responses={200: {"content": {"application/jwk-set+json": {"example": _JWKS}}}},
)
def get_jwks(session: SessionDep, links: LinksDep) -> Response:
    """Every published key of this service, for VC-JWT key provenance checks."""
    document = service.jwks(session, links)
    return _json(document, "application/jwk-set+json", cache="public, max-age=300")


@router.get(
    paths.OB3_KEY_PATH,
    summary="Public key (Multikey or JWK)",
    response_class=Response,
    responses={
        200: {
            "content": {
                "application/json": {
                    "example": {"@context": "https://w3id.org/security/multikey/v1", **_MULTIKEY}
                },
                "application/jwk+json": {"example": {"kty": "RSA", "n": "…", "e": "AQAB"}},
            }
        }
    },
)
def get_ob3_key(key_id: UUID, reads: ReadsDep, links: LinksDep) -> Response:
    """An Ed25519 key as a `Multikey` document (a proof's `verificationMethod`), or an RSA
    key as its bare public JWK (a VC-JWT's `kid`)."""
    document = service.key_document(reads, links, key_id)
    media_type = "application/json" if "@context" in document else "application/jwk+json"
    return _json(document, media_type, cache="public, max-age=300")


@router.get(
    paths.STATUS_LIST_PATH,
    summary="Bitstring status list credential",
    response_class=Response,
    responses={
        200: {
            "content": {
                "application/json": {"example": _STATUS_LIST},
                "application/vc+ld+json": {"example": _STATUS_LIST},
            }
        }
    },
)
def get_status_list(
    list_id: UUID,
    reads: ReadsDep,
    accept: str | None = Header(default=None, include_in_schema=False),
) -> Response:
    """The signed `BitstringStatusListCredential` (revocation). It is signed again the
    moment an award in it is revoked, so caches revalidate it on each use (ETag)."""
    body = service.status_list_credential(reads, list_id)
    return _json(body, _credential_media_type(accept), cache="no-cache")


@router.get(
    paths.OB3_REVOCATION_LIST_PATH,
    summary="Issuer revocation list (1EdTech)",
    response_class=Response,
    responses={200: {"content": {"application/json": {"example": _REVOCATION_LIST}}}},
)
def get_ob3_revocation_list(issuer_id: UUID, reads: ReadsDep, links: LinksDep) -> Response:
    """The issuer's `1EdTechRevocationList`: `revokedCredential` entries."""
    document = service.revocation_list(reads, links, issuer_id)
    return _json(document, "application/json", cache="no-cache")
