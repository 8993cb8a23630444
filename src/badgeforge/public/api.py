"""Public, unauthenticated URLs of hosted Open Badges 2.0 documents and images."""

import json
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Header, Path, Response

from badgeforge.caching import with_etag
from badgeforge.db import ReadsDep, SessionDep
from badgeforge.middleware import SVG_CSP
from badgeforge.problems import Gone, NotFound, problem_responses
from badgeforge.public import languages, service
from badgeforge.public import links as paths
from badgeforge.public.baked import Baked
from badgeforge.public.links import LinksDep
from badgeforge.public.negotiation import document_media_type, prefers_html

router = APIRouter(tags=["public"], responses=problem_responses(NotFound))

SVG_HEADERS = {
    "Content-Security-Policy": SVG_CSP,
    "X-Content-Type-Options": "nosniff",
}
DOCUMENT_EXAMPLE = {"@context": "https://w3id.org/openbadges/v2", "type": "Assertion", "id": "…"}
_DOCUMENT_CONTENT = {
    "application/json": {"example": DOCUMENT_EXAMPLE},
    "application/ld+json": {"example": DOCUMENT_EXAMPLE},
}
_PUBLIC = {"Cache-Control": "no-cache", "Access-Control-Allow-Origin": "*"}


def _document(
    body: dict[str, Any], accept: str | None, *, status_code: int = 200, cache: str
) -> Response:
    """A document rendered now (live issuer profiles, keys, revocation lists), compact like
    the documents stored at award time."""
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    return _stored(text, accept, status_code=status_code, cache=cache)


def _stored(body: str, accept: str | None, *, status_code: int = 200, cache: str) -> Response:
    """A document exactly as it was stored (issued documents are served byte for byte)."""
    media_type = document_media_type(accept)
    response = Response(
        body.encode("utf-8"),
        status_code=status_code,
        media_type=f"{media_type}; charset=utf-8",
        headers={"Cache-Control": cache, "Vary": "Accept", "Access-Control-Allow-Origin": "*"},
    )
    return with_etag(response)


def _image(image: bytes | Baked, media_type: str, *, cache: str) -> Response:
    """An image response; a cached one (``Baked``) brings its ETag."""
    headers = {"Cache-Control": cache, "Access-Control-Allow-Origin": "*"}
    if media_type == "image/svg+xml":
        headers |= SVG_HEADERS
    if isinstance(image, Baked):
        return with_etag(Response(image.data, media_type=media_type, headers=headers), image.etag)
    return with_etag(Response(image, media_type=media_type, headers=headers))


@router.get(
    paths.ISSUER_PATH,
    summary="Hosted issuer profile",
    response_class=Response,
    responses={200: {"description": "OB 2.0 Issuer Profile", "content": _DOCUMENT_CONTENT}},
)
def get_issuer(
    issuer_id: UUID,
    reads: ReadsDep,
    links: LinksDep,
    accept: str | None = Header(default=None, include_in_schema=False),
) -> Response:
    """The issuer's OB 2.0 Profile as JSON (JSON-LD when asked for `application/ld+json`)."""
    document = service.issuer_document(reads, links, issuer_id)
    return _document(document, accept, cache="public, max-age=300")


@router.get(
    paths.ISSUER_IMAGE_PATH,
    summary="Issuer logo",
    response_class=Response,
    responses={200: {"content": {"image/png": {}, "image/svg+xml": {}}}},
)
def get_issuer_image(issuer_id: UUID, session: SessionDep) -> Response:
    """The issuer's logo, PNG or SVG."""
    data, media_type = service.issuer_image(session, issuer_id)
    return _image(data, media_type, cache="public, max-age=300")


@router.get(
    paths.BADGE_CLASS_PATH,
    summary="Hosted badge class",
    response_class=Response,
    responses={200: {"description": "OB 2.0 BadgeClass", "content": _DOCUMENT_CONTENT}},
)
def get_badge_class(
    badge_class_id: UUID,
    session: SessionDep,
    links: LinksDep,
    accept: str | None = Header(default=None, include_in_schema=False),
) -> Response:
    """The OB 2.0 BadgeClass as JSON (JSON-LD when asked for `application/ld+json`)."""
    document = service.badge_class_document(session, links, badge_class_id)
    return _document(document, accept, cache="public, max-age=300")


