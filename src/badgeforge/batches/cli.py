"""``badgeforge award-batch FILE.csv --badge-class ID``: a batch made and run in the foreground."""

import sys
from pathlib import Path
from uuid import UUID

from badgeforge.batches import service
from badgeforge.batches.csv_input import parse_csv
from badgeforge.batches.models import BatchSource
from badgeforge.batches.worker import WORKER_KEY, run_batch
from badgeforge.db import make_engine, make_sessionmaker
from badgeforge.issuance.models import ProofFormat
from badgeforge.problems import Problem
from badgeforge.security import Principal, Scope, effective_scopes
from badgeforge.settings import Settings

BAR_WIDTH = 30


def _organisation_of(settings: Settings, badge_class_id: UUID) -> UUID | None:
    from badgeforge.badge_classes.models import BadgeClass

    engine = make_engine(settings.resolved_database_url)
    try:
        with make_sessionmaker(engine)() as session:
            badge_class = session.get(BadgeClass, badge_class_id)
            return badge_class.organisation_id if badge_class else None
    finally:
        engine.dispose()


def progress_line(done: int, total: int) -> str:
    """``[#####-----]  500/1000  50 %``: the progress bar written to stderr."""
    filled = BAR_WIDTH * done // total if total else BAR_WIDTH
    percent = 100 * done // total if total else 100
    return f"\r[{'#' * filled}{'-' * (BAR_WIDTH - filled)}] {done}/{total} {percent:3d} %"


def _show_progress(done: int, total: int) -> None:
    sys.stderr.write(progress_line(done, total))
    sys.stderr.flush()


def award_batch(
    settings: Settings,
    path: Path,
    badge_class_id: UUID,
    organisation_id: UUID | None = None,
    ob3_proof: str | None = None,
) -> int:
    """Create the batch from ``path``, award it with a progress bar, list the failures.

    Returns the exit status: 0 when every row was awarded, 1 when some row failed.
    """
    owner = _organisation_of(settings, badge_class_id)
    if owner is None or (organisation_id is not None and owner != organisation_id):
        raise SystemExit(f"error: no badge class {badge_class_id} in that organisation")
    principal = Principal(owner, WORKER_KEY, effective_scopes([Scope.ISSUE]))
    engine = make_engine(settings.resolved_database_url)
    try:
        parsed = parse_csv(path.read_bytes())
        rows = [(record.line, record.data, record.error) for record in parsed.records]
        proof = ProofFormat(ob3_proof) if ob3_proof else None
        data = service.BatchInput(
            badge_class_id, rows, BatchSource.CSV, proof, path.name[:255], parsed.labels
        )
        factory = make_sessionmaker(engine, writer=True)
        with factory() as session, session.begin():
            batch = service.create(session, principal, data)
        sys.stdout.write(f"batch {batch.id}: {batch.total} recipient(s)\n")
        sys.stdout.flush()
        run_batch(factory, settings, batch.id, _show_progress)
        sys.stderr.write("\n")
        with factory() as session:
            failed = service.failures(session, batch)
            done = service.progress(session, [batch.id])[batch.id]
    except (Problem, OSError) as error:
        raise SystemExit(f"error: {getattr(error, 'detail', error)}") from error
    finally:
        engine.dispose()
    for row in failed:
        sys.stdout.write(f"line {row.row_number}: {row.error}\n")
    sys.stdout.write(f"{done.counts.get('done', 0)} awarded, {len(failed)} failed\n")
    return 1 if failed else 0
