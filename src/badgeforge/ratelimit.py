"""Rate limits shared by every process and instance: fixed windows counted in the database
(one atomic UPSERT per request) or in Redis when ``BADGEFORGE_REDIS_URL`` is set. On the
embedded SQLite the counters live in a file of their own beside the database
(``badgeforge-ratelimit.db``), so a request is never counted behind another one's write.

A route opts in with ``Depends(rate_limited(policy_of))``. The caller is its API key
(``key:<id>``, when a valid key is sent) or its client address (``ip:<address>``; an IPv6
client by its /64). The address is the peer's unless uvicorn's ``--forwarded-allow-ips``
trusts the peer as a proxy, in which case uvicorn has already put the ``X-Forwarded-For``
client in its place, so a client cannot pick its own address by sending that header.

Responses carry the IETF ``RateLimit-Policy`` and ``RateLimit`` fields in the format of
draft-ietf-httpapi-ratelimit-headers-11 (May 2026; unchanged since -08), e.g.
``RateLimit-Policy: "verify";q=60;w=60`` and ``RateLimit: "verify";r=12;t=34``; a refused
request answers 429 (a problem) with those and ``Retry-After`` (RFC 9110 §10.2.3).

A counter is a hint, not a record: PostgreSQL commits it without waiting for the disk
(``synchronous_commit = off``: a crash may forget the last few counts), and a counter store
that fails (Redis down, SQLite locked past its busy timeout) lets the request through
uncounted, with a warning in the log, rather than answering 500.
"""

import ipaddress
import logging
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Protocol

from fastapi import Depends, Request, Response
from sqlalchemy import BigInteger, Engine, Integer, String, delete, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.schema import CreateIndex, CreateTable

from badgeforge.db import Base, make_engine
from badgeforge.problems import TooManyRequests
from badgeforge.security import bearer_token, hash_secret, parse_prefix, sent_key, valid_key
from badgeforge.settings import Settings

logger = logging.getLogger(__name__)
Clock = Callable[[], float]
_UNITS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
_POLICY = re.compile(r"\s*(\d+)\s*/\s*(\d*)\s*(second|minute|hour|day)s?\s*")


@dataclass(frozen=True)
class Policy:
    """At most `limit` requests per `window` seconds for one caller; `name` is on the wire."""

    name: str
    limit: int
    window: int

    @classmethod
    def parse(cls, name: str, text: str) -> "Policy":
        """``"60/minute"``, ``"1000/hour"``, ``"10/5second"``: a policy named `name`."""
        match = _POLICY.fullmatch(text)
        if match is None or int(match.group(1)) < 1:
            raise ValueError(f"rate limit {text!r} is not like '60/minute'")
        count = int(match.group(2) or 1)
        return cls(name, int(match.group(1)), count * _UNITS[match.group(3)])


@dataclass(frozen=True)
class Decision:
    """The outcome of one counted request."""

    policy: Policy
    allowed: bool
    remaining: int
    reset: int
    """Seconds until the window ends and the quota is restored."""

    def headers(self) -> dict[str, str]:
        policy = self.policy
        return {
            "RateLimit-Policy": f'"{policy.name}";q={policy.limit};w={policy.window}',
            "RateLimit": f'"{policy.name}";r={self.remaining};t={self.reset}',
        }


class RateLimiter(Protocol):
    def hit(self, policy: Policy, caller: str) -> Decision:
        """Count one request of `caller` under `policy`."""
        ...


def _decide(policy: Policy, hits: int, window_start: int, now: float) -> Decision:
    reset = max(1, int(window_start + policy.window - now + 0.999))
    return Decision(policy, hits <= policy.limit, max(0, policy.limit - hits), reset)


class RateLimitCounter(Base):
    """Requests of one caller under one policy in one fixed window."""

    __tablename__ = "rate_limit_counter"

    bucket: Mapped[str] = mapped_column(String(200), primary_key=True)
    window_start: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    hits: Mapped[int] = mapped_column(Integer)
    expires_at: Mapped[int] = mapped_column(BigInteger, index=True)


_ASYNC_COMMIT = text("SET LOCAL synchronous_commit = off")


