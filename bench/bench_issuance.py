"""10,000 awards in every format, signed and baked, through the service layer on PostgreSQL.

Usage::

    .venv/bin/python bench/bench_issuance.py [--awards N] [--batch B] [--one-per-tx M]
        [--processes 1,2] [--verify K] [--profile P] [--database-url URL] [--output PATH]

A scratch PostgreSQL database (``--database-url``, default ``…/badgeforge_bench_issuance``; it must
not exist) is created, migrated with Alembic and dropped at the end. Each scenario gets its
own organisation, issuer and template-rendered badge class (``_common.create_tenant``).

**Issuance**: ``awards.service.award`` in sessions that commit, ``--batch`` awards per
transaction (default 50), and, for comparison, one award per transaction (``--one-per-tx``
awards, default 2000; 0 skips). Every award is issued in every format in its transaction:
the issuer's keys unsealed from the vault, the OB 2.0 hosted assertion and its RS256 JWS,
the OB 3.0 credential with an ``eddsa-rdfc-2022`` proof and as an RS256 VC-JWT, and a
random free index in the issuer's Bitstring Status List.

**Baking**: then every award's PNG and SVG in each format (OB 2.0 hosted, OB 2.0 signed,
OB 3.0 credential: 6 images) through the public service functions
(``public.service.baked_image``, ``signed_baked_image``, ``public.credentials.baked_credential``),
which read the stored documents and images and bake each once (then cache it in-process).

Each scenario runs with 1 and with 2 worker processes (``--processes``), each with its own
engine; the awards are split between them. The workers warm up on a few awards of their
own, then start together on a barrier; the issuance phase ends when the last worker has
issued its share (a second barrier), the baking phase when the last one has baked.
"Awards/s" is awards over wall time. With 2 processes, two transactions may draw the same
status list index (a unique constraint) or deadlock: the batch is rolled back and awarded
again, and the retries are counted.

Afterwards ``--verify`` random awards (default 20) are checked (``_issuance_checks.py``):
Data Integrity proof against the issuer's Ed25519 key (and refused once tampered with),
OB 3.0 JSON Schema, VC-JWT and OB 2.0 JWS against the RSA key, every baked image unbaked;
over the whole database, every award issued once and status list entries unique.

``--profile P`` runs cProfile over P more awards (batched) and their baking in this process.
Prints Markdown tables; writes the figures to ``--output`` (``bench/results/issuance.json``).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy
from _common import (
    DEFAULT_POSTGRES_URL,
    Tenant,
    bench_settings,
    bench_vault,
    create_tenant,
    load_average,
    machine,
    markdown_table,
    postgres_version,
    scratch_postgres,
)
from _issuance_checks import verify_sample
from _issuance_profile import profile_run
from _issuance_work import BAKERS, BARRIER_TIMEOUT, Counter, Job, Outcome, issue_awards
from _issuance_work import run_worker as worker_main

from badgeforge.core.keys import KeyVault
from badgeforge.db import make_engine, make_sessionmaker
from badgeforge.migrate import upgrade

BASE_URL = "https://badges.ateliers-du-val.example.fr"
DATABASE_URL = DEFAULT_POSTGRES_URL.replace("/badgeforge_bench", "/badgeforge_bench_issuance")
RESULTS = Path(__file__).parent / "results" / "issuance.json"
WARMUP_AWARDS = 10
TARGET_SECONDS = 60.0
TARGET_AWARDS = 10_000
IDLE_CORES = 2


@dataclass(frozen=True)
class Scenario:
    processes: int
    batch: int
    awards: int

    @property
    def label(self) -> str:
        unit = "1 award" if self.batch == 1 else f"{self.batch} awards"
        return f"{self.processes} process{'es' if self.processes > 1 else ''}, {unit}/tx"


@dataclass
class ScenarioResult:
    scenario: Scenario
    issue_seconds: float
    total_seconds: float
    images: int
    image_bytes: int
    issue_cpu: float
    bake_cpu: float
    issue_db_cpu: float | None
    bake_db_cpu: float | None
    retried_batches: int
    load_before: str
    load_after: str
    retry_errors: list[str] = field(default_factory=list)

    @property
    def issue_rate(self) -> float:
        return self.scenario.awards / self.issue_seconds

    @property
    def total_rate(self) -> float:
        return self.scenario.awards / self.total_seconds

    def cpu_ms(self, seconds: float | None) -> float | None:
        """CPU milliseconds per award."""
        return None if seconds is None else seconds * 1000 / self.scenario.awards

    @property
    def idle_estimate(self) -> float | None:
        """Seconds for 10,000 awards issued and baked if all CPU (this script's processes
        and their PostgreSQL backends) were spread over 2 otherwise idle cores."""
        if self.issue_db_cpu is None or self.bake_db_cpu is None:
            return None
        cpu = self.issue_cpu + self.bake_cpu + self.issue_db_cpu + self.bake_db_cpu
        return cpu / self.scenario.awards * TARGET_AWARDS / IDLE_CORES

    def as_dict(self) -> dict[str, Any]:
        return {
            **asdict(self),
            "issue_awards_per_second": round(self.issue_rate, 1),
            "issue_and_bake_awards_per_second": round(self.total_rate, 1),
            "seconds_for_10000_awards": round(TARGET_AWARDS / self.total_rate, 1),
            "cpu_ms_per_award": {
                "issue_python": self.cpu_ms(self.issue_cpu),
                "issue_postgres": self.cpu_ms(self.issue_db_cpu),
                "bake_python": self.cpu_ms(self.bake_cpu),
                "bake_postgres": self.cpu_ms(self.bake_db_cpu),
            },
            "estimated_seconds_for_10000_on_2_idle_cores": self.idle_estimate,
        }


# --------------------------------------------------------------------------- scenarios


def new_tenant(database_url: str, master_keys: str, data_dir: Path) -> Tenant:
    """A tenant whose issuer already has its keys and first status list (one award)."""
    engine = make_engine(database_url)
    try:
        factory = make_sessionmaker(engine)
        settings = bench_settings(data_dir, BASE_URL, database_url, master_keys)
        with factory() as session, session.begin():
            tenant = create_tenant(session, settings)
        job = Job(database_url, master_keys, BASE_URL, tenant, -1, 0, 0, 1, 0)
        issue_awards(factory, bench_vault(settings), job, [-1], Counter())
    finally:
        engine.dispose()
    return tenant


def run_scenario(
    database_url: str, master_keys: str, scenario: Scenario, tenant: Tenant
) -> ScenarioResult:
    """Run the scenario's workers between the barriers and time the two phases."""
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(scenario.processes + 1)
    results = context.Queue()
    share, extra = divmod(scenario.awards, scenario.processes)
    workers, first = [], 0
    for worker in range(scenario.processes):
        count = share + (1 if worker < extra else 0)
        job = Job(
            database_url,
            master_keys,
            BASE_URL,
            tenant,
            worker,
            first,
            count,
            scenario.batch,
            WARMUP_AWARDS,
        )
        first += count
        process = context.Process(target=worker_main, args=(job, barrier, results))
        process.start()
        workers.append(process)
    outcomes: list[Outcome] = []
    try:
        barrier.wait(BARRIER_TIMEOUT)
        load_before, start = load_average(), time.monotonic()
        barrier.wait(BARRIER_TIMEOUT)
    except threading.BrokenBarrierError:
        pass
    finally:
        outcomes = [results.get(timeout=BARRIER_TIMEOUT) for _ in workers]
        for process in workers:
            process.join()
    failed = [outcome.error for outcome in outcomes if outcome.error]
    if failed:
        raise SystemExit(f"a worker failed:\n{failed[0]}")
    return ScenarioResult(
        scenario,
        issue_seconds=max(outcome.issued_at for outcome in outcomes) - start,
        total_seconds=max(outcome.baked_at for outcome in outcomes) - start,
        images=sum(outcome.images for outcome in outcomes),
        image_bytes=sum(outcome.image_bytes for outcome in outcomes),
        issue_cpu=sum(outcome.issue_cpu for outcome in outcomes),
        bake_cpu=sum(outcome.bake_cpu for outcome in outcomes),
        issue_db_cpu=_total([outcome.issue_db_cpu for outcome in outcomes]),
        bake_db_cpu=_total([outcome.bake_db_cpu for outcome in outcomes]),
        retried_batches=sum(outcome.retried_batches for outcome in outcomes),
        load_before=load_before,
        load_after=load_average(),
        retry_errors=[error for outcome in outcomes for error in outcome.retry_errors][:5],
    )