@router.get(
    paths.BADGE_CLASS_IMAGE_PATH,
    summary="Badge class image",
    response_class=Response,
    responses={200: {"content": {"image/png": {}, "image/svg+xml": {}}}},
)
def get_badge_class_image(
    badge_class_id: UUID, extension: Literal["png", "svg"], session: SessionDep
) -> Response:
    """The badge image, as PNG or SVG."""
    media_type = paths.MEDIA_TYPES[extension]
    data = service.badge_class_image(session, badge_class_id, media_type)
    return _image(data, media_type, cache="public, max-age=300")


@router.get(
    paths.ASSERTION_PATH,
    summary="Hosted assertion (verify a badge)",
    response_class=Response,
    responses={
        200: {"description": "OB 2.0 Assertion", "content": _DOCUMENT_CONTENT},
        303: {"description": "A browser (prefers `text/html`): see the award page."},
        410: {
            "description": "Revoked: the body says `revoked: true` and gives the reason.",
            "content": {
                "application/json": {"example": {"revoked": True, "revocationReason": "…"}}
            },
        },
    },
)
def get_assertion(
    award_id: UUID,
    reads: ReadsDep,
    accept: str | None = Header(default=None, include_in_schema=False),
) -> Response:
    """The OB 2.0 Assertion of an award: what wallets import and verifiers check.

    A revoked award answers `410 Gone` with `{"revoked": true, "revocationReason": …}`.
    A browser (preferring `text/html`) is redirected (303) to the award page `/badges/{id}`.
    """
    if prefers_html(accept):
        service.issued_columns(reads, award_id)  # 404 for an unknown award, as for JSON
        headers = {"Location": f"/badges/{award_id}", "Vary": "Accept", "Cache-Control": "no-cache"}
        return Response(status_code=303, headers=headers)
    hosted = service.assertion_document(reads, award_id)
    status_code = 410 if hosted.revoked else 200
    return _stored(hosted.body, accept, status_code=status_code, cache="no-cache")


@router.get(
    paths.BAKED_IMAGE_PATH,
    summary="Baked badge image",
    response_class=Response,
    responses={
        200: {"content": {"image/png": {}, "image/svg+xml": {}}},
        **problem_responses(Gone),
    },
)
def get_baked_image(award_id: UUID, extension: Literal["png", "svg"], reads: ReadsDep) -> Response:
    """The badge image with the assertion baked in, ready to upload to a wallet.

    PNG: an `iTXt` chunk `openbadges`; SVG: an `openbadges:assertion` element whose `verify`
    attribute is the assertion URL. A revoked award answers `410 Gone`.
    """
    media_type = paths.MEDIA_TYPES[extension]
    data = service.baked_image(reads, award_id, media_type)
    response = _image(data, media_type, cache="no-cache")
    response.headers["Content-Disposition"] = f'inline; filename="badge-{award_id}.{extension}"'
    return response


@router.get(
    paths.BADGE_CLASS_VERSION_PATH,
    summary="Badge class as awarded",
    response_class=Response,
    responses={200: {"description": "OB 2.0 BadgeClass", "content": _DOCUMENT_CONTENT}},
)
def get_badge_class_version(
    badge_class_id: UUID,
    version: str,
    reads: ReadsDep,
    accept: str | None = Header(default=None, include_in_schema=False),
) -> Response:
    """The BadgeClass exactly as it was when awards were made under it (never changes)."""
    body = service.badge_class_version(reads, badge_class_id, version)
    return _stored(body, accept, cache="public, max-age=86400, immutable")


_LANGUAGE_EXAMPLE = {
    "@context": "https://w3id.org/openbadges/v2",
    "type": "BadgeClass",
    "id": "…/versions/…/en",
    "@language": "en",
    "related": [{"id": "…/versions/…", "@language": "fr"}],
}


