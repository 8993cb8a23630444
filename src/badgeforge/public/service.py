"""Hosted Open Badges 2.0 documents and images, readable by anyone who has the URL.

These queries are deliberately not tenant-scoped: a public URL is the capability. They
return only what the documents publish (never the recipient's plain email). An award's
documents are the ones frozen when it was issued (``badgeforge.issuance``); issuer
profiles, key documents and revocation lists are live.
"""

import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from uuid import UUID

from sqlalchemy import Row, Select, and_, bindparam, select
from sqlalchemy.orm import Session, undefer

from badgeforge.awards.models import Award
from badgeforge.badge_classes import service as badge_classes
from badgeforge.badge_classes.content import version_record as badge_class_record
from badgeforge.badge_classes.models import BadgeClass, BadgeClassVersion
from badgeforge.core import ob2, ob2_signing
from badgeforge.core.baking import bake_png, bake_svg
from badgeforge.core.keys import KeyAlgorithm
from badgeforge.core.records import IssuerRecord
from badgeforge.db import Reads
from badgeforge.issuance.models import BadgeClassSnapshot, ImageBlob, IssuedAward
from badgeforge.issuers.models import Issuer
from badgeforge.problems import Gone, NotFound
from badgeforge.public.baked import BAKED, IMAGES, Baked
from badgeforge.public.links import PublicLinks
from badgeforge.signing import service as signing
from badgeforge.signing.models import SigningKey


@dataclass(frozen=True)
class HostedAssertion:
    """An assertion document (stored text) and whether it has been revoked."""

    body: str
    revoked: bool


@dataclass(frozen=True)
class IssuedState:
    """An award, what it was issued with, and its revocation."""

    award: Award
    issued: IssuedAward

    @property
    def revoked(self) -> bool:
        return self.award.revoked_at is not None


def find_issuer(session: Session, issuer_id: UUID) -> Issuer:
    """An issuer by id (any organisation: public documents), else NotFound."""
    issuer = session.get(Issuer, issuer_id)
    if issuer is None:
        raise NotFound(f"No issuer with id {issuer_id}.")
    return issuer


def _badge_class(session: Session, badge_class_id: UUID) -> BadgeClass:
    badge_class = session.get(BadgeClass, badge_class_id)
    if badge_class is None:
        raise NotFound(f"No badge class with id {badge_class_id}.")
    return badge_class


def _published(
    session: Session, badge_class_id: UUID, *, with_images: bool = False
) -> tuple[BadgeClass, BadgeClassVersion]:
    """A badge class and its published version; NotFound before its first publication."""
    badge_class = _badge_class(session, badge_class_id)
    if badge_class.published_number is None:
        raise NotFound(f"Badge class {badge_class_id} is not published yet.")
    number = badge_class.published_number
    return badge_class, badge_classes.version(session, badge_class, number, with_images=with_images)


_AWARD = Award.__table__
_ISSUED = IssuedAward.__table__


@lru_cache(maxsize=32)
def _issued_statement(columns: tuple[str, ...]) -> Select[Any]:
    """Built once per column set: an award's revocation and the named issued columns."""
    joined = _AWARD.join(_ISSUED, _ISSUED.c.award_id == _AWARD.c.id)
    return (
        select(_AWARD.c.revoked_at, _AWARD.c.revocation_reason, *(_ISSUED.c[c] for c in columns))
        .select_from(joined)
        .where(_AWARD.c.id == bindparam("award_id"))
    )


def issued_columns(reads: Reads, award_id: UUID, *columns: str) -> Row[Any]:
    """One row: ``revoked_at``, ``revocation_reason`` and the named ``issued_award`` columns.

    The public hot paths read only what they serve, with a statement built once (no ORM
    objects, no statement construction per request); NotFound as ``issued_state``.
    """
    row = reads.execute(_issued_statement(columns), {"award_id": award_id}).first()
    if row is None:
        raise NotFound(f"No badge award with id {award_id}.")
    return row