def _total(values: list[float | None]) -> float | None:
    return None if any(value is None for value in values) else sum(v or 0.0 for v in values)


# --------------------------------------------------------------------------- report


def table(results: list[ScenarioResult]) -> str:
    header = [
        "Scenario",
        "Awards",
        "Issuance (s)",
        "Issuance awards/s",
        "Issue + bake (s)",
        "Issue + bake awards/s",
        "10,000 awards (s)",
        "Images baked",
        "Retried tx",
        "Load avg before → after",
    ]
    rows = [
        [
            result.scenario.label,
            f"{result.scenario.awards:,}",
            f"{result.issue_seconds:.1f}",
            f"{result.issue_rate:.0f}",
            f"{result.total_seconds:.1f}",
            f"{result.total_rate:.0f}",
            f"{TARGET_AWARDS / result.total_rate:.0f}",
            f"{result.images:,}",
            str(result.retried_batches),
            f"{result.load_before.split(' / ')[0]} → {result.load_after.split(' / ')[0]}",
        ]
        for result in results
    ]
    return markdown_table(header, rows)


def _ms(value: float | None) -> str:
    return "?" if value is None else f"{value:.2f}"


def cpu_table(results: list[ScenarioResult]) -> str:
    header = [
        "Scenario",
        "Issue: Python CPU ms/award",
        "Issue: PostgreSQL CPU ms/award",
        "Bake: Python CPU ms/award",
        "Bake: PostgreSQL CPU ms/award",
        "10,000 awards on 2 idle cores (s, estimate)",
    ]
    rows = [
        [
            result.scenario.label,
            _ms(result.cpu_ms(result.issue_cpu)),
            _ms(result.cpu_ms(result.issue_db_cpu)),
            _ms(result.cpu_ms(result.bake_cpu)),
            _ms(result.cpu_ms(result.bake_db_cpu)),
            "?" if result.idle_estimate is None else f"{result.idle_estimate:.0f}",
        ]
        for result in results
    ]
    return markdown_table(header, rows)


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--awards", type=int, default=TARGET_AWARDS, help="awards per batched run")
    parser.add_argument("--batch", type=int, default=50, help="awards per transaction (50)")
    parser.add_argument(
        "--one-per-tx", type=int, default=2000, metavar="M", help="awards per 1-award/tx run"
    )
    parser.add_argument("--processes", default="1,2", help="worker counts (default 1,2)")
    parser.add_argument("--verify", type=int, default=20, help="awards checked (default 20)")
    parser.add_argument("--profile", type=int, default=0, metavar="P", help="cProfile P awards")
    parser.add_argument(
        "--database-url",
        default=DATABASE_URL,
        metavar="URL",
        help=f"scratch PostgreSQL database to create and drop (default {DATABASE_URL})",
    )
    parser.add_argument("--output", type=Path, default=RESULTS, help=f"JSON ({RESULTS.name})")
    arguments = parser.parse_args(argv)
    arguments.process_counts = [int(value) for value in arguments.processes.split(",")]
    if min(arguments.awards, arguments.batch, *arguments.process_counts) < 1:
        parser.error("--awards, --batch and --processes must be positive")
    if min(arguments.one_per_tx, arguments.verify, arguments.profile) < 0:
        parser.error("--one-per-tx, --verify and --profile must not be negative")
    return arguments


