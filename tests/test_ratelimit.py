"""Rate limits shared across processes: database (SQLite, PostgreSQL) and Redis counters,
window rollover on an injected clock, the 429 problem and the RateLimit fields."""

import os
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from badgeforge.access import service as access_service
from badgeforge.app import create_app
from badgeforge.db import make_engine, make_sessionmaker
from badgeforge.migrate import upgrade
from badgeforge.ratelimit import (
    DatabaseRateLimiter,
    KnownKeys,
    Policy,
    RateLimiter,
    RedisRateLimiter,
    client_address,
)
from badgeforge.security import Scope
from badgeforge.settings import Settings

REDIS_URL = os.environ.get("BADGEFORGE_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


class Clock:
    def __init__(self, now: float = 1_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def redis_available() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_timeout=1).ping())
    except Exception:
        return False


LimiterFactory = Callable[[Clock], RateLimiter]


@pytest.fixture(params=["database", "redis"])
def limiter_factory(request: pytest.FixtureRequest, engine: Engine) -> Iterator[LimiterFactory]:
    """Makes independent limiters (own engine or connection pool: like separate processes)."""
    if request.param == "redis":
        if not redis_available():
            if os.environ.get("CI"):
                pytest.fail(f"Redis is not reachable at {REDIS_URL}")
            pytest.skip(f"Redis is not reachable at {REDIS_URL}")
        prefix = f"badgeforge-test:{uuid.uuid4()}:"
        yield lambda clock: RedisRateLimiter(REDIS_URL, clock, prefix=prefix)
        return
    engines: list[Engine] = []

    def make(clock: Clock) -> RateLimiter:
        engines.append(make_engine(engine.url.render_as_string(hide_password=False)))
        return DatabaseRateLimiter(engines[-1], clock)

    yield make
    for made in engines:
        made.dispose()


def caller() -> str:
    return f"ip:{uuid.uuid4()}"


class TestPolicy:
    @pytest.mark.parametrize(
        ("text", "limit", "window"),
        [
            ("60/minute", 60, 60),
            ("1000/hour", 1000, 3600),
            ("10/5seconds", 10, 5),
            ("1/day", 1, 86400),
        ],
    )
    def test_parse(self, text: str, limit: int, window: int) -> None:
        assert Policy.parse("p", text) == Policy("p", limit, window)

    @pytest.mark.parametrize("text", ["", "0/minute", "60", "60/fortnight", "-1/hour"])
    def test_refused(self, text: str) -> None:
        with pytest.raises(ValueError, match="rate limit"):
            Policy.parse("p", text)

    def test_bad_settings_are_refused_at_start(self, tmp_path: Path) -> None:
        with pytest.raises(ValueError, match="rate limit"):
            create_app(Settings(data_dir=tmp_path, rate_limit_verify="lots"))