def gone(row: Row[Any]) -> Gone:
    """The 410 of a revoked award read by ``issued_columns``."""
    return Gone("This badge has been revoked.", revocationReason=row.revocation_reason)


_ISSUED_STATE = (
    select(Award, IssuedAward)
    .join(IssuedAward, IssuedAward.award_id == Award.id)
    .where(Award.id == bindparam("award_id"))
)
"""Built once: constructing it (and its cache key) cost as much as running it."""


def issued_state(session: Session, award_id: UUID) -> IssuedState:
    """The award and its frozen documents, or NotFound."""
    row = session.execute(_ISSUED_STATE, {"award_id": award_id}).first()
    if row is None:
        raise NotFound(f"No badge award with id {award_id}.")
    return IssuedState(row[0], row[1])


_ISSUER = Issuer.__table__
_KEY = SigningKey.__table__
_SNAPSHOT = BadgeClassSnapshot.__table__
_ISSUER_COLUMNS = (
    *(_ISSUER.c[name] for name in ("id", "name", "url", "email", "description", "telephone")),
    _ISSUER.c.language,
    _ISSUER.c.image_media_type,
)
_ISSUER_WITH_KEYS: Select[Any] = (
    select(*_ISSUER_COLUMNS, _KEY.c.id.label("key_id"))
    .select_from(
        _ISSUER.outerjoin(
            _KEY,
            and_(
                _KEY.c.issuer_id == _ISSUER.c.id,
                signing.IS_PUBLISHED,
                _KEY.c.algorithm == bindparam("algorithm"),
            ),
        )
    )
    .where(_ISSUER.c.id == bindparam("issuer_id"))
    .order_by(_KEY.c.created_at, _KEY.c.id)
)
_PUBLISHED_KEY: Select[Any] = select(
    _KEY.c.id, _KEY.c.issuer_id, _KEY.c.algorithm, _KEY.c.public_key_pem
).where(_KEY.c.id == bindparam("key_id"), signing.IS_PUBLISHED)
_SNAPSHOT_DOCUMENT = select(_SNAPSHOT.c.document).where(
    _SNAPSHOT.c.badge_class_id == bindparam("badge_class_id"),
    _SNAPSHOT.c.version == bindparam("version"),
)
"""The documents a verifier fetches after an assertion are read as the assertion is: only
the columns they publish, in one statement each, built once (no ORM objects)."""
_BADGE_CLASS = BadgeClass.__table__
_ISSUER_EXISTS = select(_ISSUER.c.id).where(_ISSUER.c.id == bindparam("issuer_id"))


@lru_cache(maxsize=8)
def _revoked_statement(columns: tuple[str, ...]) -> Select[Any]:
    """Built once per column set: an issuer's revoked awards, oldest revocation first.

    It goes from the issuer's badge classes to their revoked awards only (the partial
    index ``ix_award_revoked_by_badge_class``), never through all the awards it issued.
    Inner joins: the condition must be in the WHERE clause for SQLite to use that index.
    """
    tables = _BADGE_CLASS.join(_AWARD, _AWARD.c.badge_class_id == _BADGE_CLASS.c.id).join(
        _ISSUED, _ISSUED.c.award_id == _AWARD.c.id
    )
    return (
        select(*(_ISSUED.c[c] if c in _ISSUED.c else _AWARD.c[c] for c in columns))
        .select_from(tables)
        .where(_BADGE_CLASS.c.issuer_id == bindparam("issuer_id"), _AWARD.c.revoked_at.is_not(None))
        .order_by(_AWARD.c.revoked_at, _AWARD.c.id)
    )


