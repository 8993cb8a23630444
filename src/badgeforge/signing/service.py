"""Issuer keys: made on first need, rotated, retired, re-sealed under a new master key.

Every issuer has one active Ed25519 key (Data Integrity) and one active RSA key (OB 2.0
JWS, VC-JWT). Rotation makes a new active key and keeps the old one published; retiring
withdraws a rotated key. Private keys are unsealed only to sign, never returned.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from cryptography.hazmat.primitives.asymmetric import ed25519, rsa
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, undefer

from badgeforge.core.errors import SigningError
from badgeforge.core.keys import (
    KeyAlgorithm,
    KeyVault,
    PrivateKey,
    generate_private_key,
    public_key_pem,
    public_multikey,
)
from badgeforge.db import RowLock, lock_rows, utcnow
from badgeforge.issuers.models import Issuer
from badgeforge.pagination import PageParams, Slice, keyset_page
from badgeforge.problems import Conflict, NotFound
from badgeforge.security import Principal
from badgeforge.signing.models import KeyStatus, SigningKey
from badgeforge.tenancy import ScopedRepository

PUBLISHED = (KeyStatus.ACTIVE, KeyStatus.ROTATED)
_STATUS = SigningKey.__table__.c.status
IS_PUBLISHED = _STATUS.in_(
    [bindparam(f"published_{status.value}", status, _STATUS.type) for status in PUBLISHED]
)
"""The condition "verifiers may use this key", built once: ``IN (?, ?)`` with fixed
parameters (a plain list expands, rendered again at each execution, and SQLite plans the
``OR`` form three times slower)."""


class SigningKeyRepository(ScopedRepository[SigningKey]):
    model = SigningKey
    label = "signing key"


@dataclass(frozen=True)
class Signer:
    """An issuer's active key of one algorithm, unsealed for the duration of a signing."""

    key: SigningKey
    private_key: PrivateKey

    def ed25519(self) -> ed25519.Ed25519PrivateKey:
        """The private key, which must be Ed25519."""
        if not isinstance(self.private_key, ed25519.Ed25519PrivateKey):
            raise SigningError("this key is not an Ed25519 key")
        return self.private_key

    def rsa(self) -> rsa.RSAPrivateKey:
        """The private key, which must be RSA."""
        if not isinstance(self.private_key, rsa.RSAPrivateKey):
            raise SigningError("this key is not an RSA key")
        return self.private_key


def _new_key(vault: KeyVault, issuer: Issuer, algorithm: KeyAlgorithm) -> SigningKey:
    private = generate_private_key(algorithm)
    public = private.public_key()
    return SigningKey(
        organisation_id=issuer.organisation_id,
        issuer_id=issuer.id,
        algorithm=algorithm,
        status=KeyStatus.ACTIVE,
        public_key_pem=public_key_pem(public),
        public_key_multibase=(
            public_multikey(public)  # type: ignore[arg-type]
            if algorithm is KeyAlgorithm.ED25519
            else None
        ),
        sealed_private_key=vault.seal(private),
    )


def _active(session: Session, issuer_id: UUID) -> dict[KeyAlgorithm, SigningKey]:
    keys = session.scalars(
        select(SigningKey)
        .options(undefer(SigningKey.sealed_private_key))
        .where(SigningKey.issuer_id == issuer_id, SigningKey.status == KeyStatus.ACTIVE)
    )
    return {key.algorithm: key for key in keys}


def ensure_active_keys(
    session: Session, vault: KeyVault, issuer: Issuer
) -> dict[KeyAlgorithm, SigningKey]:
    """The issuer's active keys, creating any that are missing.

    Creation locks the issuer row first, so concurrent first awards make one key each.
    """
    active = _active(session, issuer.id)
    if len(active) == len(KeyAlgorithm):
        return active
    session.scalar(lock_rows(select(Issuer).where(Issuer.id == issuer.id), RowLock.NO_KEY_UPDATE))
    active = _active(session, issuer.id)
    for algorithm in KeyAlgorithm:
        if algorithm not in active:
            active[algorithm] = _new_key(vault, issuer, algorithm)
            session.add(active[algorithm])
    session.flush()
    return active


