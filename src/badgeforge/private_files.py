"""The data directory and the SQLite database are created readable by their owner only.

The database holds learners' e-mail addresses and API key digests: other local accounts
have no business reading it, whatever the umask.
"""

import os
from pathlib import Path

from sqlalchemy import make_url

PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600


def create_private_dir(path: Path) -> None:
    """Create the directory `path` owner-only (0700), with any missing parents.

    An existing directory is left as it is (its owner chose its mode); new parents get the
    default mode, as ``mkdir -p`` gives them.
    """
    path.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)


def create_private_sqlite_file(url: str) -> None:
    """Create the file of a SQLite database `url` owner-only (0600), before SQLite does.

    SQLite would create it 0644 less the umask; its ``-wal`` and ``-shm`` files then take
    the database file's mode. Other databases, in-memory and ``file:`` URI databases,
    files that exist already and files in a missing directory (SQLite reports that) are
    left alone.
    """
    parsed = make_url(url)
    database = parsed.database
    if parsed.get_backend_name() != "sqlite" or not database or database == ":memory:":
        return
    if database.startswith("file:") or parsed.query.get("uri"):
        return
    path = Path(database)
    if not path.parent.is_dir():
        return
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE)
    except FileExistsError:
        return
    os.close(descriptor)
