"""Per-request cost of the public routes in process: no socket, no HTTP parser, no client.

Usage::

    .venv/bin/python bench/bench_inprocess.py [--requests N] [--profile ENDPOINT] [--only TEXT]

Builds the app (``create_app``) on a fresh SQLite file (or ``--database-url``), seeds an
issuer, a badge class and ``--awards`` awards through the API, then drives the ASGI app
directly from one event loop (uvloop when installed), one request at a time, cycling over
the awards: the framework, middleware, thread-pool hops and the route's own work, nothing
else. Prints microseconds per request for each endpoint (best of ``--repeat`` rounds).

``--profile NAME`` runs cProfile over the endpoint whose name contains NAME and prints the
top functions by cumulative and own time. Besides the award's own formats and pages, it
times the documents a verifier fetches after an assertion: the badge class as awarded,
the issuer profile, its key and its revocation list.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import importlib.util
import os
import pstats
import re
import sys
import tempfile
import time
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from _common import (
    AWARD_EXTRA,
    BADGE_CLASS,
    ISSUER,
    bench_settings,
    create_organisation,
    load_average,
)

from badgeforge.app import create_app
from badgeforge.db import make_engine, make_sessionmaker
from badgeforge.migrate import upgrade

BASE_URL = "http://127.0.0.1:8000"
Request = Callable[[str, str, dict[str, str] | None, bytes], Coroutine[Any, Any, tuple[int, bytes]]]


def asgi_client(app: Any) -> Request:
    """A minimal ASGI caller: (method, path, headers, body) -> (status, body)."""

    async def call(
        method: str, path: str, headers: dict[str, str] | None = None, body: bytes = b""
    ) -> tuple[int, bytes]:
        path, _, query = path.partition("?")
        raw = [(b"host", b"127.0.0.1:8000")] + [
            (k.lower().encode(), v.encode()) for k, v in (headers or {}).items()
        ]
        if body:
            raw.append((b"content-length", str(len(body)).encode()))
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": method,
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": query.encode(),
            "root_path": "",
            "headers": raw,
            "client": ("127.0.0.1", 50000),
            "server": ("127.0.0.1", 8000),
        }
        sent = False
        status = 0
        chunks: list[bytes] = []

        async def receive() -> dict[str, Any]:
            nonlocal sent
            if sent:
                await asyncio.sleep(3600)
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await app(scope, receive, send)
        return status, b"".join(chunks)

    return call


async def seed(call: Request, token: str, awards: int) -> tuple[str, list[str]]:
    """An issuer, a badge class and ``awards`` awards over the API: (badge class id, award ids)."""
    import json

    auth = {"authorization": f"Bearer {token}", "content-type": "application/json"}
    status, body = await call("POST", "/api/v1/issuers", auth, json.dumps(ISSUER).encode())
    issuer = json.loads(body)
    klass = {"issuer_id": issuer["id"], **BADGE_CLASS}
    status, body = await call("POST", "/api/v1/badge-classes", auth, json.dumps(klass).encode())
    if status != 201:
        raise SystemExit(f"badge class: {status} {body[:300]!r}")
    badge_class_id = json.loads(body)["id"]
    ids = []
    for index in range(awards):
        award = {
            "badge_class_id": badge_class_id,
            "recipient_email": f"apprenant.{index}@example.org",
            **AWARD_EXTRA,
        }
        status, body = await call("POST", "/api/v1/awards", auth, json.dumps(award).encode())
        if status != 201:
            raise SystemExit(f"award: {status} {body[:300]!r}")
        ids.append(json.loads(body)["id"])
    return badge_class_id, ids


HTML = {"accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


async def verifier_documents(call: Request, award_id: str) -> dict[str, str]:
    """The paths of what a verifier fetches after the assertion: the badge class as awarded,
    the issuer profile, its key and its revocation list; after an OB 3.0 credential, its
    key (Multikey, or JWK for the VC-JWT) and its status list credential."""
    import base64
    import json
    from urllib.parse import urlsplit

    async def linked(path: str) -> dict[str, Any]:
        status, body = await call("GET", path, None, b"")
        if status != 200:
            raise SystemExit(f"{path}: {status}")
        document: dict[str, Any] = json.loads(body)
        return document

    assertion = await linked(f"/ob2/assertions/{award_id}")
    badge = await linked(urlsplit(assertion["badge"]).path)
    issuer = await linked(urlsplit(badge["issuer"]).path)
    keys = issuer["publicKey"]
    credential = await linked(f"/ob3/credentials/{award_id}")
    _, token = await call("GET", f"/ob3/credentials/{award_id}/jwt", None, b"")
    proof = credential["proof"][0] if isinstance(credential["proof"], list) else credential["proof"]
    header = json.loads(base64.urlsafe_b64decode(token.split(b".")[0] + b"=="))
    return {
        "badge class version": urlsplit(assertion["badge"]).path,
        "issuer": urlsplit(badge["issuer"]).path,
        "key": urlsplit(keys if isinstance(keys, str) else keys[0]).path,
        "revocation list": urlsplit(issuer["revocationList"]).path,
        "OB 3.0 key (Multikey)": urlsplit(proof["verificationMethod"]).path,
        "OB 3.0 key (JWK, VC-JWT kid)": urlsplit(header["kid"]).path,
        "OB 3.0 status list": urlsplit(credential["credentialStatus"]["statusListCredential"]).path,
    }


def endpoints(
    badge_class_id: str, ids: list[str], documents: dict[str, str]
) -> dict[str, tuple[list[str], dict[str, str]]]:
    """Endpoint name -> (paths to cycle over, request headers)."""
    return {
        "GET /health": (["/health"], {}),
        "GET /ob2/assertions/{id}": ([f"/ob2/assertions/{i}" for i in ids], {}),
        **{f"GET {name}": ([path], {}) for name, path in documents.items()},
        "GET /ob2/assertions/{id}/baked.png": (
            [f"/ob2/assertions/{i}/baked.png" for i in ids],
            {},
        ),
        "GET /ob3/credentials/{id}": ([f"/ob3/credentials/{i}" for i in ids], {}),
        "GET /badges/{id} (HTML)": ([f"/badges/{i}" for i in ids], HTML),
        "GET /badge-classes/{id} (HTML)": ([f"/badge-classes/{badge_class_id}"], HTML),
    }


async def run(
    call: Request, paths: list[str], headers: dict[str, str], count: int
) -> tuple[float, float]:
    """Wall-clock and CPU seconds (every thread of the process) per request, ``count`` in a row."""
    started, cpu = time.perf_counter(), time.process_time()
    for index in range(count):
        status, _ = await call("GET", paths[index % len(paths)], headers, b"")
        if status != 200:
            raise SystemExit(f"{paths[index % len(paths)]}: {status}")
    return (time.perf_counter() - started) / count, (time.process_time() - cpu) / count


async def main_async(args: argparse.Namespace, workdir: Path) -> None:
    settings = bench_settings(workdir, BASE_URL, args.database_url)
    upgrade(settings.resolved_database_url)
    engine = make_engine(settings.resolved_database_url)
    with make_sessionmaker(engine)() as session, session.begin():
        _, token = create_organisation(session)
    app = create_app(settings, engine=engine)
    call = asgi_client(app)
    badge_class_id, ids = await seed(call, token, args.awards)
    chosen = {
        name: value
        for name, value in endpoints(
            badge_class_id, ids, await verifier_documents(call, ids[0])
        ).items()
        if re.search(args.only, name, re.IGNORECASE)
    }
    print(f"load before: {load_average()}\n")
    print("| endpoint | wall µs/request | CPU µs/request | requests/s of one core (CPU) |")
    print("|:---|---:|---:|---:|")
    for name, (paths, headers) in chosen.items():
        await run(call, paths, headers, min(args.requests, 200))  # warm-up
        rounds = [await run(call, paths, headers, args.requests) for _ in range(args.repeat)]
        wall, cpu = min(r[0] for r in rounds), min(r[1] for r in rounds)
        print(f"| {name} | {wall * 1e6:,.0f} | {cpu * 1e6:,.0f} | {1 / cpu:,.0f} |")
    if args.profile:
        name = next(n for n in chosen if args.profile.lower() in n.lower())
        paths, headers = chosen[name]
        profiler = cProfile.Profile()
        profiler.enable()
        await run(call, paths, headers, args.requests)
        profiler.disable()
        stats = pstats.Stats(profiler, stream=sys.stdout)
        stats.sort_stats("cumulative").print_stats(45)
        stats.sort_stats("tottime").print_stats(30)
    engine.dispose()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--awards", type=int, default=20)
    parser.add_argument("--only", default="", help="a regular expression on the names")
    parser.add_argument("--profile", default="")
    parser.add_argument("--database-url", default="")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-inprocess-") as workdir:
        # The access log goes to a file, as a served process's does (a pipe costs more).
        saved = os.dup(2)
        with (Path(workdir) / "server.log").open("wb") as log:
            os.dup2(log.fileno(), 2)
            try:
                if importlib.util.find_spec("uvloop"):
                    import uvloop

                    uvloop.run(main_async(args, Path(workdir)))
                else:
                    asyncio.run(main_async(args, Path(workdir)))
            finally:
                os.dup2(saved, 2)


if __name__ == "__main__":
    main()
