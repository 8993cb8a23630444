"""Organisations and their API keys."""

from uuid import UUID

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from badgeforge.access.models import ApiKey, Organisation
from badgeforge.db import RowLock, lock_rows, utcnow
from badgeforge.pagination import PageParams, Slice, keyset_page
from badgeforge.problems import Conflict, NotFound
from badgeforge.security import Principal, Scope, generate_key


def create_organisation(session: Session, name: str) -> Organisation:
    """Create a tenant. Used by the command line (there is no cross-tenant HTTP API)."""
    organisation = Organisation(name=name)
    session.add(organisation)
    session.flush()
    return organisation


def create_key(
    session: Session, organisation_id: UUID, name: str, scopes: list[Scope]
) -> tuple[ApiKey, str]:
    """Create a key; returns the stored row and the secret token, which is not kept."""
    generated = generate_key()
    key = ApiKey(
        organisation_id=organisation_id,
        name=name,
        prefix=generated.prefix,
        secret_hash=generated.secret_hash,
        scopes=sorted({scope.value for scope in scopes}),
    )
    session.add(key)
    session.flush()
    return key, generated.token


def get_organisation(session: Session, principal: Principal) -> Organisation:
    """The caller's organisation."""
    organisation = session.get(Organisation, principal.organisation_id)
    if organisation is None:
        raise NotFound("Your organisation no longer exists.")
    return organisation


def _scoped_keys(principal: Principal) -> Select[ApiKey]:
    return select(ApiKey).where(ApiKey.organisation_id == principal.organisation_id)


def list_keys(
    session: Session, principal: Principal, params: PageParams, *, revoked: bool | None = None
) -> Slice[ApiKey]:
    """The organisation's keys, newest first, revoked ones included unless ``revoked``
    says which."""
    statement = _scoped_keys(principal)
    if revoked is not None:
        revoked_at = ApiKey.revoked_at
        statement = statement.where(revoked_at.is_not(None) if revoked else revoked_at.is_(None))
    return keyset_page(
        session,
        statement,
        params,
        created_at=ApiKey.created_at,
        id=ApiKey.id,
        list_key="api-keys",
        filters={"revoked": revoked},
        descending=True,
    )


def _lock_organisation(session: Session, principal: Principal) -> None:
    # One revocation at a time per organisation, so two admin keys revoking each other
    # cannot both count the other as the remaining admin. Rows that refer to the
    # organisation (awards, issuers...) are still inserted meanwhile (no key update).
    statement = select(Organisation.id).where(Organisation.id == principal.organisation_id)
    session.execute(lock_rows(statement, RowLock.NO_KEY_UPDATE))


def revoke_key(session: Session, principal: Principal, key_id: UUID) -> ApiKey:
    """Revoke a key at once. The last active admin key cannot be revoked (no lock-out)."""
    _lock_organisation(session, principal)
    keys = _scoped_keys(principal).execution_options(populate_existing=True)
    key = session.scalar(keys.where(ApiKey.id == key_id))
    if key is None:
        raise NotFound(f"No API key with id {key_id}.")
    if key.revoked_at is not None:
        raise Conflict("This API key is already revoked.")
    if Scope.ADMIN.value in key.scopes:
        active_admins = [
            other
            for other in session.scalars(keys.where(ApiKey.revoked_at.is_(None)))
            if Scope.ADMIN.value in other.scopes
        ]
        if len(active_admins) <= 1:
            raise Conflict("This is the organisation's last admin key; create another first.")
    key.revoked_at = utcnow()
    session.flush()
    return key
