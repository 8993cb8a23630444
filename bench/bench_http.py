"""HTTP benchmark of a real badgeforge server: public badge URLs and awarding over the API.

Usage::

    .venv/bin/python bench/bench_http.py [--requests N] [--duration S] [--concurrency C]
                                         [--only TEXT] [--database-url URL]

A fresh SQLite file in a temporary folder (or, with ``--database-url``, a scratch PostgreSQL
database that is created and then dropped) is migrated and given one organisation with an
admin key. Then ``badgeforge serve`` (uvicorn, one process, its default settings and access
log, which goes to a file) is started as a subprocess on 127.0.0.1 on a free port. Over the
API, the script creates an issuer, a template-rendered badge class and ``--awards`` awards.

Each endpoint is then loaded by ``--concurrency`` threads (default 4), each with its own
keep-alive ``httpx.Client``, until ``--requests`` requests have completed or ``--duration``
seconds have passed, whichever comes first, after 20 untimed warm-up requests:

- ``GET /health``                            (baseline: the HTTP stack, a session, ``SELECT 1``)
- ``GET /ob2/assertions/{id}/baked.png``     (the stored assertion baked into the stored PNG)
- ``GET /ob2/assertions/{id}/baked.svg``     (the same in the SVG)
- ``GET /ob2/assertions/{id}``               (hosted OB 2.0 Assertion, stored JSON text)
- ``GET /ob2/assertions/{id}/signed``        (the signed OB 2.0 assertion, stored JWS)
- ``GET /ob2/assertions/{id}/signed/baked.png`` (the JWS baked)
- ``GET /ob3/credentials/{id}``              (the OB 3.0 credential, Data Integrity proof)
- ``GET /ob3/credentials/{id}/jwt``          (the same credential as a VC-JWT)
- ``GET /ob3/credentials/{id}/baked.png``, ``…/baked.svg`` (the credential baked)
- ``POST /api/v1/awards``                    (API key check, award and its issuance in every
  format: keys unsealed, two RS256 and one eddsa-rdfc-2022 signature, a status list index;
  commit, 201 JSON), once with ``--concurrency`` threads and once with a single client.

Baked images are made once per award and format and then served from the server's
in-process cache, so with the few seeded awards the baked GETs measure serving, not baking
(``bench_issuance.py`` measures baking).

GETs cycle over the seeded awards. Latency is measured per request in the client and its
percentiles cover successful requests; "OK req/s" is successful responses over the wall time
of the run; anything else (other status, transport error, ``--timeout``) is an error.
Server CPU per request (from ``/proc/<pid>/stat``) tells whether the server or the client
was the limit. Exceptions found in the server log are summarised. The server is stopped and
the temporary files removed at the end. Prints a Markdown table at the end.
"""

from __future__ import annotations

import argparse
import itertools
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from _common import (
    AWARD_EXTRA,
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

from badgeforge.core.keys import KeyVault
from badgeforge.db import make_engine, make_sessionmaker
from badgeforge.migrate import upgrade

HOST = "127.0.0.1"
WARMUP_REQUESTS = 20
START_TIMEOUT = 30.0
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")

Request = Callable[[httpx.Client, int], httpx.Response]


@dataclass(frozen=True)
class Endpoint:
    name: str
    expected_status: int
    request: Request
    concurrency: int | None = None
    """Client threads for this endpoint; None means ``--concurrency``."""


@dataclass
class RunResult:
    endpoint: str
    concurrency: int
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    wall: float = 0.0
    server_cpu: float = 0.0
    client_cpu: float = 0.0

    @property
    def completed(self) -> int:
        return len(self.latencies) + len(self.errors)

    def error_summary(self) -> str:
        kinds = Counter(error.split(":")[0].split(" after ")[0] for error in self.errors)
        return ", ".join(f"{count} x {kind}" for kind, count in kinds.most_common())


# --------------------------------------------------------------------------- server


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


def process_cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process, from /proc (Linux)."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


@contextmanager
def running_server(database_url: str, workdir: Path) -> Iterator[tuple[str, str, int]]:
    """Migrate, create an organisation, serve; yields the base URL, admin token and pid.

    The server's output goes to ``<workdir>/server.log``.
    """
    upgrade(database_url)
    engine = make_engine(database_url)
    with make_sessionmaker(engine)() as session, session.begin():
        _, token = create_organisation(session)
    engine.dispose()

    port = free_port()
    base_url = f"http://{HOST}:{port}"
    environment = {
        **os.environ,
        "BADGEFORGE_DATA_DIR": str(workdir),
        "BADGEFORGE_DATABASE_URL": database_url,
        "BADGEFORGE_PUBLIC_BASE_URL": base_url,
        "BADGEFORGE_MASTER_KEYS": KeyVault.generate_master_key(),
    }
    log_path = server_log(workdir)
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "badgeforge", "serve", "--host", HOST, "--port", str(port)],
            cwd=workdir,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_until_up(base_url, server, log_path)
        yield base_url, token, server.pid
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def server_log(workdir: Path) -> Path:
    return workdir / "server.log"


