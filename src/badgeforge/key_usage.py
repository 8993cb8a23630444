"""When each API key was last used: kept to the minute, and written outside the request.

Authentication only reads. When a key's recorded use is a minute old or more, the request
schedules one short transaction of its own, run after its response is sent (a background
task): reads never hold SQLite's write lock, most requests write nothing at all, and a
failure to record a use is logged and never fails a request.
"""

import logging
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Protocol
from uuid import UUID

from fastapi import Request
from sqlalchemy.orm import Session

from badgeforge.db import utcnow

RESOLUTION = timedelta(minutes=1)
logger = logging.getLogger(__name__)


class StoredKey(Protocol):
    """What authentication reads of a stored API key."""

    @property
    def id(self) -> UUID: ...
    @property
    def organisation_id(self) -> UUID: ...
    @property
    def secret_hash(self) -> str: ...
    @property
    def scopes(self) -> list[str]: ...
    @property
    def revoked_at(self) -> datetime | None: ...
    @property
    def last_used_at(self) -> datetime | None: ...


class KeyStore(Protocol):
    """Where API keys are kept: the access domain provides it (``app.state.key_store``)."""

    def find(self, session: Session, prefix: str) -> StoredKey | None:
        """The key with this visible prefix (revoked ones included), or None."""

    def record_use(self, session: Session, key_id: UUID, now: datetime, since: datetime) -> None:
        """Set the key's last use to ``now`` unless one at ``since`` or later is recorded."""


def key_store(request: Request) -> KeyStore:
    """The application's key store (a dependency)."""
    store: KeyStore = request.app.state.key_store
    return store


class KeyUsage:
    """Records keys' last use at most once per ``resolution`` per key, on ``clock``'s time.

    It also remembers, in this process, the uses it recorded, so that the requests that
    arrive before the recorded time is visible to them do not record it again.
    """

    def __init__(
        self,
        store: KeyStore,
        clock: Callable[[], datetime] = utcnow,
        resolution: timedelta = RESOLUTION,
    ) -> None:
        self.store = store
        self.clock = clock
        self.resolution = resolution
        self._recorded: dict[UUID, datetime] = {}
        self._mutex = threading.Lock()

    def due(self, key_id: UUID, stored: datetime | None, now: datetime) -> bool:
        """Whether a use at ``now`` is to be recorded, given the stored last use."""
        with self._mutex:
            noted = self._recorded.get(key_id)
        latest = max((used for used in (stored, noted) if used is not None), default=None)
        return latest is None or now - latest >= self.resolution

    def record(self, session: Session, key_id: UUID, now: datetime) -> None:
        """Store ``now`` as the key's last use, in a transaction of its own. Never raises.

        ``session`` must have no transaction open (the request's, once it has ended).
        The update is conditional, so concurrent requests of one key record it once.
        """
        try:
            with session.begin():
                session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})
                self.store.record_use(session, key_id, now, now - self.resolution)
        except Exception:
            logger.warning("could not record the last use of API key %s", key_id, exc_info=True)
            return
        with self._mutex:
            self._recorded = {
                other: used
                for other, used in self._recorded.items()
                if now - used < self.resolution
            }
            self._recorded[key_id] = now


_creating = threading.Lock()


def key_usage(request: Request) -> KeyUsage:
    """The application's recorder, made on first use (a dependency: tests override it)."""
    state = request.app.state
    with _creating:
        if not hasattr(state, "key_usage"):
            state.key_usage = KeyUsage(state.key_store)
    usage: KeyUsage = state.key_usage
    return usage