def signers(session: Session, vault: KeyVault, issuer: Issuer) -> dict[KeyAlgorithm, Signer]:
    """The issuer's active keys, unsealed, to sign an award's documents."""
    return {
        algorithm: Signer(key, vault.open(key.sealed_private_key))
        for algorithm, key in ensure_active_keys(session, vault, issuer).items()
    }


def list_keys(session: Session, principal: Principal, issuer_id: UUID) -> list[SigningKey]:
    """Every key of one of the organisation's issuers, newest first."""
    repository = SigningKeyRepository(session, principal)
    statement = repository.scoped().where(SigningKey.issuer_id == issuer_id)
    return list(session.scalars(statement.order_by(SigningKey.created_at.desc())))


def page_keys(
    session: Session,
    principal: Principal,
    issuer_id: UUID,
    params: PageParams,
    *,
    status: KeyStatus | None = None,
    algorithm: KeyAlgorithm | None = None,
) -> Slice[SigningKey]:
    """One page of an issuer's keys, newest first, optionally of one status or algorithm."""
    statement = SigningKeyRepository(session, principal).scoped()
    statement = statement.where(SigningKey.issuer_id == issuer_id)
    if status is not None:
        statement = statement.where(SigningKey.status == status)
    if algorithm is not None:
        statement = statement.where(SigningKey.algorithm == algorithm)
    return keyset_page(
        session,
        statement,
        params,
        created_at=SigningKey.created_at,
        id=SigningKey.id,
        list_key=f"signing-keys:{issuer_id}",
        filters={"status": status, "algorithm": algorithm},
        descending=True,
    )


def rotate(
    session: Session, vault: KeyVault, issuer: Issuer, algorithm: KeyAlgorithm
) -> SigningKey:
    """Make a new active key of ``algorithm``; the previous one stays published."""
    session.scalar(lock_rows(select(Issuer).where(Issuer.id == issuer.id), RowLock.NO_KEY_UPDATE))
    previous = _active(session, issuer.id).get(algorithm)
    if previous is not None:
        previous.status = KeyStatus.ROTATED
        previous.rotated_at = utcnow()
        session.flush()
    key = _new_key(vault, issuer, algorithm)
    session.add(key)
    session.flush()
    return key


def retire(session: Session, principal: Principal, key_id: UUID) -> SigningKey:
    """Withdraw a rotated key: it is no longer published and what it signed fails."""
    key = SigningKeyRepository(session, principal).get(key_id, lock=RowLock.NO_KEY_UPDATE)
    if key.status is KeyStatus.ACTIVE:
        raise Conflict("An active key cannot be retired; rotate it first.")
    if key.status is KeyStatus.ROTATED:
        key.status = KeyStatus.RETIRED
        key.retired_at = utcnow()
        session.flush()
    return key


def published_keys(
    session: Session, issuer_id: UUID, algorithm: KeyAlgorithm | None = None
) -> Sequence[SigningKey]:
    """An issuer's keys that verifiers may use (active and rotated), oldest first."""
    statement = select(SigningKey).where(SigningKey.issuer_id == issuer_id, IS_PUBLISHED)
    if algorithm is not None:
        statement = statement.where(SigningKey.algorithm == algorithm)
    return session.scalars(statement.order_by(SigningKey.created_at, SigningKey.id)).all()


def published_key(session: Session, key_id: UUID) -> SigningKey:
    """One published key by id (any issuer: public documents), else NotFound."""
    key = session.get(SigningKey, key_id)
    if key is None or key.status not in PUBLISHED:
        raise NotFound(f"No published key with id {key_id}.")
    return key


def reseal_all(session: Session, vault: KeyVault) -> int:
    """Re-encrypt every private key under the vault's first master key; returns the count."""
    keys = session.scalars(select(SigningKey).options(undefer(SigningKey.sealed_private_key)))
    count = 0
    for key in keys:
        key.sealed_private_key = vault.rotate(key.sealed_private_key)
        count += 1
    session.flush()
    return count
