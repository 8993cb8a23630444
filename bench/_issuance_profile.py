"""cProfile of issuance and baking for ``bench_issuance.py --profile P``.

Issuance and baking are profiled separately, in this process, on a tenant of their own,
with cProfile's default wall clock. (A CPU clock, ``time.process_time``, is a system call
in this VM: with ~20,000 profiled calls per award its own cost swamped the figures.) On a
loaded machine the wall clock also charges functions for time spent waiting for a core,
so read shares, not absolute times; ``bench_issuance.py`` reports unprofiled CPU times,
of this process and of its PostgreSQL backends.
Besides pstats' top functions, own time is summed by component (where the code lives:
SQLAlchemy, psycopg, pyld, badgeforge's core, the OpenSSL signatures, ...) so that the
share of each is a number, not an impression.
"""

from __future__ import annotations

import cProfile
import io
import pstats
import tempfile
from collections.abc import Callable
from pathlib import Path

from _common import Tenant, bench_settings, bench_vault, markdown_table
from _issuance_work import Counter, Job, bake_all, issue_awards

from badgeforge.db import make_engine, make_sessionmaker

COMPONENTS: list[tuple[str, Callable[[str, str], bool]]] = [
    ("psycopg: waiting for PostgreSQL", lambda path, name: "psycopg" in path and name == "wait"),
    ("psycopg (sending, reading)", lambda path, _: "/psycopg" in path),
    ("SQLAlchemy", lambda path, _: "/sqlalchemy/" in path),
    ("pyld (JSON-LD expansion)", lambda path, _: "/pyld/" in path),
    (
        "badgeforge.core RDFC-1.0 / canonical",
        lambda path, _: path.endswith(("rdfc.py", "canonical.py", "expansion.py")),
    ),
    ("badgeforge.core SVG", lambda path, _: "/badgeforge/core/svg" in path),
    ("badgeforge.core (other)", lambda path, _: "/badgeforge/core/" in path),
    ("badgeforge (service layer)", lambda path, _: "/badgeforge/" in path),
    ("RSA / Ed25519 signing", lambda path, name: path == "~" and _signature(name)),
    ("Fernet / PEM (key unsealing)", lambda path, name: "fernet" in path or "load_pem" in name),
    ("json", lambda path, _: "/json/" in path or "json" in path.rsplit("/", 1)[-1]),
    (
        "hashlib, zlib, copy, re, uuid",
        lambda path, name: any(
            part in path + name
            for part in ("hashlib", "sha256", "zlib", "crc32", "copy.py", "/re/", "uuid")
        ),
    ),
]


def _signature(name: str) -> bool:
    return "'sign'" in name and ("RSA" in name or "Ed25519" in name)


def component(path: str, name: str) -> str:
    for label, matches in COMPONENTS:
        if matches(path, name):
            return label
    return "other (Python, builtins)"


def by_component(stats: pstats.Stats, count: int) -> str:
    """Own time summed by component, in ms per award and share of the total."""
    totals: dict[str, float] = {}
    raw: dict[tuple[str, int, str], tuple[int, int, float, float, object]] = stats.stats  # type: ignore[attr-defined]
    for (path, _line, name), (_cc, _nc, own, _cum, _callers) in raw.items():
        label = component(path, name)
        totals[label] = totals.get(label, 0.0) + own
    whole = sum(totals.values()) or 1.0
    rows = [
        [label, f"{seconds * 1000 / count:.2f}", f"{seconds / whole * 100:.0f} %"]
        for label, seconds in sorted(totals.items(), key=lambda item: -item[1])
    ]
    rows.append(["total (profiled)", f"{whole * 1000 / count:.2f}", "100 %"])
    return markdown_table(["Component (own time)", "ms/award", "share"], rows)


def _report(title: str, profiler: cProfile.Profile, count: int, top: int) -> str:
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    out.write(f"\n### {title}: {count} awards, own time by component\n\n")
    out.write(by_component(stats, count) + "\n\n")
    stats = stats.strip_dirs()
    out.write(f"{title}: top functions by cumulative time\n")
    stats.sort_stats("cumulative").print_stats(top)
    out.write(f"{title}: top functions by own time\n")
    stats.sort_stats("tottime").print_stats(top)
    return out.getvalue()


def profile_run(
    database_url: str, master_keys: str, base_url: str, tenant: Tenant, count: int
) -> str:
    """cProfile of ``count`` awards issued (50 per transaction), then of their baking."""
    engine = make_engine(database_url)
    factory = make_sessionmaker(engine)
    with tempfile.TemporaryDirectory(prefix="badgeforge-issuance-") as temp:
        vault = bench_vault(bench_settings(Path(temp), base_url, database_url, master_keys))
    job = Job(database_url, master_keys, base_url, tenant, 0, 0, count, 50, 0)
    try:
        warmup = issue_awards(factory, vault, job, range(20_000_000, 20_000_020), Counter())
        bake_all(factory, warmup, job.batch)
        issuing, baking = cProfile.Profile(), cProfile.Profile()
        issuing.enable()
        award_ids = issue_awards(factory, vault, job, range(count), Counter())
        issuing.disable()
        baking.enable()
        bake_all(factory, award_ids, job.batch)
        baking.disable()
    finally:
        engine.dispose()
    return _report("Issuance", issuing, count, 25) + _report("Baking", baking, count, 15)
