"""A batch worker process for the crash tests: ``python -m tests.batches.worker_loop``.

Reads the ``BADGEFORGE_*`` environment like the service, then calls
``batches.worker.process_next`` until no pending row is left.
"""

from badgeforge.batches.worker import process_next
from badgeforge.db import make_engine, make_sessionmaker, utcnow
from badgeforge.settings import Settings


def main() -> None:
    settings = Settings(_env_file=None)
    engine = make_engine(settings.resolved_database_url)
    factory = make_sessionmaker(engine)
    while process_next(factory, settings, utcnow()):
        pass
    engine.dispose()


if __name__ == "__main__":
    main()