class TestCounting:
    def test_quota_then_refusal_then_rollover(self, limiter_factory: LimiterFactory) -> None:
        clock = Clock(1_000_020.0)  # 20 s into a 60 s window starting at 1_000_020 - 20
        limiter = limiter_factory(clock)
        policy = Policy("test", 3, 60)
        who = caller()
        decisions = [limiter.hit(policy, who) for _ in range(4)]
        assert [d.allowed for d in decisions] == [True, True, True, False]
        assert [d.remaining for d in decisions] == [2, 1, 0, 0]
        window_end = (1_000_020 // 60 + 1) * 60
        assert decisions[-1].reset == window_end - 1_000_020
        assert limiter.hit(policy, caller()).allowed, "another caller has its own quota"
        clock.now = window_end - 0.5
        assert not limiter.hit(policy, who).allowed
        assert limiter.hit(policy, who).reset == 1
        clock.now = window_end
        rolled = limiter.hit(policy, who)
        assert rolled.allowed
        assert rolled.remaining == 2
        assert rolled.reset == 60

    def test_policies_count_apart(self, limiter_factory: LimiterFactory) -> None:
        limiter = limiter_factory(Clock())
        who = caller()
        assert limiter.hit(Policy("a", 1, 60), who).allowed
        assert limiter.hit(Policy("b", 1, 60), who).allowed
        assert not limiter.hit(Policy("a", 1, 60), who).allowed

    def test_concurrent_limiters_share_one_budget(self, limiter_factory: LimiterFactory) -> None:
        """Two limiters (own engines or pools, like two processes), 4 threads each: exactly
        `limit` requests get through."""
        clock = Clock(2_000_000.0)
        limiters = [limiter_factory(clock), limiter_factory(clock)]
        policy = Policy("shared", 25, 3600)
        who = caller()
        allowed: list[bool] = []
        lock = threading.Lock()
        barrier = threading.Barrier(8)

        def work(limiter: RateLimiter) -> None:
            barrier.wait()
            for _ in range(10):
                decision = limiter.hit(policy, who)
                with lock:
                    allowed.append(decision.allowed)

        threads = [threading.Thread(target=work, args=(limiters[i % 2],)) for i in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert len(allowed) == 80
        assert allowed.count(True) == 25


class TestClientAddress:
    @pytest.mark.parametrize(
        ("host", "expected"),
        [
            ("203.0.113.7", "203.0.113.7"),
            ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
            ("::ffff:198.51.100.1", "198.51.100.1"),
        ],
    )
    def test_normalised(self, host: str, expected: str) -> None:
        class Request:
            class client:  # noqa: N801
                pass

        Request.client.host = host  # type: ignore[attr-defined]
        assert client_address(Request()) == expected  # type: ignore[arg-type]


@pytest.fixture
def limited_client(tmp_path: Path, database_url: str) -> Iterator[TestClient]:
    """An app (its own engine, real commits) allowing 2 anonymous verifications a minute."""
    settings = Settings(
        data_dir=tmp_path,
        database_url=database_url,
        rate_limit_verify="2/minute",
        rate_limit_verify_with_key="5/minute",
    )
    app = create_app(settings)
    app.state.rate_limiter.clock = Clock(3_000_000.0 + hash(str(tmp_path)) % 1000 * 60)
    with TestClient(app, client=(f"198.51.100.{uuid.uuid4().int % 250}", 1234)) as client:
        yield client


class TestOverHttp:
    BODY: ClassVar[dict[str, Any]] = {
        "verifiableCredential": {"@context": ["https://www.w3.org/ns/credentials/v2"]}
    }

    def test_verify_is_limited_per_address_with_headers(self, limited_client: TestClient) -> None:
        first = limited_client.post("/credentials/verify", json=self.BODY)
        assert first.status_code == 422  # not a valid credential, but counted
        second = limited_client.post("/credentials/verify", json=self.BODY)
        refused = limited_client.post("/credentials/verify", json=self.BODY)
        assert second.status_code == 422
        assert refused.status_code == 429, refused.text
        assert refused.headers["content-type"] == "application/problem+json"
        assert refused.json()["type"] == "/problems/too-many-requests"
        assert refused.headers["RateLimit-Policy"] == '"verify";q=2;w=60'
        remaining, reset = refused.headers["RateLimit"].split(";")[1:]
        assert remaining == "r=0"
        assert reset.startswith("t=")
        assert refused.headers["Retry-After"] == reset[2:]
        assert 1 <= int(refused.headers["Retry-After"]) <= 60

    def test_a_valid_key_has_its_own_larger_quota(
        self, limited_client: TestClient, database_url: str
    ) -> None:
        engine = make_engine(database_url)
        with make_sessionmaker(engine)() as session, session.begin():
            organisation = access_service.create_organisation(session, "ESAT Quota")
            _, token = access_service.create_key(session, organisation.id, "q", [Scope.READ])
        engine.dispose()
        headers = {"Authorization": f"Bearer {token}"}
        statuses = [
            limited_client.post("/credentials/verify", json=self.BODY, headers=headers)
            for _ in range(6)
        ]
        assert [r.status_code for r in statuses] == [422] * 5 + [429]
        assert statuses[-1].headers["RateLimit-Policy"] == '"verify-key";q=5;w=60'
        anonymous = limited_client.post("/credentials/verify", json=self.BODY)
        assert anonymous.status_code == 422, "the address's own quota is untouched"

    def test_an_unknown_key_counts_as_anonymous(self, limited_client: TestClient) -> None:
        headers = {"Authorization": "Bearer bf_0123456789ab_nope"}
        statuses = [
            limited_client.post("/credentials/verify", json=self.BODY, headers=headers).status_code
            for _ in range(3)
        ]
        assert statuses == [422, 422, 429]


class TestKnownKeys:
    def test_remembered_for_ttl_and_bounded(self) -> None:
        clock = Clock(0.0)
        known = KnownKeys(ttl=30.0, size=2, clock=clock)
        known.put("a", "key-a")
        assert known.get("a") == "key-a"
        clock.now = 31.0
        assert known.get("a") is None, "expired: the key is looked up again"
        for digest in ("a", "b", "c"):
            known.put(digest, f"key-{digest}")
        assert [known.get(d) for d in ("a", "b", "c")] == [None, "key-b", "key-c"]


@dataclass(frozen=True)
class DefaultApp:
    """An app on default rate limit settings (own engine, real commits), two tenants' keys."""

    client: TestClient
    limiter: RateLimiter
    tokens: dict[str, str]
    key_ids: dict[str, str]


@pytest.fixture
def default_app(tmp_path: Path, database_url: str) -> Iterator[DefaultApp]:
    engine = make_engine(database_url)
    tokens, key_ids = {}, {}
    with make_sessionmaker(engine)() as session, session.begin():
        for tenant in ("ESAT A", "ESAT B"):
            organisation = access_service.create_organisation(session, tenant)
            for name in ("first", "second"):
                key, token = access_service.create_key(
                    session, organisation.id, name, [Scope.ADMIN]
                )
                tokens[f"{tenant} {name}"], key_ids[f"{tenant} {name}"] = token, str(key.id)
    engine.dispose()
    settings = Settings(_env_file=None, data_dir=tmp_path, database_url=database_url)
    app = create_app(settings)
    app.state.rate_limiter.clock = Clock(4_000_000.0 + hash(str(tmp_path)) % 1000 * 60)
    with TestClient(app) as client:
        yield DefaultApp(client, app.state.rate_limiter, tokens, key_ids)


class TestApiQuotaByDefault:
    """The per-key quota on every /api/v1 route is on without any setting: 3000 a minute."""

    def test_the_default_is_a_generous_per_key_quota(self) -> None:
        default = Settings(_env_file=None).rate_limit_api
        assert default == "3000/minute"
        assert Policy.parse("api", default) == Policy("api", 3000, 60)

    def test_exceeded_per_key_not_across_keys_or_tenants(self, default_app: DefaultApp) -> None:
        client, tokens = default_app.client, default_app.tokens

        def get(who: str, path: str = "/api/v1/issuers") -> Any:
            return client.get(path, headers={"Authorization": f"Bearer {tokens[who]}"})

        first = get("ESAT A first")
        assert first.status_code == 200
        assert first.headers["RateLimit-Policy"] == '"api";q=3000;w=60'
        assert first.headers["RateLimit"].startswith('"api";r=2999;t=')
        # the rest of the minute's quota, spent by other processes sharing the counter
        key = f"key:{default_app.key_ids['ESAT A first']}"
        for _ in range(2999):
            default_app.limiter.hit(Policy("api", 3000, 60), key)
        for path in ("/api/v1/issuers", "/api/v1/webhook-endpoints", "/api/v1/awards"):
            refused = get("ESAT A first", path)
            assert refused.status_code == 429, (path, refused.text)
            assert refused.headers["content-type"] == "application/problem+json"
            assert refused.json()["type"] == "/problems/too-many-requests"
            assert refused.headers["RateLimit-Policy"] == '"api";q=3000;w=60'
            remaining, reset = refused.headers["RateLimit"].split(";")[1:]
            assert remaining == "r=0"
            assert refused.headers["Retry-After"] == reset[2:]
            assert 1 <= int(refused.headers["Retry-After"]) <= 60
        for other in ("ESAT A second", "ESAT B first", "ESAT B second"):
            answer = get(other)
            assert answer.status_code == 200, other
            assert answer.headers["RateLimit"].startswith('"api";r=2999;'), other

    def test_public_pages_are_not_counted(self, default_app: DefaultApp) -> None:
        assert "RateLimit" not in default_app.client.get("/health").headers

    def test_a_failing_counter_store_lets_requests_through(
        self, tmp_path: Path, database_url: str, caplog: pytest.LogCaptureFixture
    ) -> None:
        settings = Settings(
            _env_file=None,
            data_dir=tmp_path,
            database_url=database_url,
            redis_url="redis://127.0.0.1:1/0",  # nothing listens there
        )
        with TestClient(create_app(settings)) as client:
            answer = client.get("/api/v1/issuers", headers={"X-API-Key": "bf_0123456789ab_x"})
        assert answer.status_code == 401  # answered by authentication, never a 500
        assert "RateLimit" not in answer.headers
        assert "rate limit api not counted" in caplog.text


def test_on_sqlite_counting_never_waits_for_a_writer(tmp_path: Path) -> None:
    """The counters have a file of their own: a long award or batch transaction holding the
    database's write lock does not hold up the counted requests (reads go on under WAL)."""
    settings = Settings(_env_file=None, data_dir=tmp_path)
    upgrade(settings.resolved_database_url)
    engine = make_engine(settings.resolved_database_url)
    with make_sessionmaker(engine)() as session, session.begin():
        organisation = access_service.create_organisation(session, "ESAT SQLite")
        _, token = access_service.create_key(session, organisation.id, "k", [Scope.READ])
    engine.dispose()
    writer = sqlite3.connect(tmp_path / "badgeforge.db", isolation_level=None)
    with TestClient(create_app(settings)) as client:
        # the key's last use is recorded now, so the next request has nothing to write
        assert client.get("/api/v1/issuers", headers={"X-API-Key": token}).status_code == 200
        writer.execute("BEGIN IMMEDIATE")
        try:
            began = time.monotonic()
            answer = client.get("/api/v1/issuers", headers={"X-API-Key": token})
            waited = time.monotonic() - began
        finally:
            writer.execute("ROLLBACK")
            writer.close()
    assert answer.status_code == 200
    assert answer.headers["RateLimit"].startswith('"api";r=2998;')
    assert waited < 5, "the busy timeout is 30 s: the count did not wait for the writer"
    assert (tmp_path / "badgeforge-ratelimit.db").stat().st_mode & 0o077 == 0