@router.get(
    paths.BADGE_CLASS_TRANSLATION_PATH,
    summary="Badge class as awarded, in another language",
    response_class=Response,
    responses={
        200: {
            "description": "OB 2.0 BadgeClass in one language (`@language`)",
            "content": {
                "application/json": {"example": _LANGUAGE_EXAMPLE},
                "application/ld+json": {"example": _LANGUAGE_EXAMPLE},
            },
        }
    },
)
def get_badge_class_translation(
    badge_class_id: UUID,
    version: str,
    language: Annotated[
        str, Path(pattern=r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8}){0,7}$", max_length=35)
    ],
    session: SessionDep,
    accept: str | None = Header(default=None, include_in_schema=False),
) -> Response:
    """The awarded BadgeClass in one of its translations (`en`, `fr-x-falc` for easy-to-read
    French), listed in the main document's `related`; stored when published, never changes."""
    body = languages.badge_class_translation(session, badge_class_id, version, language)
    return _stored(body, accept, cache="public, max-age=86400, immutable")


@router.get(
    paths.IMAGE_BLOB_PATH,
    summary="Badge image as awarded",
    response_class=Response,
    responses={200: {"content": {"image/png": {}, "image/svg+xml": {}}}},
)
def get_image_blob(
    digest: Annotated[str, Path(pattern="^[0-9a-f]{64}$")],
    extension: Literal["png", "svg"],
    reads: ReadsDep,
) -> Response:
    """A badge image by the SHA-256 of its bytes (immutable)."""
    media_type = paths.MEDIA_TYPES[extension]
    data = service.image_blob(reads, digest, media_type)
    return _image(data, media_type, cache="public, max-age=31536000, immutable")


@router.get(
    paths.SIGNED_ASSERTION_PATH,
    summary="Signed assertion (JWS)",
    response_class=Response,
    responses={200: {"content": {"text/plain": {"example": "eyJhbGciOiJSUzI1NiJ9.…"}}}},
)
def get_signed_assertion(award_id: UUID, reads: ReadsDep) -> Response:
    """The award as a signed OB 2.0 assertion: a compact JWS (RS256) whose
    `verification.creator` is the issuer's key. Revocation is published in the issuer's
    `revocationList`, so this stays available after a revocation."""
    body = service.signed_assertion(reads, award_id)
    return with_etag(Response(body, media_type="text/plain; charset=utf-8", headers=_PUBLIC))


@router.get(
    paths.SIGNED_BAKED_IMAGE_PATH,
    summary="Baked badge image (signed assertion)",
    response_class=Response,
    responses={
        200: {"content": {"image/png": {}, "image/svg+xml": {}}},
        **problem_responses(Gone),
    },
)
def get_signed_baked_image(
    award_id: UUID, extension: Literal["png", "svg"], reads: ReadsDep
) -> Response:
    """The badge image with the signed assertion (JWS) baked in."""
    media_type = paths.MEDIA_TYPES[extension]
    data = service.signed_baked_image(reads, award_id, media_type)
    response = _image(data, media_type, cache="no-cache")
    response.headers["Content-Disposition"] = (
        f'inline; filename="badge-{award_id}-signed.{extension}"'
    )
    return response


@router.get(
    paths.OB2_KEY_PATH,
    summary="Issuer public key (OB 2.0 CryptographicKey)",
    response_class=Response,
    responses={200: {"description": "CryptographicKey", "content": _DOCUMENT_CONTENT}},
)
def get_ob2_key(
    key_id: UUID,
    reads: ReadsDep,
    links: LinksDep,
    accept: str | None = Header(default=None, include_in_schema=False),
) -> Response:
    """The RSA public key (`publicKeyPem`) that checks signed assertions."""
    document = service.ob2_key_document(reads, links, key_id)
    return _document(document, accept, cache="public, max-age=300")


@router.get(
    paths.OB2_REVOCATION_LIST_PATH,
    summary="Issuer revocation list (OB 2.0)",
    response_class=Response,
    responses={200: {"description": "RevocationList", "content": _DOCUMENT_CONTENT}},
)
def get_ob2_revocation_list(
    issuer_id: UUID,
    reads: ReadsDep,
    links: LinksDep,
    accept: str | None = Header(default=None, include_in_schema=False),
) -> Response:
    """The issuer's revoked signed assertions (`revokedAssertions`)."""
    document = service.ob2_revocation_list(reads, links, issuer_id)
    return _document(document, accept, cache="no-cache")
