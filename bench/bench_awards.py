"""In-process benchmark of awarding a badge, and of the pure core it relies on (no HTTP).

Usage::

    .venv/bin/python bench/bench_awards.py [--awards N] [--database-url URL] [--profile K]

Part 1, the unit of work, on a fresh migrated SQLite file in a temporary folder (and, with
``--database-url``, on a scratch PostgreSQL database that is created and then dropped).
Each award is what the HTTP API does across three requests, each with its own session that
commits at the end, as ``badgeforge.db.get_session`` does:

1. ``AwardCreate`` validation + ``awards.service.award`` (scoped badge class lookup, salted
   SHA-256 identity hash, INSERT) + COMMIT;
2. ``public.service.assertion_document`` + the JSON body the route serialises;
3. ``public.service.baked_image(..., "image/png")`` (assertion rendered again, PNG baked).

API key authentication and the HTTP stack are not included (see ``bench_http.py``).

Part 2, the core alone, with ``timeit`` on the real template-rendered badge class images:
``core.ob2.assertion``, the compact JSON payload, ``bake_png``, ``bake_svg`` and, for
reference, ``unbake_png``/``unbake_svg``. Each is timed in ``--repeat`` rounds of an
auto-ranged number of calls (>= 0.2 s per round); the median and best rounds are reported.

``--profile K`` additionally runs cProfile over K more units of work on SQLite and prints the
functions with the most cumulative and own time.

Prints Markdown tables at the end.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import sqlite3
import sys
import tempfile
import time
import timeit
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy
from _common import (
    AWARD_EXTRA,
    DEFAULT_POSTGRES_URL,
    Tenant,
    bench_settings,
    create_tenant,
    machine,
    markdown_table,
    median,
    percentile,
    postgres_version,
    scratch_postgres,
)
from sqlalchemy.orm import Session, sessionmaker, undefer

from badgeforge.awards import service as award_service
from badgeforge.awards.models import Award
from badgeforge.awards.schemas import AwardCreate
from badgeforge.badge_classes.models import BadgeClass
from badgeforge.badge_classes.service import to_record as badge_class_record
from badgeforge.core import ob2
from badgeforge.core.baking import bake_png, bake_svg, unbake_png, unbake_svg
from badgeforge.db import make_engine, make_sessionmaker
from badgeforge.migrate import upgrade
from badgeforge.public import service as public_service
from badgeforge.public.links import PublicLinks

BASE_URL = "http://127.0.0.1:8000"
WARMUP_AWARDS = 20
STEPS = ("award + commit", "assertion JSON", "baked PNG")


@dataclass(frozen=True)
class UnitTimings:
    """Per-award durations in seconds: one list per step, and the whole unit."""

    steps: dict[str, list[float]]
    units: list[float]
    wall: float

    @property
    def awards_per_second(self) -> float:
        return len(self.units) / self.wall


@dataclass(frozen=True)
class CoreTiming:
    name: str
    detail: str
    median_us: float
    best_us: float


# --------------------------------------------------------------------------- unit of work


def award_unit(
    factory: sessionmaker[Session], tenant: Tenant, links: PublicLinks, index: int
) -> tuple[float, float, float]:
    """One award as the API does it; returns the seconds spent in each of the three steps."""
    start = time.perf_counter()
    with factory() as session:
        data = AwardCreate.model_validate(
            {
                "badge_class_id": tenant.badge_class_id,
                "recipient_email": f"Apprenant.{index}@Example.org",
                **AWARD_EXTRA,
            }
        )
        award_id = award_service.award(session, tenant.principal, data).id
        session.commit()
    awarded = time.perf_counter()
    with factory() as session:
        hosted = public_service.assertion_document(session, links, award_id)
        body = json.dumps(hosted.document, ensure_ascii=False, indent=2)
        session.commit()
    rendered = time.perf_counter()
    with factory() as session:
        png = public_service.baked_image(session, links, award_id, "image/png")
        session.commit()
    baked = time.perf_counter()
    assert body
    assert png.startswith(b"\x89PNG")
    return awarded - start, rendered - awarded, baked - rendered


def run_units(
    factory: sessionmaker[Session], tenant: Tenant, links: PublicLinks, count: int, first: int
) -> UnitTimings:
    steps: dict[str, list[float]] = {step: [] for step in STEPS}
    units: list[float] = []
    start = time.perf_counter()
    for index in range(first, first + count):
        durations = award_unit(factory, tenant, links, index)
        for step, duration in zip(STEPS, durations, strict=True):
            steps[step].append(duration)
        units.append(sum(durations))
    return UnitTimings(steps, units, time.perf_counter() - start)


def prepare(url: str, data_dir: Path) -> tuple[sqlalchemy.Engine, sessionmaker[Session], Tenant]:
    """Migrate ``url``, create the tenant and its badge class, warm the statement caches."""
    upgrade(url)
    engine = make_engine(url)
    factory = make_sessionmaker(engine)
    settings = bench_settings(data_dir, BASE_URL, url)
    with factory() as session, session.begin():
        tenant = create_tenant(session, settings)
    run_units(factory, tenant, PublicLinks(BASE_URL), WARMUP_AWARDS, first=-WARMUP_AWARDS)
    return engine, factory, tenant


def bench_database(label: str, url: str, data_dir: Path, awards: int) -> UnitTimings:
    print(f"[{label}] migrating and creating a badge class…", flush=True)
    engine, factory, tenant = prepare(url, data_dir)
    try:
        print(f"[{label}] timing {awards} awards…", flush=True)
        timings = run_units(factory, tenant, PublicLinks(BASE_URL), awards, first=0)
    finally:
        engine.dispose()
    print(f"[{label}] {timings.awards_per_second:.0f} awards/s", flush=True)
    return timings


# --------------------------------------------------------------------------- core


def time_call(name: str, detail: str, call: Callable[[], object], repeat: int) -> CoreTiming:
    timer = timeit.Timer(call)
    number, _ = timer.autorange()
    rounds = [total / number * 1e6 for total in timer.repeat(repeat=repeat, number=number)]
    print(f"[core] {name}: {median(rounds):.1f} µs ({number} calls x {repeat})", flush=True)
    return CoreTiming(name, detail, median(rounds), min(rounds))


def bench_core(url: str, repeat: int) -> list[CoreTiming]:
    """Time the pure functions on the SQLite database's badge class and first award."""
    engine = make_engine(url)
    links = PublicLinks(BASE_URL)
    with make_sessionmaker(engine)() as session:
        award = session.scalars(sqlalchemy.select(Award).limit(1)).one()
        badge_class = session.get_one(
            BadgeClass,
            award.badge_class_id,
            options=[undefer(BadgeClass.image_png), undefer(BadgeClass.image_svg)],
        )
        record = award_service.to_record(award)
        class_record = badge_class_record(badge_class)
        png, svg = badge_class.image_png, badge_class.image_svg
    engine.dispose()

    document = ob2.assertion(record, class_record, links)
    payload = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    verify = document["id"]
    baked_png = bake_png(png, payload)
    baked_svg = bake_svg(svg, verify=verify, assertion_json=payload)
    size = f"{len(png) / 1024:.1f} KiB PNG, {len(svg) / 1024:.1f} KiB SVG"
    print(f"[core] images: {size}; payload {len(payload)} bytes", flush=True)
    kib = 1024
    return [
        time_call(
            "`ob2.assertion` (render document)",
            f"{len(document)} keys",
            lambda: ob2.assertion(record, class_record, links),
            repeat,
        ),
        time_call(
            "`json.dumps` (compact payload)",
            f"{len(payload)} B",
            lambda: json.dumps(document, ensure_ascii=False, separators=(",", ":")),
            repeat,
        ),
        time_call(
            "`bake_png`",
            f"{len(png) / kib:.1f} KiB PNG",
            lambda: bake_png(png, payload),
            repeat,
        ),
        time_call(
            "`bake_svg`",
            f"{len(svg) / kib:.1f} KiB SVG",
            lambda: bake_svg(svg, verify=verify, assertion_json=payload),
            repeat,
        ),
        time_call(
            "`unbake_png` (reference)",
            f"{len(baked_png) / kib:.1f} KiB PNG",
            lambda: unbake_png(baked_png),
            repeat,
        ),
        time_call(
            "`unbake_svg` (reference)",
            f"{len(baked_svg) / kib:.1f} KiB SVG",
            lambda: unbake_svg(baked_svg),
            repeat,
        ),
    ]


