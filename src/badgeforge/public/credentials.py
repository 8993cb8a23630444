"""Hosted Open Badges 3.0: credentials as issued, issuer key documents, status lists.

Issuers are identified (``identifier_style``) by an https URL, a ``did:web`` or a
``did:key``. For URL issuers the issuer URL serves a controller document listing the
Ed25519 keys for ``assertionMethod``, and each key URL a stand-alone ``Multikey`` (or, for
RSA keys, the bare public JWK a VC-JWT ``kid`` names). did:web issuers get a DID document
at the path did:web resolution uses. Status lists are served as last signed.
"""

from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from uuid import UUID

from sqlalchemy import Row, Select, and_, bindparam, select
from sqlalchemy.orm import Session

from badgeforge.core import did, status_list
from badgeforge.core.baking import bake_png_credential, bake_svg_credential
from badgeforge.core.keys import KeyAlgorithm, load_public_key_pem, public_jwk
from badgeforge.db import Reads
from badgeforge.issuance.links import KeyReferences, NamedKey
from badgeforge.issuance.models import IdentifierStyle, ProofFormat, StatusList
from badgeforge.issuers.models import Issuer
from badgeforge.problems import NotFound
from badgeforge.public.baked import BAKED, Baked
from badgeforge.public.links import PublicLinks
from badgeforge.public.service import (
    find_issuer,
    gone,
    image_blob,
    image_digest_column,
    issued_columns,
    revoked_awards,
)
from badgeforge.signing import service as signing
from badgeforge.signing.models import KeyStatus, SigningKey

Document = dict[str, Any]


def credential(reads: Reads, award_id: UUID) -> str:
    """The OB 3.0 credential with its Data Integrity proof, as issued (JSON text).

    Revocation does not change it: verifiers read the status list it names.
    """
    body: str = issued_columns(reads, award_id, "ob3_credential").ob3_credential
    return body


def credential_jwt(reads: Reads, award_id: UUID) -> str:
    """The same credential as a VC-JWT (compact JWS, RS256)."""
    jwt: str = issued_columns(reads, award_id, "ob3_jwt").ob3_jwt
    return jwt


def baked_credential(reads: Reads, award_id: UUID, media_type: str) -> Baked:
    """The badge image carrying the credential in the award's default proof format."""
    digest_column = image_digest_column(media_type)
    columns = (digest_column, "ob3_default", "ob3_jwt", "ob3_credential")
    row = issued_columns(reads, award_id, *columns)
    if row.revoked_at is not None:
        raise gone(row)
    payload: str = (
        row.ob3_jwt if row.ob3_default == ProofFormat.VC_JWT.value else row.ob3_credential
    )

    def bake() -> bytes:
        image = image_blob(reads, row._mapping[digest_column], media_type).data
        if media_type == "image/png":
            return bake_png_credential(image, payload)
        return bake_svg_credential(image, payload)

    return BAKED.get_or_bake(award_id, f"ob3:{media_type}", media_type, bake)


def _references(links: PublicLinks, issuer: Issuer) -> KeyReferences:
    return KeyReferences(links, issuer.id, IdentifierStyle(issuer.identifier_style))


def _multikey(references: KeyReferences, controller: str, key: NamedKey) -> Document:
    if key.public_key_multibase is None:
        raise NotFound(f"Key {key.id} is not an Ed25519 key.")
    return did.multikey_method(references.method(key), controller, key.public_key_multibase)


def issuer_controller(session: Session, links: PublicLinks, issuer_id: UUID) -> Document:
    """The controller document at a URL issuer's OB 3.0 id: its Ed25519 keys."""
    issuer = find_issuer(session, issuer_id)
    references = KeyReferences(links, issuer.id, IdentifierStyle.URL)
    controller = links.ob3_issuer(issuer.id)
    keys = signing.published_keys(session, issuer.id, KeyAlgorithm.ED25519)
    return did.did_document(controller, [_multikey(references, controller, key) for key in keys])


def issuer_did_document(session: Session, links: PublicLinks, issuer_id: UUID) -> Document:
    """The did:web DID document of an issuer: Multikey (Ed25519) and JsonWebKey (RSA)."""
    issuer = find_issuer(session, issuer_id)
    references = KeyReferences(links, issuer.id, IdentifierStyle.DID_WEB)
    identifier = references.did_web()
    methods = []
    for key in signing.published_keys(session, issuer.id):
        if key.algorithm is KeyAlgorithm.ED25519:
            methods.append(_multikey(references, identifier, key))
        else:
            jwk = public_jwk(load_public_key_pem(key.public_key_pem))
            methods.append(did.jwk_method(references.method(key), identifier, jwk))
    return did.did_document(identifier, methods)


@lru_cache(maxsize=256)
def _public_jwk(pem: str) -> tuple[tuple[str, Any], ...]:
    """The JWK members of a PEM public key (parsed once per key and process)."""
    return tuple(public_jwk(load_public_key_pem(pem)).items())