class DatabaseRateLimiter:
    """Counts in ``rate_limit_counter`` with ``INSERT … ON CONFLICT DO UPDATE … RETURNING``.

    Each hit is its own short transaction, committed at once, apart from the request's
    unit of work: every process and instance on the same database shares the count.
    ``own_table``: the database is a counters-only file, whose table is made at first use.
    """

    def __init__(self, engine: Engine, clock: Clock = time.time, own_table: bool = False):
        self.engine = engine.execution_options(sqlite_begin="IMMEDIATE")
        self.clock = clock
        self._postgresql = engine.dialect.name == "postgresql"
        module: Any = postgresql if self._postgresql else sqlite
        self._insert = module.insert
        self._table_missing = own_table

    def _create_table(self) -> None:
        table = Base.metadata.tables[RateLimitCounter.__tablename__]
        with self.engine.begin() as connection:
            connection.execute(CreateTable(table, if_not_exists=True))
            for index in table.indexes:
                connection.execute(CreateIndex(index, if_not_exists=True))
        self._table_missing = False

    def hit(self, policy: Policy, caller: str) -> Decision:
        if self._table_missing:
            self._create_table()
        now = self.clock()
        window_start = int(now // policy.window * policy.window)
        statement = self._insert(RateLimitCounter).values(
            bucket=f"{policy.name}:{caller}",
            window_start=window_start,
            hits=1,
            expires_at=window_start + policy.window,
        )
        statement = statement.on_conflict_do_update(
            index_elements=["bucket", "window_start"],
            set_={"hits": RateLimitCounter.hits + 1},
        ).returning(RateLimitCounter.hits)
        with self.engine.begin() as connection:
            if self._postgresql:  # no wait for the WAL flush: 2.5 ms less per request
                connection.execute(_ASYNC_COMMIT)
            hits = int(connection.execute(statement).scalar_one())
            if hits == 1:  # a new window: forget every ended one
                connection.execute(
                    delete(RateLimitCounter).where(RateLimitCounter.expires_at <= int(now))
                )
        return _decide(policy, hits, window_start, now)


class RedisRateLimiter:
    """Counts with ``SET key 0 EX window NX`` + ``INCR key`` in one MULTI/EXEC."""

    def __init__(self, url: str, clock: Clock = time.time, prefix: str = "badgeforge:rl:") -> None:
        import redis

        self.client = redis.Redis.from_url(url)
        self.clock = clock
        self.prefix = prefix

    def hit(self, policy: Policy, caller: str) -> Decision:
        now = self.clock()
        window_start = int(now // policy.window * policy.window)
        key = f"{self.prefix}{policy.name}:{caller}:{window_start}"
        pipeline = self.client.pipeline(transaction=True)
        pipeline.set(key, 0, ex=policy.window + 1, nx=True)
        pipeline.incr(key)
        hits = int(pipeline.execute()[1])
        return _decide(policy, hits, window_start, now)


def rate_limiter_from_settings(settings: Settings, engine: Engine) -> RateLimiter:
    """Redis when ``BADGEFORGE_REDIS_URL`` is set, else the service's database."""
    verify_policy(settings, True), verify_policy(settings, False)  # refuse bad settings early
    if settings.rate_limit_api:
        api_policy(settings, True)
    if settings.redis_url:
        return RedisRateLimiter(settings.redis_url)
    counters = _counters_file(engine)
    if counters is not None:
        return DatabaseRateLimiter(counters, own_table=True)
    return DatabaseRateLimiter(engine)


def _counters_file(engine: Engine) -> Engine | None:
    """A SQLite file of its own beside ``engine``'s SQLite file, if it is one.

    SQLite has one writer at a time: counting in the service's file would make every
    counted request wait for the award or batch transaction holding it.
    """
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        return None
    if database.startswith("file:") or engine.url.query.get("uri"):
        return None
    path = Path(database)
    return make_engine(f"sqlite:///{path.with_name(f'{path.stem}-ratelimit{path.suffix}')}")


def client_address(request: Request) -> str:
    """The caller's address as uvicorn resolved it; IPv6 clients by their /64 network."""
    host = request.client.host if request.client else "unknown"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is None:
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address.ipv4_mapped or address) if address.version == 6 else str(address)


class KnownKeys:
    """Ids of keys found valid in the last ``ttl`` seconds, by digest: no query per request.

    Only the quota's bucket depends on it (authentication looks the key up itself), so a
    key revoked meanwhile is at most counted as itself for ``ttl`` more seconds.
    """

    def __init__(self, ttl: float = 30.0, size: int = 4096, clock: Clock = time.monotonic):
        self.ttl, self.size, self.clock = ttl, size, clock
        self._ids: OrderedDict[str, tuple[str, float]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, digest: str) -> str | None:
        with self._lock:
            found = self._ids.get(digest)
            if found is None or found[1] < self.clock():
                return None
            return found[0]

    def put(self, digest: str, key_id: str) -> None:
        with self._lock:
            self._ids[digest] = (key_id, self.clock() + self.ttl)
            self._ids.move_to_end(digest)
            while len(self._ids) > self.size:
                self._ids.popitem(last=False)


KNOWN_KEYS = KnownKeys()


def api_key_id(request: Request, known: KnownKeys = KNOWN_KEYS) -> str | None:
    """The id of the valid, unrevoked API key the request sends, if any (one query, or none
    when the key was found valid in the last seconds)."""
    headers = request.headers
    token = sent_key(bearer_token(headers.get("authorization")), headers.get("x-api-key"))
    if parse_prefix(token) is None:
        return None
    digest = hash_secret(token)
    cached = known.get(digest)
    if cached is not None:
        return cached
    with request.app.state.sessionmaker() as session:
        key = valid_key(request.app.state.key_store, session, token)
    if key is None:
        return None
    known.put(digest, str(key.id))
    return str(key.id)


PolicyChooser = Callable[[Settings, bool], Policy]
"""Which policy applies, from the settings and whether the caller sent a valid key."""


def rate_limited(choose: PolicyChooser) -> Callable[..., Decision | None]:
    """A dependency counting the request against the caller's quota; 429 past it.

    The ``RateLimit``/``RateLimit-Policy`` fields are added to the route's response.
    """

    def dependency(request: Request, response: Response) -> Decision | None:
        settings: Settings = request.app.state.settings
        if not settings.rate_limits:
            return None
        key_id = api_key_id(request)
        policy = choose(settings, key_id is not None)
        caller = f"key:{key_id}" if key_id else f"ip:{client_address(request)}"
        limiter: RateLimiter = request.app.state.rate_limiter
        try:
            decision = limiter.hit(policy, caller)
        except Exception as error:  # the store is down or locked: count nothing, serve
            logger.warning("rate limit %s not counted: %r", policy.name, error)
            return None
        headers = decision.headers()
        if not decision.allowed:
            raise TooManyRequests(
                f"Too many requests: {policy.limit} per {policy.window} s are allowed. "
                f"Retry in {decision.reset} s.",
                headers={**headers, "Retry-After": str(decision.reset)},
            )
        response.headers.update(headers)
        return decision

    return dependency


def verify_policy(settings: Settings, with_key: bool) -> Policy:
    """``/credentials/verify`` (and ``/api/v1/verify``): generous, more with an API key."""
    if with_key:
        return Policy.parse("verify-key", settings.rate_limit_verify_with_key)
    return Policy.parse("verify", settings.rate_limit_verify)


VerifyRateLimit = Annotated[Decision | None, Depends(rate_limited(verify_policy))]


def api_policy(settings: Settings, with_key: bool) -> Policy:
    """Every ``/api/v1`` route together, per API key (per client address without one).

    On by default (``BADGEFORGE_RATE_LIMIT_API``, 3000/minute); bench/bench_ratelimit.py
    measures its cost per request.
    """
    return Policy.parse("api", settings.rate_limit_api)


_api_limited = rate_limited(api_policy)


def _api_rate_limit(request: Request, response: Response) -> Decision | None:
    if not request.app.state.settings.rate_limit_api:  # empty: no per-key API quota
        return None
    return _api_limited(request, response)


API_RATE_LIMIT = Depends(_api_rate_limit)
"""Put it in an ``/api/v1`` router's ``dependencies`` (one quota per key for all of them)."""
