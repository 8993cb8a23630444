"""Database plumbing: declarative base, engine factory, the per-request unit of work, and
single-statement reads (``Reads``) for the public hot paths.

Services flush, never commit; the request's session commits before the response is sent.
"""

import threading
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from enum import Enum
from typing import Annotated, Any, Protocol, TypeVarTuple

from fastapi import Depends, Request
from sqlalchemy import Connection, DateTime, Engine, MetaData, Select, create_engine, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect, Result
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.sql import Executable
from sqlalchemy.types import TypeDecorator

from badgeforge.private_files import create_private_sqlite_file

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base with a stable constraint naming convention for migrations."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every backend (SQLite drops the zone otherwise)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; pass a timezone-aware value")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    """The current time in UTC, whole seconds (Open Badges timestamps carry no fractions)."""
    return datetime.now(UTC).replace(microsecond=0)


Ts = TypeVarTuple("Ts")


class RowLock(Enum):
    """Row locks that keep a check-then-write rule true under concurrency (PostgreSQL).

    The values are ``with_for_update``'s ``read`` and ``key_share``.

    Each takes effect until the transaction ends. SQLite has no row locks and needs none:
    its writers hold the whole database from their first statement (``BEGIN IMMEDIATE``).
    """

    #: Delete or re-key the row: waits for, and blocks, every other lock, including the
    #: ones a foreign key check takes while a referencing row is inserted.
    UPDATE = (False, False)
    #: Change the row's other columns: one writer at a time, but rows may still refer to it.
    NO_KEY_UPDATE = (False, True)
    #: Refer to the row: it cannot be deleted meanwhile; other references go on in parallel.
    KEY_SHARE = (True, True)


def lock_rows(statement: Select[*Ts], lock: RowLock) -> Select[*Ts]:
    """``statement`` taking ``lock`` on the rows it finds, and reloading them as locked.

    Once a lock is granted, the rows are read again (``populate_existing``), so objects
    the session loaded before the wait show what the transaction that held it committed.
    """
    read, key_share = lock.value
    locked = statement.with_for_update(read=read, key_share=key_share)
    return locked.execution_options(populate_existing=True)