def logged_exceptions(log_path: Path) -> Counter[str]:
    """The final exception lines of the tracebacks in the server log, counted."""
    pattern = re.compile(r"^\w[\w.]*(?:Error|Exception): .*")
    with log_path.open(encoding="utf-8", errors="replace") as log:
        return Counter(line.strip()[:160] for line in log if pattern.match(line))


def wait_until_up(base_url: str, server: subprocess.Popen[bytes], log_path: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server exited:\n{log_path.read_text(errors='replace')}")
        try:
            if httpx.get(f"{base_url}/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise SystemExit(f"the server did not start in {START_TIMEOUT:.0f} s")


# --------------------------------------------------------------------------- fixtures


def seed(base_url: str, token: str, awards: int) -> tuple[str, list[str]]:
    """Create an issuer, a badge class and ``awards`` awards over the API."""
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=base_url, headers=headers, timeout=30) as client:
        issuer = checked(client.post("/api/v1/issuers", json=ISSUER), 201)
        body = {"issuer_id": issuer["id"], **BADGE_CLASS}
        badge_class_id = str(checked(client.post("/api/v1/badge-classes", json=body), 201)["id"])
        award_ids = []
        for index in range(awards):
            award = client.post("/api/v1/awards", json=award_body(badge_class_id, index))
            award_ids.append(str(checked(award, 201)["id"]))
    return badge_class_id, award_ids


def award_body(badge_class_id: str, index: int) -> dict[str, Any]:
    return {
        "badge_class_id": badge_class_id,
        "recipient_email": f"apprenant.{index}@example.org",
        **AWARD_EXTRA,
    }


def checked(response: httpx.Response, status: int) -> dict[str, Any]:
    if response.status_code != status:
        raise SystemExit(f"{response.request.method} {response.request.url}: {response.text}")
    body: dict[str, Any] = response.json()
    return body


def endpoints(badge_class_id: str, award_ids: list[str], token: str) -> list[Endpoint]:
    def award_id(index: int) -> str:
        return award_ids[index % len(award_ids)]

    auth = {"Authorization": f"Bearer {token}"}

    def post_award(client: httpx.Client, index: int) -> httpx.Response:
        body = award_body(badge_class_id, 1_000_000 + index)
        return client.post("/api/v1/awards", json=body, headers=auth)

    def get(path: str, accept: str | None = None) -> Request:
        headers = {"Accept": accept} if accept else {}
        return lambda client, i: client.get(path.format(id=award_id(i)), headers=headers)

    return [
        Endpoint("GET /health (baseline)", 200, lambda client, _: client.get("/health")),
        Endpoint("GET baked PNG", 200, get("/ob2/assertions/{id}/baked.png")),
        Endpoint("GET baked SVG", 200, get("/ob2/assertions/{id}/baked.svg")),
        Endpoint("GET assertion JSON", 200, get("/ob2/assertions/{id}", "application/json")),
        Endpoint("GET signed assertion JWS", 200, get("/ob2/assertions/{id}/signed")),
        Endpoint("GET signed baked PNG", 200, get("/ob2/assertions/{id}/signed/baked.png")),
        Endpoint("GET credential JSON", 200, get("/ob3/credentials/{id}", "application/json")),
        Endpoint("GET credential JWT", 200, get("/ob3/credentials/{id}/jwt")),
        Endpoint("GET baked credential PNG", 200, get("/ob3/credentials/{id}/baked.png")),
        Endpoint("GET baked credential SVG", 200, get("/ob3/credentials/{id}/baked.svg")),
        Endpoint("POST /api/v1/awards", 201, post_award),
        Endpoint("POST /api/v1/awards", 201, post_award, concurrency=1),
    ]


# --------------------------------------------------------------------------- load


def load(
    base_url: str,
    endpoint: Endpoint,
    *,
    requests: int,
    duration: float,
    concurrency: int,
    timeout: float,
    server_pid: int,
    offset: int,
) -> RunResult:
    """Run ``requests`` requests (or for ``duration`` s) from ``concurrency`` threads.

    Every thread stops at the deadline; a request in flight then ends within ``timeout``.
    """
    result = RunResult(endpoint.name, concurrency)
    lock = threading.Lock()
    counter = itertools.count()
    start_line = threading.Barrier(concurrency + 1, timeout=START_TIMEOUT)
    with httpx.Client(base_url=base_url, timeout=timeout) as client:
        for index in range(WARMUP_REQUESTS):
            with suppress(httpx.HTTPError):
                endpoint.request(client, offset - 1 - index)

    def worker() -> None:
        latencies: list[float] = []
        errors: list[str] = []
        with httpx.Client(base_url=base_url, timeout=timeout) as client:
            start_line.wait()
            stop = time.perf_counter() + duration
            while time.perf_counter() < stop:
                index = next(counter)
                if index >= requests:
                    break
                began = time.perf_counter()
                try:
                    response = endpoint.request(client, offset + index)
                except httpx.HTTPError as exc:
                    errors.append(f"{type(exc).__name__} after {time.perf_counter() - began:.1f} s")
                    continue
                if response.status_code == endpoint.expected_status:
                    latencies.append(time.perf_counter() - began)
                else:
                    errors.append(f"HTTP {response.status_code}: {response.text[:300]}")
        with lock:
            result.latencies += latencies
            result.errors += errors

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    start_line.wait()
    server_cpu, client_cpu = process_cpu_seconds(server_pid), time.process_time()
    began = time.perf_counter()
    for thread in threads:
        thread.join(timeout=duration + timeout + 5)
    result.wall = time.perf_counter() - began
    result.server_cpu = process_cpu_seconds(server_pid) - server_cpu
    result.client_cpu = time.process_time() - client_cpu
    return result


# --------------------------------------------------------------------------- report


def table(results: list[RunResult]) -> str:
    rows = []
    for result in results:
        done = max(result.completed, 1)
        rows.append(
            [
                result.endpoint,
                str(result.completed),
                str(result.concurrency),
                str(len(result.errors)),
                f"{len(result.latencies) / result.wall:.0f}",
                f"{percentile(result.latencies, 0.50) * 1000:.1f}",
                f"{percentile(result.latencies, 0.95) * 1000:.1f}",
                f"{percentile(result.latencies, 0.99) * 1000:.1f}",
                f"{result.server_cpu / done * 1000:.2f}",
                f"{result.server_cpu / result.wall * 100:.0f} %",
                f"{result.client_cpu / result.wall * 100:.0f} %",
            ]
        )
    header = [
        "Endpoint",
        "Requests",
        "Clients",
        "Errors",
        "OK req/s",
        "p50 (ms)",
        "p95 (ms)",
        "p99 (ms)",
        "Server CPU/req (ms)",
        "Server CPU",
        "Client CPU",
    ]
    return markdown_table(header, rows)


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--requests", type=int, default=2000, help="requests per endpoint (default 2000)"
    )
    parser.add_argument(
        "--duration", type=float, default=5.0, help="at most this many seconds per endpoint"
    )
    parser.add_argument("--concurrency", type=int, default=4, help="client threads (default 4)")
    parser.add_argument("--awards", type=int, default=50, help="awards seeded for the GETs")
    parser.add_argument(
        "--timeout", type=float, default=10.0, help="client timeout per request (default 10 s)"
    )
    parser.add_argument(
        "--only",
        metavar="TEXT",
        help="run only the endpoints whose name contains TEXT (e.g. PNG, credential, POST)",
    )
    parser.add_argument(
        "--database-url",
        metavar="URL",
        help="serve from PostgreSQL instead of SQLite: a scratch database to create and drop, "
        f"e.g. {DEFAULT_POSTGRES_URL}",
    )
    arguments = parser.parse_args(argv)
    if min(arguments.requests, arguments.concurrency, arguments.awards) < 1:
        parser.error("--requests, --concurrency and --awards must be positive")
    if not 0 < arguments.duration <= 600 or not 0 < arguments.timeout <= 600:
        parser.error("--duration and --timeout must be in (0, 600] seconds")
    return arguments


