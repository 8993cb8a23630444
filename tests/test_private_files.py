"""The data directory and the SQLite database are created owner-only, whatever the umask."""

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from badgeforge.__main__ import main
from badgeforge.db import make_engine
from badgeforge.private_files import create_private_sqlite_file


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def permissive_umask() -> Iterator[None]:
    """The loosest umask: what is owner-only then is owner-only because we made it so."""
    previous = os.umask(0)
    try:
        yield
    finally:
        os.umask(previous)


@pytest.mark.usefixtures("permissive_umask")
class TestOwnerOnly:
    def test_the_cli_creates_data_dir_and_database_owner_only(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        data_dir = tmp_path / "var" / "badgeforge"
        monkeypatch.setenv("BADGEFORGE_DATA_DIR", str(data_dir))
        monkeypatch.delenv("BADGEFORGE_DATABASE_URL", raising=False)
        main(["migrate"])
        assert mode(data_dir) == 0o700
        database = data_dir / "badgeforge.db"
        assert mode(database) == 0o600
        for companion in data_dir.iterdir():  # -wal and -shm copy the database's mode
            assert mode(companion) == 0o600, companion

    def test_an_engine_creates_the_sqlite_file_owner_only(self, tmp_path: Path) -> None:
        database = tmp_path / "fresh.db"
        engine = make_engine(f"sqlite:///{database}")
        try:
            with engine.begin() as connection:
                connection.execute(text("CREATE TABLE t (x INTEGER)"))
                connection.execute(text("INSERT INTO t VALUES (1)"))
            assert mode(database) == 0o600
            wal = tmp_path / "fresh.db-wal"
            assert wal.exists()
            assert mode(wal) == 0o600
        finally:
            engine.dispose()

    def test_an_existing_database_is_left_as_it_is(self, tmp_path: Path) -> None:
        database = tmp_path / "kept.db"
        database.write_bytes(b"")
        database.chmod(0o640)
        create_private_sqlite_file(f"sqlite:///{database}")
        assert mode(database) == 0o640

    @pytest.mark.parametrize(
        "url",
        [
            "sqlite://",
            "sqlite:///:memory:",
            "sqlite:///file:shared?mode=memory&cache=shared&uri=true",
            "postgresql+psycopg://user@localhost/badgeforge",
        ],
    )
    def test_other_databases_create_no_file(
        self, url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.chdir(tmp_path)
        create_private_sqlite_file(url)
        assert list(tmp_path.iterdir()) == []

    def test_a_missing_directory_is_left_to_sqlite(self, tmp_path: Path) -> None:
        create_private_sqlite_file(f"sqlite:///{tmp_path / 'missing' / 'x.db'}")
        assert not (tmp_path / "missing").exists()