def revoked_awards(reads: Reads, issuer_id: UUID, *columns: str) -> list[tuple[Any, ...]]:
    """The named columns (``issued_award``'s, else ``award``'s) of every revoked award of an
    issuer, oldest revocation first; NotFound without such an issuer."""
    rows = reads.execute(_revoked_statement(columns), {"issuer_id": issuer_id}).all()
    if not rows and reads.scalar(_ISSUER_EXISTS, {"issuer_id": issuer_id}) is None:
        raise NotFound(f"No issuer with id {issuer_id}.")
    return [tuple(row) for row in rows]


def issuer_with_keys(
    reads: Reads, issuer_id: UUID, algorithm: KeyAlgorithm
) -> tuple[IssuerRecord, list[UUID]]:
    """What an issuer's public documents show, and the ids of its published keys of one
    algorithm (oldest first); NotFound without such an issuer."""
    parameters = {"issuer_id": issuer_id, "algorithm": algorithm}
    rows = reads.execute(_ISSUER_WITH_KEYS, parameters).all()
    if not rows:
        raise NotFound(f"No issuer with id {issuer_id}.")
    fields = rows[0]._asdict()
    del fields["key_id"]
    has_image = fields.pop("image_media_type") is not None
    keys = [row.key_id for row in rows if row.key_id is not None]
    return IssuerRecord(**fields, has_image=has_image), keys


def published_key(reads: Reads, key_id: UUID) -> Row[Any]:
    """One published key (``id``, ``issuer_id``, ``algorithm``, ``public_key_pem``), else
    NotFound."""
    row = reads.execute(_PUBLISHED_KEY, {"key_id": key_id}).first()
    if row is None:
        raise NotFound(f"No published key with id {key_id}.")
    return row


def issuer_document(reads: Reads, links: PublicLinks, issuer_id: UUID) -> dict[str, Any]:
    """The hosted OB 2.0 Issuer Profile, with its published RSA keys and revocation list."""
    issuer, keys = issuer_with_keys(reads, issuer_id, KeyAlgorithm.RSA)
    return ob2.issuer_profile(
        issuer,
        links,
        public_keys=[links.ob2_key(key_id) for key_id in keys],
        revocation_list=links.ob2_revocation_list(issuer.id),
    )


def issuer_image(session: Session, issuer_id: UUID) -> tuple[bytes, str]:
    """The issuer's logo and its media type."""
    issuer = session.get(Issuer, issuer_id, options=[undefer(Issuer.image_data)])
    if issuer is None or issuer.image_data is None or issuer.image_media_type is None:
        raise NotFound(f"No logo for issuer {issuer_id}.")
    return issuer.image_data, issuer.image_media_type


def badge_class_document(
    session: Session, links: PublicLinks, badge_class_id: UUID
) -> dict[str, Any]:
    """The hosted OB 2.0 BadgeClass of the published version (awards point at their own)."""
    badge_class, version = _published(session, badge_class_id)
    return ob2.badge_class(badge_class_record(badge_class, version), links)


def badge_class_version(reads: Reads, badge_class_id: UUID, version: str) -> str:
    """A BadgeClass exactly as it was awarded (stored JSON text)."""
    parameters = {"badge_class_id": badge_class_id, "version": version}
    document: str | None = reads.scalar(_SNAPSHOT_DOCUMENT, parameters)
    if document is None:
        raise NotFound(f"No version {version} of badge class {badge_class_id}.")
    return document


def badge_class_image(session: Session, badge_class_id: UUID, media_type: str) -> bytes:
    """The image of the published version, PNG or SVG. A class never published has none
    here: its designers see its drafts through the private preview of the API."""
    _, version = _published(session, badge_class_id, with_images=True)
    return version.image_png if media_type == "image/png" else version.image_svg


_BLOB = ImageBlob.__table__
_IMAGE_BLOB = select(_BLOB.c.data).where(
    _BLOB.c.sha256 == bindparam("sha256"), _BLOB.c.media_type == bindparam("media_type")
)


