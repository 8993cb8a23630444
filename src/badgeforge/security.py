"""API keys: generation, hashing, authentication and scopes.

A key looks like ``bf_<prefix>_<secret>``. The prefix is stored in clear so staff can tell
keys apart; the whole key is stored only as a SHA-256 digest (keys are 256-bit random, so a
slow password hash adds nothing). Every authenticated request yields a :class:`Principal`
bound to one organisation, which repositories use to scope every query.
"""

import hashlib
import hmac
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated
from uuid import UUID

from fastapi import BackgroundTasks, Depends
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from badgeforge.db import SessionDep
from badgeforge.key_usage import KeyStore, KeyUsage, StoredKey, key_store, key_usage
from badgeforge.problems import Forbidden, Unauthorized

KEY_MARKER = "bf"
_PREFIX = re.compile(r"[0-9a-f]{12}")  # secrets.token_hex(6)


class Scope(StrEnum):
    """What an API key may do. ``admin`` implies every other scope."""

    READ = "read"
    ISSUE = "issue"
    MANAGE = "manage"
    ADMIN = "admin"


SCOPE_DESCRIPTIONS = {
    Scope.READ: "read issuers, badge classes and awards",
    Scope.ISSUE: "award and revoke badges (implies read)",
    Scope.MANAGE: "create and change issuers and badge classes (implies read)",
    Scope.ADMIN: "manage API keys (implies every scope)",
}

_IMPLIED: dict[Scope, frozenset[Scope]] = {
    Scope.READ: frozenset({Scope.READ}),
    Scope.ISSUE: frozenset({Scope.ISSUE, Scope.READ}),
    Scope.MANAGE: frozenset({Scope.MANAGE, Scope.READ}),
    Scope.ADMIN: frozenset(Scope),
}


@dataclass(frozen=True)
class GeneratedKey:
    """A new key: ``token`` is shown once, the rest is what gets stored."""

    token: str
    prefix: str
    secret_hash: str


@dataclass(frozen=True)
class Principal:
    """Who is calling: one organisation, through one API key, with effective scopes."""

    organisation_id: UUID
    api_key_id: UUID
    scopes: frozenset[Scope]

    def allows(self, scope: Scope) -> bool:
        return scope in self.scopes


def effective_scopes(granted: list[str]) -> frozenset[Scope]:
    """Expand granted scope names into everything they imply; unknown names are ignored."""
    scopes: set[Scope] = set()
    for name in granted:
        if name in Scope._value2member_map_:
            scopes |= _IMPLIED[Scope(name)]
    return frozenset(scopes)


def hash_secret(token: str) -> str:
    """The stored digest of an API key."""
    return hashlib.sha256(token.encode()).hexdigest()


def generate_key() -> GeneratedKey:
    """Create a new random API key."""
    prefix = secrets.token_hex(6)
    token = f"{KEY_MARKER}_{prefix}_{secrets.token_urlsafe(32)}"
    return GeneratedKey(token=token, prefix=prefix, secret_hash=hash_secret(token))


def sent_key(bearer: str | None, header: str | None) -> str:
    """The API key a request sends: its bearer token, else its ``X-API-Key``; "" if neither.

    Authentication, the rate limiter and the access log all read the key this one way.
    """
    return (bearer or "").strip() or (header or "").strip()


def bearer_token(authorization: str | None) -> str | None:
    """The credentials of an ``Authorization: Bearer …`` header (any case), else None."""
    if authorization is None or authorization[:7].lower() != "bearer ":
        return None
    return authorization[7:]


def valid_key(store: KeyStore, session: Session, token: str) -> StoredKey | None:
    """The unrevoked key whose whole secret is ``token``, else None."""
    prefix = parse_prefix(token)
    key = store.find(session, prefix) if prefix else None
    if key is None or key.revoked_at is not None:
        return None
    if not hmac.compare_digest(key.secret_hash, hash_secret(token)):
        return None
    return key


def parse_prefix(token: str) -> str | None:
    """The visible prefix of a well-formed key, or None."""
    parts = token.split("_", 2)
    if len(parts) != 3 or parts[0] != KEY_MARKER or not _PREFIX.fullmatch(parts[1]):
        return None
    return parts[1]


_bearer = HTTPBearer(
    auto_error=False,
    scheme_name="ApiKeyBearer",
    description="Send the API key as a bearer token: `Authorization: Bearer bf_…`.",
)
_header = APIKeyHeader(
    name="X-API-Key",
    auto_error=False,
    scheme_name="ApiKeyHeader",
    description="Or send the API key in the `X-API-Key` header.",
)


def authenticate(
    session: SessionDep,
    background: BackgroundTasks,
    store: Annotated[KeyStore, Depends(key_store)],
    usage: Annotated[KeyUsage, Depends(key_usage)],
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    header_key: Annotated[str | None, Depends(_header)],
) -> Principal:
    """Resolve the caller's API key into a :class:`Principal`, or answer 401.

    Only reads: the key's last use, when due, is recorded after the response.
    """
    token = sent_key(bearer.credentials if bearer else None, header_key)
    if not token:
        raise Unauthorized("This endpoint needs an API key.")
    key = valid_key(store, session, token)
    if key is None:
        raise Unauthorized("The API key is unknown or has been revoked.")
    now = usage.clock()
    if usage.due(key.id, key.last_used_at, now):
        background.add_task(usage.record, session, key.id, now)
    return Principal(
        organisation_id=key.organisation_id,
        api_key_id=key.id,
        scopes=effective_scopes(key.scopes),
    )


def require_scope(scope: Scope) -> Callable[[Principal], Principal]:
    """A dependency that authenticates and checks that the key has ``scope``."""

    def dependency(principal: Annotated[Principal, Depends(authenticate)]) -> Principal:
        if not principal.allows(scope):
            raise Forbidden(f"This API key lacks the '{scope}' scope.", required_scope=scope)
        return principal

    return dependency


ReadAccess = Annotated[Principal, Depends(require_scope(Scope.READ))]
IssueAccess = Annotated[Principal, Depends(require_scope(Scope.ISSUE))]
ManageAccess = Annotated[Principal, Depends(require_scope(Scope.MANAGE))]
AdminAccess = Annotated[Principal, Depends(require_scope(Scope.ADMIN))]
