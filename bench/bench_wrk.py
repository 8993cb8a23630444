"""Serving at scale, measured with wrk: public documents against a bare ASGI app.

Usage::

    .venv/bin/python bench/bench_wrk.py [--workers N ...] [--connections C ...]
                                        [--duration S] [--database-url URL]

Installs Debian's ``wrk`` with apt-get when it is missing (root, or sudo). Then, on
127.0.0.1, in the same run:

1. **bare**: an ASGI app answering a fixed 1 KiB JSON, under plain ``uvicorn`` (one
   process, uvicorn's defaults: httptools and uvloop when installed), the baseline;
2. **badgeforge serve --workers N** for each ``--workers`` (default 1 and 2) on a fresh
   SQLite file (or a scratch PostgreSQL database, created then dropped), seeded over the
   API with an issuer, a badge class and ``--awards`` awards.

Each endpoint is loaded for ``--duration`` seconds by ``wrk -t1 -cC`` for each
``--connections`` (default 32 and 4), after a one-second warm-up, cycling over the awards
(a Lua script): ``/health``, ``/ob2/assertions/{id}`` (public award JSON),
``…/baked.png``, ``/ob3/credentials/{id}``, and the HTML award page ``/badges/{id}`` and
badge class page ``/badge-classes/{id}`` with a browser's ``Accept`` header. ``--only``
(a regular expression) picks endpoints. Client and server share the machine's cores.
Prints a Markdown table: requests/s, latency p50/p99, non-2xx responses and socket errors,
and the server's CPU time per request (all its processes, from /proc, over the run), which
moves much less than the rates when other work shares the cores.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import httpx
from _common import (
    AWARD_EXTRA,
    BADGE_CLASS,
    ISSUER,
    create_organisation,
    load_average,
    machine,
    markdown_table,
    scratch_postgres,
)

from badgeforge.core.keys import KeyVault
from badgeforge.db import make_engine, make_sessionmaker
from badgeforge.migrate import upgrade

HOST = "127.0.0.1"
BARE_APP = """
BODY = b'{"data":"' + b"x" * 1013 + b'"}'
HEADERS = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(BODY))]

async def app(scope, receive, send):
    if scope["type"] == "lifespan":
        while (await receive())["type"] != "lifespan.shutdown":
            await send({"type": "lifespan.startup.complete"})
        await send({"type": "lifespan.shutdown.complete"})
        return
    await send({"type": "http.response.start", "status": 200, "headers": HEADERS})
    await send({"type": "http.response.body", "body": BODY})
"""
ROTATE = """
paths = {%s}
headers = {%s}
index = 0
request = function()
  index = index %% #paths + 1
  return wrk.format(nil, paths[index], headers)
end
"""
BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
"""A browser's usual Accept header (Firefox): the award URL then answers its HTML page."""


@dataclass(frozen=True)
class Result:
    server: str
    endpoint: str
    connections: int
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    non_2xx: int
    socket_errors: int
    server_cpu_ms: float = float("nan")


def ensure_wrk() -> str:
    """The wrk binary, installed from Debian's packages when missing."""
    found = shutil.which("wrk")
    if found:
        return found
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    environment = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run([*sudo, "apt-get", "update", "-qq"], check=True, env=environment)
    subprocess.run([*sudo, "apt-get", "install", "-y", "-qq", "wrk"], check=True, env=environment)
    found = shutil.which("wrk")
    if not found:
        raise SystemExit("wrk could not be installed")
    return found


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def process(
    command: list[str], url: str, env: dict[str, str], log: Path
) -> Iterator[subprocess.Popen[bytes]]:
    """Run `command` until `url` answers, yield, then stop it (SIGINT, then SIGKILL)."""
    with log.open("wb") as output:
        server = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while True:
            if server.poll() is not None:
                raise SystemExit(f"{command} exited:\n{log.read_text(errors='replace')}")
            try:
                if httpx.get(url, timeout=1).status_code < 500:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit(f"{command} did not start")
            time.sleep(0.1)
        yield server
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def seed(base_url: str, token: str, awards: int) -> tuple[str, list[str]]:
    """Issuer, badge class and `awards` awards over the API: the class's id and theirs."""
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=base_url, headers=headers, timeout=60) as client:
        issuer = client.post("/api/v1/issuers", json=ISSUER).raise_for_status().json()
        body = {"issuer_id": issuer["id"], **BADGE_CLASS}
        badge_class = client.post("/api/v1/badge-classes", json=body).raise_for_status().json()
        ids = []
        for index in range(awards):
            award = {
                "badge_class_id": badge_class["id"],
                "recipient_email": f"apprenant.{index}@example.org",
                **AWARD_EXTRA,
            }
            ids.append(client.post("/api/v1/awards", json=award).raise_for_status().json()["id"])
        return badge_class["id"], ids