# --------------------------------------------------------------------------- profile


def profile_units(url: str, data_dir: Path, count: int) -> str:
    engine, factory, tenant = prepare(url, data_dir)
    links = PublicLinks(BASE_URL)
    profiler = cProfile.Profile()
    try:
        profiler.enable()
        for index in range(count):
            award_unit(factory, tenant, links, 1_000_000 + index)
        profiler.disable()
    finally:
        engine.dispose()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs()
    out.write(f"cProfile of {count} units of work (SQLite), by cumulative time\n")
    stats.sort_stats("cumulative").print_stats(30)
    out.write("by own time\n")
    stats.sort_stats("tottime").print_stats(20)
    return out.getvalue()


# --------------------------------------------------------------------------- report


def ms(value: float) -> str:
    return f"{value * 1000:.2f}"


def unit_table(results: dict[str, UnitTimings]) -> str:
    header = ["Database", "Awards", "Awards/s", "Unit p50 (ms)", "Unit p95 (ms)"]
    header += [f"{step} p50 (ms)" for step in STEPS]
    rows = []
    for label, timings in results.items():
        row = [
            label,
            str(len(timings.units)),
            f"{timings.awards_per_second:.0f}",
            ms(median(timings.units)),
            ms(percentile(timings.units, 0.95)),
        ]
        row += [ms(median(timings.steps[step])) for step in STEPS]
        rows.append(row)
    return markdown_table(header, rows)