def image_blob(reads: Reads, digest: str, media_type: str) -> Baked:
    """A stored badge image by its SHA-256 (what an award was issued with).

    Content-addressed, hence immutable: kept in a bounded in-process cache.
    """

    def load() -> bytes:
        parameters = {"sha256": digest.lower(), "media_type": media_type}
        data: bytes | None = reads.scalar(_IMAGE_BLOB, parameters)
        if data is None:
            raise NotFound(f"No {media_type} image {digest}.")
        return data

    return IMAGES.get_or_bake(digest.lower(), media_type, media_type, load)


def assertion_document(reads: Reads, award_id: UUID) -> HostedAssertion:
    """The hosted OB 2.0 Assertion as issued, or its short revoked form."""
    row = issued_columns(reads, award_id, "ob2_assertion", "base_url")
    if row.revoked_at is None:
        return HostedAssertion(row.ob2_assertion, revoked=False)
    links = PublicLinks(row.base_url)
    revoked = ob2.revoked_assertion(award_id, row.revocation_reason, links)
    return HostedAssertion(json.dumps(revoked, ensure_ascii=False), revoked=True)


def image_digest_column(media_type: str) -> str:
    """The ``issued_award`` column holding the digest of the image in ``media_type``."""
    return "image_png_sha256" if media_type == "image/png" else "image_svg_sha256"


def baked_image(reads: Reads, award_id: UUID, media_type: str) -> Baked:
    """The badge image with the hosted assertion baked in (PNG iTXt or SVG element).

    Revocation is read on every call; the baked bytes are cached (they never change).
    """
    digest_column = image_digest_column(media_type)
    row = issued_columns(reads, award_id, digest_column, "ob2_assertion")
    if row.revoked_at is not None:
        raise gone(row)
    assertion: str = row.ob2_assertion

    def bake() -> bytes:
        image = image_blob(reads, row._mapping[digest_column], media_type).data
        if media_type == "image/png":
            return bake_png(image, assertion)
        verify = json.loads(assertion)["id"]
        return bake_svg(image, verify=verify, assertion_json=assertion)

    return BAKED.get_or_bake(award_id, f"ob2:{media_type}", media_type, bake)


def signed_assertion(reads: Reads, award_id: UUID) -> str:
    """The signed OB 2.0 assertion (compact JWS); revocation is in the issuer's list."""
    jws: str = issued_columns(reads, award_id, "ob2_jws").ob2_jws
    return jws


def signed_baked_image(reads: Reads, award_id: UUID, media_type: str) -> Baked:
    """The badge image with the signed assertion (JWS) baked in."""
    digest_column = image_digest_column(media_type)
    row = issued_columns(reads, award_id, digest_column, "ob2_jws")
    if row.revoked_at is not None:
        raise gone(row)
    jws: str = row.ob2_jws

    def bake() -> bytes:
        image = image_blob(reads, row._mapping[digest_column], media_type).data
        if media_type == "image/png":
            return bake_png(image, jws)
        return bake_svg(image, verify=jws)

    return BAKED.get_or_bake(award_id, f"ob2-signed:{media_type}", media_type, bake)


def ob2_key_document(reads: Reads, links: PublicLinks, key_id: UUID) -> dict[str, Any]:
    """The OB 2.0 CryptographicKey of a published RSA key."""
    key = published_key(reads, key_id)
    if key.algorithm is not KeyAlgorithm.RSA:
        raise NotFound(f"No OB 2.0 key with id {key_id}.")
    return ob2_signing.cryptographic_key(
        links.ob2_key(key.id), links.issuer(key.issuer_id), key.public_key_pem
    )


def ob2_revocation_list(reads: Reads, links: PublicLinks, issuer_id: UUID) -> dict[str, Any]:
    """The issuer's OB 2.0 RevocationList: every revoked signed assertion."""
    rows = revoked_awards(reads, issuer_id, "ob2_signed_id", "revocation_reason")
    return ob2_signing.revocation_list(
        links.ob2_revocation_list(issuer_id),
        links.issuer(issuer_id),
        [(signed_id, reason) for signed_id, reason in rows],
    )