def main(argv: list[str] | None = None) -> None:
    arguments = parse_arguments(argv)
    results: list[RunResult] = []
    with ExitStack() as stack:
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="badgeforge-http-")))
        if arguments.database_url:
            database_url = stack.enter_context(scratch_postgres(arguments.database_url))
            database = postgres_version(database_url)
        else:
            database_url = f"sqlite:///{workdir / 'badgeforge.db'}"
            database = "SQLite"
        base_url, token, pid = stack.enter_context(running_server(database_url, workdir))
        print(f"server {base_url} (pid {pid}, {database}); seeding {arguments.awards} awards…")
        badge_class_id, award_ids = seed(base_url, token, arguments.awards)
        selected = [
            endpoint
            for endpoint in endpoints(badge_class_id, award_ids, token)
            if not arguments.only or arguments.only.lower() in endpoint.name.lower()
        ]
        for offset, endpoint in enumerate(selected):
            result = load(
                base_url,
                endpoint,
                requests=arguments.requests,
                duration=arguments.duration,
                concurrency=endpoint.concurrency or arguments.concurrency,
                timeout=arguments.timeout,
                server_pid=pid,
                offset=offset * 10_000_000,
            )
            print(
                f"{endpoint.name} x {result.concurrency}: {result.completed} requests in "
                f"{result.wall:.1f} s, {len(result.latencies) / result.wall:.0f} OK req/s, "
                f"{len(result.errors)} errors",
                flush=True,
            )
            if result.errors:
                print(f"  errors: {result.error_summary()}", flush=True)
                print(f"  first: {result.errors[0]}", flush=True)
            results.append(result)
        exceptions = logged_exceptions(server_log(workdir))
        for line, count in exceptions.most_common(3):
            print(f"server log, {count} traceback(s) ending: {line}")

    print()
    print(
        f"Machine: {machine()}; server: `badgeforge serve` (uvicorn, 1 process) on {database}; "
        f"client: {arguments.concurrency} threads x httpx keep-alive, same machine; "
        f"load average {load_average()}"
    )
    print()
    print(table(results))


if __name__ == "__main__":
    main(sys.argv[1:])