def insert_if_absent(session: Session, model: type[Base], values: dict[str, Any]) -> None:
    """Insert a row unless one with the same key exists, also under concurrency.

    ``INSERT … ON CONFLICT DO NOTHING`` (PostgreSQL and SQLite): a transaction inserting
    the same key at the same moment is waited for instead of failing on the unique key.
    For rows whose content is determined by their key (content-addressed images, badge
    class versions), so whichever insert wins stores the same thing.
    """
    dialect = session.get_bind().dialect.name
    module = postgresql if dialect == "postgresql" else sqlite
    session.execute(module.insert(model).values(**values).on_conflict_do_nothing())


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine; SQLite gets an owner-only file, foreign keys, WAL and a busy timeout."""
    if url.startswith("sqlite"):
        create_private_sqlite_file(url)
        kwargs.setdefault("connect_args", {"check_same_thread": False, "timeout": 30})
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_on_connect)
        event.listen(engine, "begin", _sqlite_on_begin)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, **kwargs)


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    # pysqlite's own transaction handling breaks SAVEPOINT; let SQLAlchemy emit BEGIN itself
    # (SQLAlchemy docs, SQLite dialect, "Serializable isolation / Savepoints").
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


AUTOCOMMIT = "AUTOCOMMIT"
_BEGIN = {"DEFERRED": "BEGIN DEFERRED", "IMMEDIATE": "BEGIN IMMEDIATE"}


def _sqlite_on_begin(connection: Connection) -> None:
    # Straight to the driver: through exec_driver_sql, BEGIN cost a tenth of a public read.
    options = connection.get_execution_options()
    if options.get("isolation_level") == AUTOCOMMIT:
        return  # single statements (read_engine): no transaction around them
    mode = options.get("sqlite_begin", "DEFERRED")
    connection.connection.driver_connection.execute(_BEGIN[mode])  # type: ignore[union-attr]


def make_sessionmaker(engine: Engine, *, writer: bool = False) -> sessionmaker[Session]:
    """A session factory whose objects stay readable after commit.

    ``writer`` sessions take SQLite's write lock when they begin (``BEGIN IMMEDIATE``), so
    concurrent writers wait for each other (busy timeout) instead of failing with
    "database is locked" when a read-then-write transaction cannot upgrade its lock.
    It changes nothing on PostgreSQL.
    """
    bind = engine.execution_options(sqlite_begin="IMMEDIATE") if writer else engine
    return sessionmaker(bind=bind, expire_on_commit=False)


def _may_write(request: Request) -> bool:
    # Reads never write, not even the key's last use (recorded after the response, apart).
    return request.method not in ("GET", "HEAD")


def get_session(request: Request) -> Iterator[Session]:
    """One unit of work per request: commit on success, roll back on any error."""
    state = request.app.state
    factory: sessionmaker[Session] = (
        state.writer_sessionmaker if _may_write(request) else state.sessionmaker
    )
    with factory() as session:
        try:
            yield session
            session.commit()
        except Exception:
            session.rollback()
            raise


SessionDep = Annotated[Session, Depends(get_session, scope="function")]


# ------------------------------------------------------------------------ single-statement reads


class Reads(Protocol):
    """What runs one statement: a request's ``Session``, or a connection of ``read_engine``.

    The public hot paths (an award's documents and images) read one row with one statement
    and write nothing. They need no unit of work: on a connection in autocommit each
    statement is consistent on its own (one snapshot) and sees everything committed before
    it, revocations included. Without the session, its transaction and its pool checkout,
    such a read costs a fifth of what it did.
    """

    def execute(
        self, statement: Executable, parameters: Mapping[str, Any] | None = None, /
    ) -> Result[Any]: ...

    def scalar(
        self, statement: Executable, parameters: Mapping[str, Any] | None = None, /
    ) -> Any: ...


def read_engine(engine: Engine) -> Engine:
    """``engine`` whose connections run each statement on its own (autocommit).

    It shares the engine's pool; the driver's autocommit is set on checkout and undone on
    return (SQLAlchemy's ``isolation_level`` execution option).
    """
    return engine.execution_options(isolation_level=AUTOCOMMIT)


def get_reads(request: Request) -> Iterator[Reads]:
    """A connection for single-statement reads (``Reads``), back to the pool afterwards."""
    with request.app.state.read_engine.connect() as connection:
        yield connection


ReadsDep = Annotated[Reads, Depends(get_reads, scope="function")]


class HeldReads:
    """One ``read_engine`` connection per thread, kept open between requests.

    For SQLite, whose public reads run on the event loop's thread (``badgeforge.direct``):
    taking a pooled connection and giving it back cost more than the read itself. Autocommit
    keeps a held connection from pinning an old snapshot: pysqlite never opens a
    transaction then, and a statement's read ends when its result is fetched and closed.
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = read_engine(engine)
        self._local = threading.local()
        self._lock = threading.Lock()
        self._open: list[Connection] = []

    def connection(self) -> Connection:
        """This thread's connection (opened at first use, or after ``discard``)."""
        held: Connection | None = getattr(self._local, "connection", None)
        if held is None or held.closed or held.invalidated:
            held = self._engine.connect()
            self._local.connection = held
            with self._lock:
                self._open.append(held)
        return held

    @property
    def opened(self) -> tuple[Connection, ...]:
        """The connections open now (one per thread that read since it was last discarded)."""
        with self._lock:
            return tuple(self._open)

    def discard(self) -> None:
        """Close this thread's connection (after an error: the next read opens a new one)."""
        held: Connection | None = getattr(self._local, "connection", None)
        self._local.connection = None
        if held is not None:
            with self._lock:
                self._open.remove(held)
            held.close()

    def close(self) -> None:
        """Close every thread's connection (at shutdown, before the engine is disposed)."""
        with self._lock:
            held, self._open = self._open, []
        for connection in held:
            connection.close()
