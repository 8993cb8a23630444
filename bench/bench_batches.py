"""A 10,000-recipient award batch in every format, signed and baked, on PostgreSQL.

Usage::

    .venv/bin/python bench/bench_batches.py [--recipients N] [--workers W] [--verify K]
        [--database-url URL] [--output PATH]

A scratch PostgreSQL database (default ``…/badgeforge_bench_batches``; it must not exist)
is created, migrated with Alembic and dropped at the end. Timed end to end:

1. **create**: ``batches.service.create`` validates the N rows (``AwardCreate``, dates,
   duplicate emails) and stores them, in one transaction (what ``POST
   /api/v1/award-batches`` and ``badgeforge award-batch`` do).
2. **award**: W worker processes call ``batches.worker.process_next`` until no row is
   pending: rows claimed ``FOR UPDATE SKIP LOCKED``, ``CHUNK`` per transaction, each
   awarded through ``awards.service.award`` (OB 2.0 hosted + JWS, OB 3.0 Data Integrity +
   VC-JWT, a status list entry), marked done with its award id.
3. **bake**: the same W processes bake every award's PNG and SVG in each format (6 images)
   through the public service functions, each process a share of the awards.

Then K awards are verified (``_issuance_checks.verify_sample``: Data Integrity, JSON
Schema, VC-JWT, JWS, unbaking; every award issued once, status entries unique) and the
batch rows are checked: N done, N distinct award ids.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from uuid import UUID

from _common import (
    DEFAULT_POSTGRES_URL,
    bench_settings,
    create_tenant,
    load_average,
    machine,
    markdown_table,
    postgres_version,
    scratch_postgres,
)
from _issuance_checks import verify_sample
from _issuance_work import bake_all
from sqlalchemy import func, select

from badgeforge.batches import service
from badgeforge.batches.models import AwardBatchRow, BatchSource, RowState
from badgeforge.batches.worker import CHUNK, process_next
from badgeforge.db import make_engine, make_sessionmaker, utcnow
from badgeforge.migrate import upgrade
from badgeforge.settings import Settings

BASE_URL = "https://badges.ateliers-du-val.example.fr"
DATABASE_URL = DEFAULT_POSTGRES_URL.replace("/badgeforge_bench", "/badgeforge_bench_batches")


def _award_loop(settings: Settings, results: Any) -> None:
    engine = make_engine(settings.resolved_database_url)
    factory = make_sessionmaker(engine)
    calls = 0
    while process_next(factory, settings, utcnow()):
        calls += 1
    engine.dispose()
    results.put(("award", calls, time.monotonic()))


def _bake_share(settings: Settings, award_ids: list[UUID], results: Any) -> None:
    engine = make_engine(settings.resolved_database_url)
    counter = bake_all(make_sessionmaker(engine), award_ids, 50)
    engine.dispose()
    results.put(("bake", counter.images, time.monotonic()))


def _run(processes: list[multiprocessing.Process], results: Any) -> list[Any]:
    for process in processes:
        process.start()
    outcomes = [results.get(timeout=3600) for _ in processes]
    for process in processes:
        process.join()
        if process.exitcode:
            raise SystemExit(f"a worker process failed (exit {process.exitcode})")
    return outcomes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--verify", type=int, default=20)
    parser.add_argument("--database-url", default=DATABASE_URL)
    parser.add_argument("--output", type=Path, default=Path("bench/results/batches.json"))
    arguments = parser.parse_args()
    context = multiprocessing.get_context("fork")
    with scratch_postgres(arguments.database_url) as url, tempfile.TemporaryDirectory() as tmp:
        upgrade(url)
        settings = bench_settings(Path(tmp), BASE_URL, url)
        engine = make_engine(url)
        factory = make_sessionmaker(engine)
        with factory() as session, session.begin():
            tenant = create_tenant(session, settings)
        rows = [
            (n, {"recipient_email": f"Apprenant.{n}@Example.org", "narrative": "Remise"}, None)
            for n in range(1, arguments.recipients + 1)
        ]
        engine.dispose()  # no connection inherited by the forked workers
        started = time.monotonic()
        engine = make_engine(url)
        with make_sessionmaker(engine)() as session, session.begin():
            batch = service.create(
                session,
                tenant.principal,
                service.BatchInput(tenant.badge_class_id, rows, BatchSource.JSON),
            )
        created = time.monotonic()
        engine.dispose()
        results = context.Queue()
        _run(
            [
                context.Process(target=_award_loop, args=(settings, results))
                for _ in range(arguments.workers)
            ],
            results,
        )
        awarded = time.monotonic()
        engine = make_engine(url)
        with make_sessionmaker(engine)() as session:
            award_ids = [
                award_id
                for award_id in session.scalars(
                    select(AwardBatchRow.award_id)
                    .where(AwardBatchRow.batch_id == batch.id)
                    .order_by(AwardBatchRow.row_number)
                )
                if award_id is not None
            ]
        engine.dispose()
        workers = arguments.workers
        outcomes = _run(
            [
                context.Process(target=_bake_share, args=(settings, award_ids[k::workers], results))
                for k in range(workers)
            ],
            results,
        )
        baked = time.monotonic()
        images = sum(outcome[1] for outcome in outcomes)
        engine = make_engine(url)
        with make_sessionmaker(engine)() as session:
            checks = verify_sample(session, tenant, arguments.verify)
            found = session.execute(
                select(AwardBatchRow.state, func.count(), func.count(AwardBatchRow.award_id))
                .where(AwardBatchRow.batch_id == batch.id)
                .group_by(AwardBatchRow.state)
            ).all()
        engine.dispose()
        states = {state: (count, with_award) for state, count, with_award in found}
        n = arguments.recipients
        if states != {RowState.DONE.value: (n, n)} or len(set(award_ids)) != n:
            checks.failures.append(f"batch rows: {states}, {len(set(award_ids))} distinct awards")
        report = {
            "machine": machine(),
            "database": postgres_version(url),
            "load_average_after": load_average(),
            "recipients": n,
            "workers": workers,
            "chunk": CHUNK,
            "create_seconds": round(created - started, 2),
            "award_seconds": round(awarded - created, 2),
            "bake_seconds": round(baked - awarded, 2),
            "total_seconds": round(baked - started, 2),
            "awards_per_second": round(n / (awarded - created), 1),
            "images": images,
            "checks": checks.as_dict(),
        }
    print(
        markdown_table(
            [
                "recipients",
                "workers",
                "create (s)",
                "award (s)",
                "bake (s)",
                "total (s)",
                "awards/s",
            ],
            [
                [
                    str(n),
                    str(workers),
                    str(report["create_seconds"]),
                    str(report["award_seconds"]),
                    str(report["bake_seconds"]),
                    str(report["total_seconds"]),
                    str(report["awards_per_second"]),
                ]
            ],
        )
    )
    print(f"{images} images baked; checks passed: {checks.passed}; load {load_average()}")
    for failure in checks.failures[:10]:
        print("FAILED:", failure)
    arguments.output.parent.mkdir(parents=True, exist_ok=True)
    arguments.output.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    sys.exit(0 if checks.passed else 1)


if __name__ == "__main__":
    main()
