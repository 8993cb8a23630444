"""``badgeforge award-batch FILE.csv --badge-class ID``: foreground run with a progress bar."""

from pathlib import Path

import pytest

from badgeforge.__main__ import main
from badgeforge.batches.cli import progress_line
from badgeforge.core.keys import KeyVault
from badgeforge.db import make_engine, make_sessionmaker
from badgeforge.migrate import upgrade
from badgeforge.settings import Settings
from tests.factories import create_badge_class, create_issuer, create_tenant


def test_progress_line() -> None:
    assert progress_line(500, 1000) == "\r[" + "#" * 15 + "-" * 15 + "] 500/1000  50 %"


def test_award_batch_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    upgrade(url)
    for name, value in {
        "BADGEFORGE_DATABASE_URL": url,
        "BADGEFORGE_DATA_DIR": str(tmp_path),
        "BADGEFORGE_MASTER_KEYS": KeyVault.generate_master_key(),
    }.items():
        monkeypatch.setenv(name, value)
    settings = Settings(_env_file=None)
    engine = make_engine(url)
    with make_sessionmaker(engine)() as session, session.begin():
        tenant = create_tenant(session)
        issuer = create_issuer(session, tenant)
        badge_class_id = create_badge_class(session, tenant, settings, issuer.id).id
    engine.dispose()
    csv = tmp_path / "remise.csv"
    csv.write_text(
        "courriel;récit\na@example.org;Bravo\nfaux;\nb@example.org;\n", encoding="utf-8-sig"
    )
    with pytest.raises(SystemExit) as exit_:
        main(["award-batch", str(csv), "--badge-class", str(badge_class_id)])
    assert exit_.value.code == 1  # one row failed
    out, err = capsys.readouterr()
    assert "] 3/3 100 %" in err
    assert "line 3: courriel: value is not a valid email address" in out
    assert out.rstrip().endswith("2 awarded, 1 failed")
    with pytest.raises(SystemExit, match="no badge class"):
        main(["award-batch", str(csv), "--badge-class", str(tenant.organisation_id)])