def _jwk(
    links: PublicLinks,
    key: SigningKey | Row[Any],
    style: IdentifierStyle | None,
    active: NamedKey | None,
    *,
    kid: bool,
) -> Document:
    """The public JWK of ``key`` with ``iss`` = its issuer's OB 3.0 identifier.

    The ``iss`` member (allowed by the OB 3.0 spec for multi-issuer platforms) ties the key
    to one issuer, so verifiers need not trust every key on this host. For a did:key issuer
    it is the current did:key (it follows the issuer's ``active`` Ed25519 key). ``style``
    is None when the issuer is gone (no ``iss``).
    """
    jwk: Document = dict(_public_jwk(key.public_key_pem))
    if kid:
        jwk["kid"] = links.ob3_key(key.id)
    if style is not None:
        references = KeyReferences(links, key.issuer_id, style)
        issuer = links.ob3_issuer(key.issuer_id)
        jwk["iss"] = references.identifier(active) if active is not None else issuer
    return jwk


def _issuer_keying(
    session: Session, issuer_id: UUID
) -> tuple[IdentifierStyle | None, SigningKey | None]:
    """An issuer's identifier style and its active Ed25519 key (ORM path: key sets)."""
    issuer = session.get(Issuer, issuer_id)
    if issuer is None:
        return None, None
    ed25519_keys = signing.published_keys(session, issuer.id, KeyAlgorithm.ED25519)
    active = next((k for k in ed25519_keys if k.status is KeyStatus.ACTIVE), None)
    return IdentifierStyle(issuer.identifier_style), active


_KEY = SigningKey.__table__
_ACTIVE = _KEY.alias("active_ed25519")
_ISSUER = Issuer.__table__
_KEY_DOCUMENT: Select[Any] = (
    select(
        _KEY.c.id,
        _KEY.c.issuer_id,
        _KEY.c.algorithm,
        _KEY.c.public_key_pem,
        _KEY.c.public_key_multibase,
        _ISSUER.c.identifier_style,
        _ACTIVE.c.id.label("active_id"),
        _ACTIVE.c.public_key_multibase.label("active_multibase"),
    )
    .select_from(
        _KEY.outerjoin(_ISSUER, _ISSUER.c.id == _KEY.c.issuer_id).outerjoin(
            _ACTIVE,
            and_(
                _ACTIVE.c.issuer_id == _KEY.c.issuer_id,
                _ACTIVE.c.algorithm
                == bindparam("ed25519", KeyAlgorithm.ED25519, _KEY.c.algorithm.type),
                _ACTIVE.c.status == bindparam("active", KeyStatus.ACTIVE, _KEY.c.status.type),
            ),
        )
    )
    .where(
        _KEY.c.id == bindparam("key_id"),
        signing.IS_PUBLISHED,
    )
)
"""Built once: a published key, its issuer's identifier style and active Ed25519 key (at
most one: a unique partial index), in one statement."""


@dataclass(frozen=True)
class _ActiveKey:
    id: UUID
    public_key_multibase: str | None


def key_document(reads: Reads, links: PublicLinks, key_id: UUID) -> Document:
    """A key URL: a Multikey document (Ed25519) or the bare public JWK (RSA, VC-JWT kid)."""
    row = reads.execute(_KEY_DOCUMENT, {"key_id": key_id}).first()
    if row is None:
        raise NotFound(f"No published key with id {key_id}.")
    if row.algorithm is KeyAlgorithm.RSA:
        style = None if row.identifier_style is None else IdentifierStyle(row.identifier_style)
        active = None if row.active_id is None else _ActiveKey(row.active_id, row.active_multibase)
        return _jwk(links, row, style, active, kid=False)
    references = KeyReferences(links, row.issuer_id, IdentifierStyle.URL)
    controller = references.identifier(row)
    return {
        "@context": did.MULTIKEY_CONTEXT,
        **_multikey(references, controller, row),
    }


def jwks(session: Session, links: PublicLinks, issuer_id: UUID | None = None) -> Document:
    """A JSON Web Key Set of published keys (one issuer's, or every issuer's)."""
    statement = select(SigningKey).where(SigningKey.status.in_(signing.PUBLISHED))
    if issuer_id is not None:
        find_issuer(session, issuer_id)
        statement = statement.where(SigningKey.issuer_id == issuer_id)
    keys = session.scalars(statement.order_by(SigningKey.created_at, SigningKey.id)).all()
    return {
        "keys": [
            _jwk(links, key, *_issuer_keying(session, key.issuer_id), kid=True) for key in keys
        ]
    }


_STATUS_LIST = StatusList.__table__
_STATUS_LIST_CREDENTIAL = select(_STATUS_LIST.c.credential).where(
    _STATUS_LIST.c.id == bindparam("list_id")
)


def status_list_credential(reads: Reads, list_id: UUID) -> str:
    """A signed BitstringStatusListCredential, as last published (JSON text)."""
    credential: str | None = reads.scalar(_STATUS_LIST_CREDENTIAL, {"list_id": list_id})
    if credential is None:
        raise NotFound(f"No status list with id {list_id}.")
    return credential


def revocation_list(reads: Reads, links: PublicLinks, issuer_id: UUID) -> Document:
    """The issuer's 1EdTech Revocation List: ids of its revoked OB 3.0 credentials."""
    rows = revoked_awards(reads, issuer_id, "base_url", "award_id", "revocation_reason")
    revoked = [
        (PublicLinks(base_url).credential(award_id), reason) for base_url, award_id, reason in rows
    ]
    return status_list.revocation_list_document(links.ob3_revocation_list(issuer_id), revoked)
