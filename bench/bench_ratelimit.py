"""What the per-key API rate limit (``BADGEFORGE_RATE_LIMIT_API``) costs a request.

Usage::

    .venv/bin/python bench/bench_ratelimit.py [--requests N] [--duration S]
                                              [--database-url URL] [--redis-url URL]

Two parts, on SQLite (a temporary file) and on PostgreSQL (``--database-url``, a scratch
database created then dropped; ``--no-postgres`` skips it), with Redis counters too when
``--redis-url`` answers a PING:

1. **Counter alone**, in process: ``N`` calls of the limiter's ``hit()`` (one counted
   request: on a database, its own ``INSERT … ON CONFLICT DO UPDATE … RETURNING``
   transaction, committed), from one thread and from 4 threads at once; and the API key
   lookup the limit adds (``api_key_id``: one indexed SELECT and a SHA-256).
2. **Over HTTP**, a real ``badgeforge serve`` (one process) per backend and setting: the
   limit off, then on (``1000000/minute``, so nothing is refused and only the cost shows)
   with counters in the database, then in Redis. Each is loaded with ``GET
   /api/v1/issuers/{id}`` by 1 and by 4 keep-alive clients, then by 3 GET clients while a
   fourth client keeps awarding (``POST /api/v1/awards``): on SQLite every counted GET is a
   write, so it waits for the award transaction that holds the write lock.

Each load stops after ``--requests`` requests or ``--duration`` seconds. Prints Markdown
tables; the difference between "off" and "on" rows is the cost of the limit.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from functools import partial
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
from _common import (
    BADGE_CLASS,
    DEFAULT_POSTGRES_URL,
    ISSUER,
    create_organisation,
    load_average,
    machine,
    markdown_table,
    percentile,
    postgres_version,
    scratch_postgres,
)
from bench_http import Endpoint, RunResult, award_body, checked, load, running_server
from starlette.requests import Request

from badgeforge.db import make_engine, make_sessionmaker
from badgeforge.migrate import upgrade
from badgeforge.ratelimit import (
    DatabaseRateLimiter,
    Policy,
    RateLimiter,
    RedisRateLimiter,
    api_key_id,
)

DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/15"
NEVER_REFUSED = "1000000/minute"
THREADS = 4


# --------------------------------------------------------------------------- counter alone


def timed_calls(call: Callable[[int], object], count: int, threads: int) -> list[float]:
    """Seconds per call of ``count`` calls shared by ``threads`` threads started together."""
    latencies: list[float] = []
    lock = threading.Lock()
    barrier = threading.Barrier(threads)
    share = count // threads

    def work(number: int) -> None:
        mine = []
        barrier.wait()
        for index in range(share):
            began = time.perf_counter()
            call(number * share + index)
            mine.append(time.perf_counter() - began)
        with lock:
            latencies.extend(mine)

    pool = [threading.Thread(target=work, args=(n,)) for n in range(threads)]
    began = time.perf_counter()
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    wall = time.perf_counter() - began
    latencies.append(wall)  # the last item is the wall time (popped by the caller)
    return latencies


def counter_row(name: str, call: Callable[[int], object], count: int, threads: int) -> list[str]:
    for index in range(50):  # warm up: connections, statement caches
        call(-1 - index)
    latencies = timed_calls(call, count, threads)
    wall = latencies.pop()
    return [
        name,
        str(threads),
        str(len(latencies)),
        f"{percentile(latencies, 0.50) * 1e6:.0f}",
        f"{percentile(latencies, 0.99) * 1e6:.0f}",
        f"{len(latencies) / wall:.0f}",
    ]


def key_lookup(database_url: str, token: str) -> tuple[Callable[[int], object], Callable[[], None]]:
    """``api_key_id`` on a request carrying ``token``, and a function closing its engine."""
    engine = make_engine(database_url)
    app = SimpleNamespace(state=SimpleNamespace(sessionmaker=make_sessionmaker(engine)))
    scope = {
        "type": "http",
        "app": app,
        "headers": [(b"authorization", f"Bearer {token}".encode())],
    }

    def call(_: int) -> object:
        return api_key_id(Request(scope))

    return call, engine.dispose


def counter_rows(
    label: str, database_url: str, token: str, redis_url: str | None, count: int
) -> list[list[str]]:
    rows = []
    policy = Policy("bench", 10**9, 60)
    limiters: list[tuple[str, RateLimiter]] = []
    engine = make_engine(database_url)
    limiters.append((f"{label}: hit() in the database", DatabaseRateLimiter(engine)))
    if redis_url:
        limiters.append((f"{label}: hit() in Redis", RedisRateLimiter(redis_url)))
    for name, limiter in limiters:
        for threads in (1, THREADS):
            caller = f"key:bench-{name}-{threads}"  # one key from every thread: one hot row
            hit = partial(limiter.hit, policy, caller)
            rows.append(counter_row(name, lambda _, hit=hit: hit(), count, threads))
    engine.dispose()
    lookup, close = key_lookup(database_url, token)
    for threads in (1, THREADS):
        rows.append(counter_row(f"{label}: api_key_id()", lookup, count, threads))
    close()
    return rows


# --------------------------------------------------------------------------- over HTTP


@contextmanager
def environment(**values: str) -> Iterator[None]:
    """``os.environ`` with ``values`` set (the served process inherits it)."""
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def seed(base_url: str, token: str) -> tuple[str, str]:
    """An issuer and a badge class, over the API."""
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=base_url, headers=headers, timeout=30) as client:
        issuer = checked(client.post("/api/v1/issuers", json=ISSUER), 201)
        body = {"issuer_id": issuer["id"], **BADGE_CLASS}
        badge_class = checked(client.post("/api/v1/badge-classes", json=body), 201)
    return str(issuer["id"]), str(badge_class["id"])


@contextmanager
def awarding(base_url: str, token: str, badge_class_id: str) -> Iterator[list[float]]:
    """A client awarding without pause until the block ends; yields its latencies."""
    done = threading.Event()
    latencies: list[float] = []

    def work() -> None:
        headers = {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=base_url, headers=headers, timeout=30) as client:
            index = 0
            while not done.is_set():
                began = time.perf_counter()
                answer = client.post("/api/v1/awards", json=award_body(badge_class_id, index))
                if answer.status_code == 201:
                    latencies.append(time.perf_counter() - began)
                index += 1

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    time.sleep(0.5)  # let it get going
    try:
        yield latencies
    finally:
        done.set()
        thread.join(timeout=35)


def http_rows(
    label: str,
    database_url: str,
    workdir: Path,
    setting: str,
    redis_url: str,
    arguments: argparse.Namespace,
) -> list[list[str]]:
    values = {"BADGEFORGE_RATE_LIMIT_API": setting, "BADGEFORGE_REDIS_URL": redis_url}
    rows = []
    with environment(**values), running_server(database_url, workdir) as (base_url, token, pid):
        issuer_id, badge_class_id = seed(base_url, token)
        auth = {"Authorization": f"Bearer {token}"}

        def get(client: httpx.Client, _: int) -> httpx.Response:
            return client.get(f"/api/v1/issuers/{issuer_id}", headers=auth)

        endpoint = Endpoint("GET /api/v1/issuers/{id}", 200, get)
        options: dict[str, Any] = {
            "requests": arguments.requests,
            "duration": arguments.duration,
            "timeout": 30.0,
            "server_pid": pid,
            "offset": 0,
        }
        runs: list[tuple[str, RunResult, list[float] | None]] = []
        for clients in (1, THREADS):
            runs.append(
                (f"{clients} GET", load(base_url, endpoint, concurrency=clients, **options), None)
            )
        with awarding(base_url, token, badge_class_id) as awards:
            result = load(base_url, endpoint, concurrency=THREADS - 1, **options)
        runs.append((f"{THREADS - 1} GET + 1 POST award", result, awards))
        for load_name, result, awards in runs:
            rows.append(http_row(label, load_name, result, awards))
            print(f"  {label} / {load_name}: {rows[-1][3]} req/s", flush=True)
    return rows


def http_row(
    label: str, load_name: str, result: RunResult, awards: list[float] | None
) -> list[str]:
    done = max(result.completed, 1)
    award_p50 = f"{percentile(awards, 0.5) * 1000:.0f}" if awards else ""
    return [
        label,
        load_name,
        str(len(result.errors)),
        f"{len(result.latencies) / result.wall:.0f}",
        f"{percentile(result.latencies, 0.50) * 1000:.2f}",
        f"{percentile(result.latencies, 0.99) * 1000:.1f}",
        f"{result.server_cpu / done * 1000:.2f}",
        award_p50,
    ]


# --------------------------------------------------------------------------- main


def redis_reachable(url: str) -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(url, socket_timeout=1).ping())
    except Exception:
        return False


def run_backend(
    label: str, database_url: str, workdir: Path, redis_url: str | None, args: argparse.Namespace
) -> tuple[list[list[str]], list[list[str]]]:
    upgrade(database_url)
    engine = make_engine(database_url)
    with make_sessionmaker(engine)() as session, session.begin():
        _, token = create_organisation(session)
    engine.dispose()
    counters = counter_rows(label, database_url, token, redis_url, args.requests)
    http: list[list[str]] = []
    settings = [("off", ""), ("on, database", NEVER_REFUSED)]
    if redis_url:
        settings.append(("on, Redis", NEVER_REFUSED))
    for name, value in settings:
        print(f"{label}, limit {name}…", flush=True)
        redis = redis_url if name == "on, Redis" and redis_url else ""
        with tempfile.TemporaryDirectory(dir=workdir) as served:
            http += http_rows(
                f"{label}, limit {name}", database_url, Path(served), value, redis, args
            )
    return counters, http


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=2000, help="per load (default 2000)")
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per load at most")
    parser.add_argument("--database-url", default=DEFAULT_POSTGRES_URL, help="scratch database")
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    parser.add_argument("--redis-url", default=DEFAULT_REDIS_URL, help="Redis counters")
    arguments = parser.parse_args(argv)
    if arguments.requests < THREADS or not 0 < arguments.duration <= 120:
        parser.error(f"--requests must be at least {THREADS}, --duration in (0, 120]")
    return arguments


def main(argv: list[str] | None = None) -> None:
    arguments = parse_arguments(argv)
    redis_url = arguments.redis_url if redis_reachable(arguments.redis_url) else None
    counters: list[list[str]] = []
    http: list[list[str]] = []
    databases = ["SQLite"]
    with ExitStack() as stack:
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="badgeforge-rl-")))
        found = run_backend(
            "SQLite", f"sqlite:///{workdir / 'rl.db'}", workdir, redis_url, arguments
        )
        counters, http = counters + found[0], http + found[1]
        if not arguments.no_postgres:
            url = stack.enter_context(scratch_postgres(arguments.database_url))
            databases.append(postgres_version(url))
            found = run_backend("PostgreSQL", url, workdir, redis_url, arguments)
            counters, http = counters + found[0], http + found[1]
    print()
    print(
        f"Machine: {machine()}; {', '.join(databases)}"
        f"{', Redis' if redis_url else ''}; load average {load_average()}"
    )
    print()
    header = ["Counter alone", "Threads", "Calls", "p50 (µs)", "p99 (µs)", "calls/s"]
    print(markdown_table(header, counters))
    print()
    header = [
        "Server",
        "Load",
        "Errors",
        "GET req/s",
        "GET p50 (ms)",
        "GET p99 (ms)",
        "Server CPU/req (ms)",
        "Award p50 (ms)",
    ]
    print(markdown_table(header, http))


if __name__ == "__main__":
    main(sys.argv[1:])
