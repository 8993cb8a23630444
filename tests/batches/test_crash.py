"""Crash safety on PostgreSQL: 2,000 recipients, two worker processes killed halfway.

After a SIGKILL of both workers in the middle and a restart, exactly 2,000 awards exist,
one per row (two workers never ran the same row), and they verify in every format.
"""

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from badgeforge.awards.models import Award
from badgeforge.batches import service
from badgeforge.batches.models import AwardBatchRow, BatchSource, RowState
from badgeforge.core import jws, ob3_schema, vc_jwt
from badgeforge.core.baking import unbake_credential, unbake_png, unbake_svg
from badgeforge.core.data_integrity import verify_proof
from badgeforge.core.keys import KeyVault, load_public_key_pem
from badgeforge.db import make_engine, make_sessionmaker
from badgeforge.issuance.models import IssuedAward
from badgeforge.migrate import upgrade
from badgeforge.public import credentials as credential_service
from badgeforge.public import service as public_service
from badgeforge.settings import Settings
from badgeforge.signing.models import SigningKey
from tests.conftest import TEST_BASE_URL, scratch_postgres_database
from tests.factories import create_badge_class, create_issuer, create_tenant

pytestmark = pytest.mark.postgresql
RECIPIENTS = 2000
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def database(tmp_path: Path) -> Iterator[tuple[str, Settings]]:
    with scratch_postgres_database("batch_crash") as url:
        upgrade(url)
        settings = Settings(
            _env_file=None,
            data_dir=tmp_path,
            database_url=url,
            public_base_url=TEST_BASE_URL,
            master_keys=KeyVault.generate_master_key(),
        )
        yield url, settings


def _workers(settings: Settings, count: int) -> list[subprocess.Popen[bytes]]:
    env = {
        **os.environ,
        "BADGEFORGE_DATABASE_URL": settings.database_url,
        "BADGEFORGE_MASTER_KEYS": settings.master_keys,
        "BADGEFORGE_PUBLIC_BASE_URL": settings.base_url,
        "BADGEFORGE_DATA_DIR": str(settings.data_dir),
    }
    command = [sys.executable, "-m", "tests.batches.worker_loop"]
    return [subprocess.Popen(command, cwd=ROOT, env=env) for _ in range(count)]


def _done(engine: Engine) -> int:
    with Session(engine) as session:
        statement = select(func.count()).where(AwardBatchRow.state == RowState.DONE.value)
        return session.scalar(statement.select_from(AwardBatchRow)) or 0


def _check_formats(session: Session, issued: IssuedAward) -> None:
    rsa = load_public_key_pem(session.get_one(SigningKey, issued.rsa_key_id).public_key_pem)
    ed = load_public_key_pem(session.get_one(SigningKey, issued.ed25519_key_id).public_key_pem)
    credential = json.loads(issued.ob3_credential)
    assert isinstance(ed, Ed25519PublicKey)
    verify_proof(credential, credential["proof"][0], ed)  # raises if forged
    assert ob3_schema.schema_errors(credential) == []
    unsigned = {key: value for key, value in credential.items() if key != "proof"}
    assert vc_jwt.credential_of(jws.verify_compact(issued.ob3_jwt, rsa)) == unsigned
    assert jws.verify_compact(issued.ob2_jws, rsa).payload["id"] == issued.ob2_signed_id
    award_id = issued.award_id
    assert unbake_png(public_service.baked_image(session, award_id, "image/png").data) == (
        issued.ob2_assertion
    )
    assert unbake_svg(
        public_service.signed_baked_image(session, award_id, "image/svg+xml").data
    ) == (issued.ob2_jws)
    baked = credential_service.baked_credential(session, award_id, "image/png").data
    assert json.loads(unbake_credential(baked)) == credential


def test_killed_workers_resume_without_loss_or_duplicates(
    database: tuple[str, Settings],
) -> None:
    url, settings = database
    engine = make_engine(url)
    try:
        with make_sessionmaker(engine)() as session, session.begin():
            tenant = create_tenant(session)
            issuer = create_issuer(session, tenant)
            badge_class = create_badge_class(session, tenant, settings, issuer.id)
            rows = [
                (n, {"recipient_email": f"apprenant.{n}@example.org"}, None)
                for n in range(1, RECIPIENTS + 1)
            ]
            data = service.BatchInput(badge_class.id, rows, BatchSource.JSON)
            batch = service.create(session, tenant.principal, data)

        workers = _workers(settings, 2)
        deadline = time.monotonic() + 300
        while _done(engine) < RECIPIENTS // 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        for worker in workers:
            worker.send_signal(signal.SIGKILL)
        for worker in workers:
            worker.wait()
        at_kill = _done(engine)
        assert RECIPIENTS // 2 <= at_kill < RECIPIENTS, at_kill

        for worker in _workers(settings, 2):
            assert worker.wait(timeout=600) == 0

        with make_sessionmaker(engine)() as session:
            found = session.execute(
                select(AwardBatchRow.state, func.count()).group_by(AwardBatchRow.state)
            )
            states = dict(found.all())
            assert states == {RowState.DONE.value: RECIPIENTS}
            pairs = session.execute(
                select(AwardBatchRow.data, Award.recipient_email).join(
                    Award, Award.id == AwardBatchRow.award_id
                )
            ).all()
            assert len(pairs) == RECIPIENTS
            assert all(row["recipient_email"] == email for row, email in pairs)
            assert session.scalar(select(func.count()).select_from(Award)) == RECIPIENTS
            distinct = select(func.count(func.distinct(Award.recipient_email)))
            assert session.scalar(distinct) == RECIPIENTS
            assert session.scalar(select(func.count()).select_from(IssuedAward)) == RECIPIENTS
            entries = select(IssuedAward.status_list_id, IssuedAward.status_list_index).distinct()
            assert session.scalar(select(func.count()).select_from(entries.subquery())) == (
                RECIPIENTS
            )
            sample = session.scalars(
                select(IssuedAward).order_by(IssuedAward.award_id).limit(5)
            ).all()
            for issued in sample:
                _check_formats(session, issued)
            assert service.progress(session, [batch.id])[batch.id].of(RowState.DONE) == RECIPIENTS
    finally:
        engine.dispose()