def scenarios(arguments: argparse.Namespace) -> list[Scenario]:
    found = [Scenario(p, arguments.batch, arguments.awards) for p in arguments.process_counts]
    if arguments.one_per_tx and arguments.batch != 1:
        found += [Scenario(p, 1, arguments.one_per_tx) for p in arguments.process_counts]
    return found


def main(argv: list[str] | None = None) -> None:
    arguments = parse_arguments(argv)
    master_keys = KeyVault.generate_master_key()
    results: list[ScenarioResult] = []
    report: dict[str, Any] = {
        "command": " ".join(["bench/bench_issuance.py", *(argv or [])]),
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "load_average_start": load_average(),
        "sqlalchemy": sqlalchemy.__version__,
        "images_per_award": len(BAKERS) * 2,
    }
    profile = ""
    with (
        tempfile.TemporaryDirectory(prefix="badgeforge-issuance-") as temp,
        scratch_postgres(arguments.database_url) as database_url,
    ):
        report["database"] = postgres_version(database_url)
        upgrade(database_url)
        headline: Tenant | None = None
        for scenario in scenarios(arguments):
            tenant = new_tenant(database_url, master_keys, Path(temp))
            headline = headline or tenant
            print(f"[{scenario.label}] {scenario.awards:,} awards (load {load_average()})…")
            result = run_scenario(database_url, master_keys, scenario, tenant)
            print(
                f"[{scenario.label}] issuance {result.issue_rate:.0f} awards/s, "
                f"issuance + baking {result.total_rate:.0f} awards/s "
                f"({result.total_seconds:.1f} s, {result.retried_batches} retried tx)",
                flush=True,
            )
            results.append(result)
        assert headline is not None
        engine = make_engine(database_url)
        with make_sessionmaker(engine)() as session:
            checks = verify_sample(session, headline, arguments.verify)
        engine.dispose()
        if arguments.profile:
            tenant = new_tenant(database_url, master_keys, Path(temp))
            profile = profile_run(database_url, master_keys, BASE_URL, tenant, arguments.profile)

    report["scenarios"] = [result.as_dict() for result in results]
    report["verification"] = checks.as_dict()
    report["load_average_end"] = load_average()
    best = min(TARGET_AWARDS / result.total_rate for result in results)
    report["best_seconds_for_10000_awards"] = round(best, 1)
    report["target_met"] = best < TARGET_SECONDS
    arguments.output.parent.mkdir(parents=True, exist_ok=True)
    arguments.output.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    if profile:
        print()
        print(profile)
    print()
    print(
        f"Machine: {report['machine']}; {report['database']}; SQLAlchemy {sqlalchemy.__version__}"
    )
    print(f"Load average at start {report['load_average_start']}, at end {load_average()}")
    print()
    print(table(results))
    print()
    print("CPU time per award (this script's processes, and their PostgreSQL backends):")
    print()
    print(cpu_table(results))
    print()
    verdict = "met" if report["target_met"] else "NOT met"
    print(f"Best: {best:.1f} s for 10,000 awards issued and baked (target < 60 s: {verdict}).")
    print(f"Verification: {json.dumps(checks.as_dict(), ensure_ascii=False)}")
    print(f"Written to {arguments.output}")
    if not checks.passed:
        raise SystemExit("verification failed")


if __name__ == "__main__":
    main(sys.argv[1:])