def core_table(timings: list[CoreTiming]) -> str:
    rows = [
        [
            timing.name,
            timing.detail,
            f"{timing.median_us:.1f}",
            f"{timing.best_us:.1f}",
            f"{1e6 / timing.median_us:,.0f}",
        ]
        for timing in timings
    ]
    return markdown_table(["Core operation", "Input", "Median (µs)", "Best (µs)", "Calls/s"], rows)


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--awards", type=int, default=2000, help="timed awards per database (default 2000)"
    )
    parser.add_argument(
        "--database-url",
        metavar="URL",
        help="also run on PostgreSQL: a scratch database to create and drop, e.g. "
        f"{DEFAULT_POSTGRES_URL}",
    )
    parser.add_argument(
        "--repeat", type=int, default=7, help="timeit rounds per core operation (default 7)"
    )
    parser.add_argument(
        "--profile", type=int, default=0, metavar="K", help="cProfile K more awards on SQLite"
    )
    arguments = parser.parse_args(argv)
    if arguments.awards < 1 or arguments.repeat < 1 or arguments.profile < 0:
        parser.error("--awards and --repeat must be positive, --profile not negative")
    return arguments


def main(argv: list[str] | None = None) -> None:
    arguments = parse_arguments(argv)
    results: dict[str, UnitTimings] = {}
    with tempfile.TemporaryDirectory(prefix="badgeforge-bench-") as temp:
        data_dir = Path(temp)
        sqlite_url = f"sqlite:///{data_dir / 'bench.db'}"
        sqlite_label = f"SQLite {sqlite3.sqlite_version}"
        results[sqlite_label] = bench_database(sqlite_label, sqlite_url, data_dir, arguments.awards)
        if arguments.database_url:
            with scratch_postgres(arguments.database_url) as postgres:
                label = postgres_version(postgres)
                results[label] = bench_database(label, postgres, data_dir, arguments.awards)
        core = bench_core(sqlite_url, arguments.repeat)
        profile = ""
        if arguments.profile:
            profile = profile_units(
                f"sqlite:///{data_dir / 'profile.db'}", data_dir, arguments.profile
            )

    if profile:
        print()
        print(profile)
    print()
    print(f"Machine: {machine()}; SQLAlchemy {sqlalchemy.__version__}")
    print()
    print("Full unit of work per award (award + commit, assertion JSON, baked PNG):")
    print()
    print(unit_table(results))
    print()
    print(f"Core alone (timeit, {arguments.repeat} rounds, per call):")
    print()
    print(core_table(core))


if __name__ == "__main__":
    main(sys.argv[1:])
