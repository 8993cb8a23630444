"""In-process benchmark of awarding a badge, and of the pure baking core (no HTTP).

Usage::

    .venv/bin/python bench/bench_awards.py [--awards N] [--database-url URL] [--profile K]

Part 1, the unit of work, on a fresh migrated SQLite file in a temporary folder (and, with
``--database-url``, on a scratch PostgreSQL database that is created and then dropped).
Each award is what the HTTP API does across five requests, each with its own session that
commits at the end, as ``badgeforge.db.get_session`` does:

1. ``AwardCreate`` validation + ``awards.service.award`` (scoped badge class lookup, salted
   SHA-256 identity hash, INSERT, and issuance in every format: the issuer's keys
   unsealed, OB 2.0 hosted assertion and RS256 JWS, OB 3.0 credential with its
   ``eddsa-rdfc-2022`` proof and as a VC-JWT, a random status list index) + COMMIT;
2. ``public.service.assertion_document`` (the stored OB 2.0 assertion text);
3. ``public.service.baked_image(..., "image/png")`` (the stored assertion baked into the
   stored PNG; the first request of an award bakes, later ones hit the in-process cache);
4. ``public.credentials.credential`` (the stored OB 3.0 credential text);
5. ``public.credentials.baked_credential(..., "image/png")`` (the credential baked, once).

API key authentication and the HTTP stack are not included (see ``bench_http.py``); the
signing primitives alone are in ``bench_signing.py``, 10,000 awards in every format and
image in ``bench_issuance.py``.

Part 2, the baking core alone, with ``timeit`` on the stored badge images and documents of
the first award: ``bake_png``/``bake_svg`` of the hosted assertion and of the signed JWS,
``bake_png_credential``/``bake_svg_credential`` of the Data Integrity credential and, for
reference, the unbaking. Each is timed in ``--repeat`` rounds of an auto-ranged number of
calls (>= 0.2 s per round); the median and best rounds are reported.

``--profile K`` additionally runs cProfile over K more units of work on SQLite and prints the
functions with the most cumulative and own time.

Prints Markdown tables at the end.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import itertools
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
    DEFAULT_POSTGRES_URL,
    Tenant,
    award_data,
    bench_settings,
    bench_vault,
    create_tenant,
    load_average,
    machine,
    markdown_table,
    median,
    percentile,
    postgres_version,
    scratch_postgres,
)
from sqlalchemy.orm import Session, sessionmaker

from badgeforge.awards import service as award_service
from badgeforge.core.baking import (
    bake_png,
    bake_png_credential,
    bake_svg,
    bake_svg_credential,
    unbake_credential,
    unbake_png,
    unbake_svg,
)
from badgeforge.core.keys import KeyVault
from badgeforge.db import make_engine, make_sessionmaker
from badgeforge.issuance.models import IssuedAward
from badgeforge.migrate import upgrade
from badgeforge.public import credentials as credential_service
from badgeforge.public import service as public_service

BASE_URL = "http://127.0.0.1:8000"
WARMUP_AWARDS = 20
STEPS = (
    "award + commit",
    "assertion JSON",
    "baked PNG",
    "credential JSON",
    "baked credential PNG",
)


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


@dataclass(frozen=True)
class Bench:
    """What a unit of work needs: sessions, the tenant and the key vault."""

    factory: sessionmaker[Session]
    tenant: Tenant
    vault: KeyVault


# --------------------------------------------------------------------------- unit of work


def award_unit(bench: Bench, index: int) -> list[float]:
    """One award as the API does it; returns the seconds spent in each step (``STEPS``)."""
    marks = [time.perf_counter()]
    with bench.factory() as session:
        data = award_data(bench.tenant.badge_class_id, index)
        award, _ = award_service.award(
            session, bench.tenant.principal, data, vault=bench.vault, base_url=BASE_URL
        )
        award_id = award.id
        session.commit()
    marks.append(time.perf_counter())
    outputs: list[str | bytes] = []
    reads: list[Callable[[Session], str | bytes]] = [
        lambda session: public_service.assertion_document(session, award_id).body,
        lambda session: public_service.baked_image(session, award_id, "image/png"),
        lambda session: credential_service.credential(session, award_id),
        lambda session: credential_service.baked_credential(session, award_id, "image/png"),
    ]
    for read in reads:
        with bench.factory() as session:
            outputs.append(read(session))
            session.commit()
        marks.append(time.perf_counter())
    assert all(outputs)
    for image in (outputs[1], outputs[3]):
        assert isinstance(image, bytes)
        assert image.startswith(b"\x89PNG")
    return [after - before for before, after in itertools.pairwise(marks)]


def run_units(bench: Bench, count: int, first: int) -> UnitTimings:
    steps: dict[str, list[float]] = {step: [] for step in STEPS}
    units: list[float] = []
    start = time.perf_counter()
    for index in range(first, first + count):
        durations = award_unit(bench, index)
        for step, duration in zip(STEPS, durations, strict=True):
            steps[step].append(duration)
        units.append(sum(durations))
    return UnitTimings(steps, units, time.perf_counter() - start)


def prepare(url: str, data_dir: Path) -> tuple[sqlalchemy.Engine, Bench]:
    """Migrate ``url``, create the tenant and its badge class, warm the statement caches.

    The warm-up awards also make the issuer's signing keys and its first status list.
    """
    upgrade(url)
    engine = make_engine(url)
    factory = make_sessionmaker(engine)
    settings = bench_settings(data_dir, BASE_URL, url)
    with factory() as session, session.begin():
        tenant = create_tenant(session, settings)
    bench = Bench(factory, tenant, bench_vault(settings))
    run_units(bench, WARMUP_AWARDS, first=-WARMUP_AWARDS)
    return engine, bench


def bench_database(label: str, url: str, data_dir: Path, awards: int) -> UnitTimings:
    print(f"[{label}] migrating and creating a badge class…", flush=True)
    engine, bench = prepare(url, data_dir)
    try:
        print(f"[{label}] timing {awards} awards (load {load_average()})…", flush=True)
        timings = run_units(bench, awards, first=0)
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
    """Time the baking core on the stored images and documents of the first issued award."""
    engine = make_engine(url)
    with make_sessionmaker(engine)() as session:
        issued = session.scalars(sqlalchemy.select(IssuedAward).limit(1)).one()
        png = public_service.image_blob(session, issued.image_png_sha256, "image/png")
        svg = public_service.image_blob(session, issued.image_svg_sha256, "image/svg+xml")
        assertion, jws, credential = issued.ob2_assertion, issued.ob2_jws, issued.ob3_credential
    engine.dispose()

    verify = json.loads(assertion)["id"]
    baked_png = bake_png(png, assertion)
    baked_svg = bake_svg(svg, verify=verify, assertion_json=assertion)
    baked_credential = bake_svg_credential(svg, credential)
    kib = 1024
    png_size, svg_size = f"{len(png) / kib:.1f} KiB PNG", f"{len(svg) / kib:.1f} KiB SVG"
    sizes = f"assertion {len(assertion)} B, JWS {len(jws)} B, credential {len(credential)} B"
    print(f"[core] images: {png_size}, {svg_size}; {sizes}", flush=True)
    calls: list[tuple[str, str, Callable[[], object]]] = [
        ("`bake_png` (hosted assertion)", png_size, lambda: bake_png(png, assertion)),
        (
            "`bake_svg` (hosted assertion)",
            svg_size,
            lambda: bake_svg(svg, verify=verify, assertion_json=assertion),
        ),
        ("`bake_png` (signed JWS)", png_size, lambda: bake_png(png, jws)),
        ("`bake_svg` (signed JWS)", svg_size, lambda: bake_svg(svg, verify=jws)),
        (
            "`bake_png_credential` (Data Integrity)",
            png_size,
            lambda: bake_png_credential(png, credential),
        ),
        (
            "`bake_svg_credential` (Data Integrity)",
            svg_size,
            lambda: bake_svg_credential(svg, credential),
        ),
        (
            "`unbake_png` (reference)",
            f"{len(baked_png) / kib:.1f} KiB PNG",
            lambda: unbake_png(baked_png),
        ),
        (
            "`unbake_svg` (reference)",
            f"{len(baked_svg) / kib:.1f} KiB SVG",
            lambda: unbake_svg(baked_svg),
        ),
        (
            "`unbake_credential` SVG (reference)",
            f"{len(baked_credential) / kib:.1f} KiB SVG",
            lambda: unbake_credential(baked_credential),
        ),
    ]
    return [time_call(name, detail, call, repeat) for name, detail, call in calls]


# --------------------------------------------------------------------------- profile


def profile_units(url: str, data_dir: Path, count: int) -> str:
    engine, bench = prepare(url, data_dir)
    profiler = cProfile.Profile()
    try:
        profiler.enable()
        for index in range(count):
            award_unit(bench, 1_000_000 + index)
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
        "--awards", type=int, default=1000, help="timed awards per database (default 1000)"
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
    print(f"Full unit of work per award ({', '.join(STEPS)}); load {load_average()}:")
    print()
    print(unit_table(results))
    print()
    print(f"Core alone (timeit, {arguments.repeat} rounds, per call):")
    print()
    print(core_table(core))


if __name__ == "__main__":
    main(sys.argv[1:])