_TICKS = os.sysconf("SC_CLK_TCK")


def tree_cpu_seconds(root: int) -> float:
    """User + system CPU seconds of ``root`` and its descendants (from /proc)."""
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue
        parents[int(entry.name)] = int(fields[1])
        times[int(entry.name)] = (int(fields[11]) + int(fields[12])) / _TICKS
    tree, total = {root}, 0.0
    for pid in sorted(parents):  # children have larger pids than their parents here
        if pid in tree or parents[pid] in tree:
            tree.add(pid)
            total += times[pid]
    return total


_LATENCY = re.compile(r"^\s+(50|99)(?:\.000)?%\s+([\d.]+)(us|ms|s)\s*$", re.MULTILINE)
_UNIT = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def run_wrk(
    wrk: str,
    url: str,
    paths: list[str],
    connections: int,
    duration: float,
    headers: dict[str, str] | None = None,
    on_start: Callable[[], object] = lambda: None,
) -> str:
    """wrk's report of ``duration`` seconds, after a one-second warm-up; ``on_start`` runs
    between the two."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        lua_headers = ", ".join(f'["{k}"] = "{v}"' for k, v in (headers or {}).items())
        script.write(ROTATE % (", ".join(f'"{path}"' for path in paths), lua_headers))
    try:
        base = [wrk, "-t1", f"-c{connections}", "--latency", "-s", script.name, url]
        subprocess.run([*base[:3], "-d1s", *base[3:]], check=True, capture_output=True)
        on_start()
        command = [*base[:3], f"-d{duration:g}s", *base[3:]]
        return subprocess.run(command, check=True, capture_output=True, text=True).stdout
    finally:
        os.unlink(script.name)


def parse(server: str, endpoint: str, connections: int, output: str) -> Result:
    latency = {p: float(v) * _UNIT[u] for p, v, u in _LATENCY.findall(output)}
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    return Result(
        server,
        endpoint,
        connections,
        float(rate.group(1)) if rate else 0.0,
        latency.get("50", float("nan")),
        latency.get("99", float("nan")),
        int(non_2xx.group(1)) if non_2xx else 0,
        sum(int(n) for n in errors.groups()) if errors else 0,
    )


def bench_bare(wrk: str, args: argparse.Namespace, workdir: Path) -> list[Result]:
    (workdir / "bare_app.py").write_text(BARE_APP)
    port = free_port()
    url = f"http://{HOST}:{port}"
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "bare_app:app",
        "--host",
        HOST,
        "--port",
        str(port),
        "--no-access-log",
        "--log-level",
        "warning",
        "--app-dir",
        str(workdir),
    ]
    results = []
    with process(command, url + "/", dict(os.environ), workdir / "bare.log") as server:
        for connections in args.connections:
            results.append(load(wrk, server, url, ["/"], {}, connections, args.duration))
    return results


def load(
    wrk: str,
    server: subprocess.Popen[bytes],
    url: str,
    paths: list[str],
    headers: dict[str, str],
    connections: int,
    duration: float,
    names: tuple[str, str] = ("bare ASGI, uvicorn", "fixed 1 KiB JSON"),
) -> Result:
    """One row: wrk's figures and the server's CPU time per request during the run."""
    started: list[float] = []
    output = run_wrk(
        wrk,
        url,
        paths,
        connections,
        duration,
        headers,
        lambda: started.append(tree_cpu_seconds(server.pid)),
    )
    cpu = tree_cpu_seconds(server.pid) - started[0]
    result = parse(*names, connections, output)
    served = re.search(r"(\d+) requests in", output)
    count = int(served.group(1)) if served else 0
    return replace(result, server_cpu_ms=1000 * cpu / max(count, 1))


def endpoints(badge_class_id: str, ids: list[str]) -> dict[str, tuple[list[str], dict[str, str]]]:
    """Endpoint name -> (paths to cycle over, request headers)."""
    return {
        "GET /health": (["/health"], {}),
        "GET /ob2/assertions/{id}": ([f"/ob2/assertions/{i}" for i in ids], {}),
        "GET /ob2/assertions/{id}/baked.png": ([f"/ob2/assertions/{i}/baked.png" for i in ids], {}),
        "GET /ob3/credentials/{id}": ([f"/ob3/credentials/{i}" for i in ids], {}),
        "GET /badges/{id} (HTML, browser Accept)": ([f"/badges/{i}" for i in ids], BROWSER),
        "GET /badge-classes/{id} (HTML)": ([f"/badge-classes/{badge_class_id}"], BROWSER),
    }


def warm(url: str, paths: list[str], headers: dict[str, str], workers: int) -> None:
    """Each path a few times per worker, each on a new connection (the kernel spreads them),
    so that the timed rows measure the steady state: every process has made its pages and
    baked images once (a miss costs milliseconds: the award page verifies the badge)."""
    for path in paths:
        for _ in range(5 * workers):
            httpx.get(url + path, headers=headers, timeout=60)


def bench_badgeforge(
    wrk: str, args: argparse.Namespace, workdir: Path, database_url: str, workers: int
) -> list[Result]:
    data = workdir / f"w{workers}"
    data.mkdir()
    if database_url.startswith("sqlite"):
        database_url = f"sqlite:///{data / 'badgeforge.db'}"
    upgrade(database_url)
    engine = make_engine(database_url)
    with make_sessionmaker(engine)() as session, session.begin():
        _, token = create_organisation(session)
    engine.dispose()
    port = free_port()
    url = f"http://{HOST}:{port}"
    env = {
        **os.environ,
        "BADGEFORGE_DATA_DIR": str(data),
        "BADGEFORGE_DATABASE_URL": database_url,
        "BADGEFORGE_PUBLIC_BASE_URL": url,
        "BADGEFORGE_MASTER_KEYS": KeyVault.generate_master_key(),
    }
    command = [
        sys.executable,
        "-m",
        "badgeforge",
        "serve",
        "--host",
        HOST,
        "--port",
        str(port),
        "--workers",
        str(workers),
    ]
    name = f"badgeforge serve --workers {workers}"
    results = []
    with process(command, url + "/health", env, data / "server.log") as server:
        badge_class_id, ids = seed(url, token, args.awards)
        for endpoint, (paths, headers) in endpoints(badge_class_id, ids).items():
            if not re.search(args.only, endpoint, re.IGNORECASE):
                continue
            warm(url, paths, headers, workers)
            for connections in args.connections:
                names = (name, endpoint)
                row = load(wrk, server, url, paths, headers, connections, args.duration, names)
                results.append(row)
    return results


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--connections", type=int, nargs="+", default=[32, 4])
    parser.add_argument("--duration", type=float, default=5.0)
    parser.add_argument("--awards", type=int, default=20)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--only", default="", help="a regular expression on endpoint names")
    args = parser.parse_args(argv)
    wrk = ensure_wrk()
    print(f"machine: {machine()}; load before: {load_average()}")
    with ExitStack() as stack:
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-wrk-")))
        database_url = "sqlite://"
        if args.database_url:
            database_url = stack.enter_context(scratch_postgres(args.database_url))
        results = bench_bare(wrk, args, workdir)
        for workers in args.workers:
            results += bench_badgeforge(wrk, args, workdir, database_url, workers)
    bare = {r.connections: r.requests_per_second for r in results if r.server.startswith("bare")}
    rows = [
        [
            r.server,
            r.endpoint,
            str(r.connections),
            f"{r.requests_per_second:,.0f}",
            f"{r.requests_per_second / bare[r.connections]:.0%}" if bare.get(r.connections) else "",
            f"{r.p50_ms:.2f}",
            f"{r.p99_ms:.2f}",
            str(r.non_2xx + r.socket_errors),
            f"{r.server_cpu_ms:.2f}",
        ]
        for r in results
    ]
    header = ["server", "endpoint", "conns", "req/s", "of bare", "p50 ms", "p99 ms", "errors"]
    header.append("server CPU ms/req")
    print(f"\nwrk -t1, {args.duration:g} s per row; load after: {load_average()}\n")
    print(markdown_table(header, rows))


if __name__ == "__main__":
    main()
