"""The worker loop: run every registered work source until told to stop.

A work source is a callable ``(sessionmaker, settings, now) -> bool`` that does one
bounded round of work in its own transactions and says whether it found any. The loop
runs them in turn, and sleeps ``worker_poll_seconds`` only when none had work.

``badgeforge worker`` runs the loop in its own process (SIGTERM or SIGINT: the current
round finishes, then it exits). ``badgeforge serve``/``demo`` run it in one thread when
``BADGEFORGE_INPROCESS_WORKER`` says so (by default on SQLite only).
"""

import logging
import signal
import threading
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from types import FrameType

from sqlalchemy.orm import Session, sessionmaker

from badgeforge.batches.worker import process_next as award_batch_rows
from badgeforge.db import make_engine, make_sessionmaker
from badgeforge.jobs.gauges import observe_queues
from badgeforge.settings import Settings
from badgeforge.webhooks.delivery import deliver_webhooks
from badgeforge.webhooks.expiry import scan_expired_awards

logger = logging.getLogger(__name__)

WorkSource = Callable[[sessionmaker[Session], Settings, datetime], bool]

#: Every kind of background work, in the order each round runs them. Append yours here.
WORK_SOURCES: list[WorkSource] = [
    deliver_webhooks,
    scan_expired_awards,
    award_batch_rows,
    observe_queues,
]


def _now() -> datetime:
    return datetime.now(UTC)


class Worker:
    """Runs ``sources`` against one database, round after round, until ``stop`` is set."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        settings: Settings,
        sources: Sequence[WorkSource] | None = None,
        clock: Callable[[], datetime] = _now,
    ) -> None:
        self.sessions, self.settings, self.clock = sessions, settings, clock
        self.sources = list(WORK_SOURCES if sources is None else sources)
        self.stop = threading.Event()

    def run_once(self) -> bool:
        """One round: each source once. True if any had work. Failures are logged."""
        busy = False
        for source in self.sources:
            try:
                busy = source(self.sessions, self.settings, self.clock()) or busy
            except Exception:
                logger.exception("work source %s failed", getattr(source, "__name__", source))
        return busy

    def run(self) -> None:
        """Loop until :attr:`stop` is set (the round under way completes first)."""
        while not self.stop.is_set():
            if not self.run_once():
                self.stop.wait(self.settings.worker_poll_seconds)

    def drain(self, max_rounds: int = 1000) -> int:
        """Run rounds until no source has work (tests, benchmarks); the rounds run."""
        for rounds in range(max_rounds):
            if not self.run_once():
                return rounds
        return max_rounds


def runs_in_process(settings: Settings) -> bool:
    """Whether ``serve``/``demo`` should start a worker thread for these settings."""
    if settings.inprocess_worker is not None:
        return settings.inprocess_worker
    return settings.resolved_database_url.startswith("sqlite")


def start_thread(settings: Settings) -> Worker:
    """A worker running in a daemon thread of this process, with its own engine."""
    engine = make_engine(settings.resolved_database_url)
    worker = Worker(make_sessionmaker(engine, writer=True), settings)
    threading.Thread(target=worker.run, name="badgeforge-worker", daemon=True).start()
    logger.info("in-process worker started")
    return worker


def run_process(settings: Settings) -> None:
    """``badgeforge worker``: run until SIGTERM or SIGINT, then finish the round and exit."""
    engine = make_engine(settings.resolved_database_url)
    worker = Worker(make_sessionmaker(engine, writer=True), settings)

    def _stop(signum: int, _frame: FrameType | None) -> None:
        logger.info("worker: signal %s, stopping after this round", signum)
        worker.stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    try:
        worker.run()
    finally:
        engine.dispose()
