"""The work ``bench_issuance.py`` times: awarding through the service layer, then baking.

A worker process (``run_worker``) opens its own engine, warms up on a few awards of its
own, waits on a barrier with the other workers and the parent, awards its share in
transactions of ``batch`` awards (each ``awards.service.award`` issues every format, signed,
in the transaction), waits on the barrier again, then bakes every award's PNG and SVG in
each format through the public service functions, and reports what it did.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from uuid import UUID

from _common import Tenant, award_data, bench_settings, bench_vault
from sqlalchemy import Engine, event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from badgeforge.awards import service as award_service
from badgeforge.core.keys import KeyVault
from badgeforge.db import make_engine, make_sessionmaker
from badgeforge.public import credentials as credential_service
from badgeforge.public import service as public_service

MEDIA_TYPES = ("image/png", "image/svg+xml")
BARRIER_TIMEOUT = 900.0
MAX_RETRIES = 20
PROGRESS_EVERY = 1000
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")

Baker = Callable[[Session, UUID, str], bytes]
BAKERS: dict[str, Baker] = {
    "OB 2.0 hosted": public_service.baked_image,
    "OB 2.0 signed (JWS)": public_service.signed_baked_image,
    "OB 3.0 credential": credential_service.baked_credential,
}


@dataclass(frozen=True)
class Job:
    """One worker's share of a scenario."""

    database_url: str
    master_keys: str
    base_url: str
    tenant: Tenant
    worker: int
    first: int
    count: int
    batch: int
    warmup: int


@dataclass
class Outcome:
    """What one worker did, with monotonic timestamps (comparable across processes)."""

    worker: int
    awarded: int = 0
    issued_at: float = 0.0
    baked_at: float = 0.0
    issue_cpu: float = 0.0
    bake_cpu: float = 0.0
    issue_db_cpu: float | None = None
    bake_db_cpu: float | None = None
    images: int = 0
    image_bytes: int = 0
    retried_batches: int = 0
    retry_errors: list[str] = field(default_factory=list)
    error: str | None = None


@dataclass
class Counter:
    images: int = 0
    image_bytes: int = 0
    retried: list[str] = field(default_factory=list)


def issue_awards(
    factory: sessionmaker[Session],
    vault: KeyVault,
    job: Job,
    indexes: Sequence[int],
    counter: Counter,
) -> list[UUID]:
    """Award ``indexes`` in transactions of ``job.batch`` awards; return the awards' ids.

    A batch whose commit fails on a database conflict (two concurrent transactions drew
    the same status list index, or a deadlock) is rolled back and awarded again.
    """
    ids: list[UUID] = []
    began = last = time.monotonic()
    for start in range(0, len(indexes), job.batch):
        chunk = indexes[start : start + job.batch]
        for attempt in range(MAX_RETRIES + 1):
            try:
                with factory() as session, session.begin():
                    made = [
                        award_service.award(
                            session,
                            job.tenant.principal,
                            award_data(job.tenant.badge_class_id, index),
                            vault=vault,
                            base_url=job.base_url,
                        )[0].id
                        for index in chunk
                    ]
            except DBAPIError as error:
                if attempt == MAX_RETRIES:
                    raise
                counter.retried.append(str(error.orig).splitlines()[0][:200])
                continue
            ids += made
            break
        if len(ids) // PROGRESS_EVERY > (len(ids) - len(made)) // PROGRESS_EVERY:
            now = time.monotonic()
            print(
                f"  worker {job.worker}: {len(ids):,} issued in {now - began:.1f} s "
                f"(last {PROGRESS_EVERY}: {now - last:.1f} s)",
                file=sys.stderr,
                flush=True,
            )
            last = now
    return ids


class BackendClock:
    """CPU time of the PostgreSQL backends serving an engine's connections (local server).

    Read from ``/proc/<backend pid>/stat``; None when the server is not on this machine.
    """

    def __init__(self, engine: Engine) -> None:
        self.pids: list[int] = []
        event.listen(engine, "connect", self._connected)

    def _connected(self, dbapi_connection: Any, _record: Any) -> None:
        self.pids.append(int(dbapi_connection.info.backend_pid))

    def seconds(self) -> float | None:
        total = 0.0
        for pid in self.pids:
            try:
                with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
            except OSError:
                return None
            total += (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
        return total


def _minus(after: float | None, before: float | None) -> float | None:
    return None if after is None or before is None else after - before


def bake_all(factory: sessionmaker[Session], award_ids: Sequence[UUID], batch: int) -> Counter:
    """Every award's PNG and SVG in each format, through the public service functions.

    ``batch`` awards are read per session. Each image is a first request for that award
    and format, so it is baked (and then kept in the process's cache, as a server does).
    """
    counter = Counter()
    for start in range(0, len(award_ids), batch):
        with factory() as session:
            for award_id in award_ids[start : start + batch]:
                for bake in BAKERS.values():
                    for media_type in MEDIA_TYPES:
                        image = bake(session, award_id, media_type)
                        counter.images += 1
                        counter.image_bytes += len(image)
            session.commit()
    return counter


def run_worker(job: Job, barrier: Any, results: Any) -> None:
    """Process entry point: warm up, then issue and bake between the barriers."""
    outcome = Outcome(job.worker)
    try:
        _work(job, barrier, outcome)
    except BaseException:  # reported to the parent, which fails the run
        outcome.error = traceback.format_exc()
        barrier.abort()
    results.put(outcome)


def _work(job: Job, barrier: Any, outcome: Outcome) -> None:
    engine = make_engine(job.database_url)
    backends = BackendClock(engine)
    try:
        factory = make_sessionmaker(engine)
        with tempfile.TemporaryDirectory(prefix="badgeforge-issuance-") as temp:
            settings = bench_settings(Path(temp), job.base_url, job.database_url, job.master_keys)
            vault = bench_vault(settings)
        warmup = [10_000_000 * (job.worker + 1) + index for index in range(job.warmup)]
        bake_all(factory, issue_awards(factory, vault, job, warmup, Counter()), job.batch)
        counter = Counter()
        indexes = range(job.first, job.first + job.count)
        barrier.wait(BARRIER_TIMEOUT)
        cpu, db_cpu = time.process_time(), backends.seconds()
        award_ids = issue_awards(factory, vault, job, indexes, counter)
        outcome.issued_at = time.monotonic()
        outcome.issue_cpu = time.process_time() - cpu
        outcome.issue_db_cpu = _minus(backends.seconds(), db_cpu)
        barrier.wait(BARRIER_TIMEOUT)
        cpu, db_cpu = time.process_time(), backends.seconds()
        baked = bake_all(factory, award_ids, job.batch)
        outcome.baked_at = time.monotonic()
        outcome.bake_cpu = time.process_time() - cpu
        outcome.bake_db_cpu = _minus(backends.seconds(), db_cpu)
        outcome.images, outcome.image_bytes = baked.images, baked.image_bytes
        outcome.retried_batches = len(counter.retried)
        outcome.retry_errors = counter.retried[:5]
        outcome.awarded = len(award_ids)
    finally:
        engine.dispose()
