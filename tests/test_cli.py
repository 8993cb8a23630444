"""The newcomer's journey: `badgeforge demo` starts, prints a key and a curl line that works."""

import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from badgeforge.__main__ import main
from badgeforge.access.models import ApiKey, Organisation
from badgeforge.badge_classes.models import BadgeClass
from badgeforge.demo import DEMO_ORGANISATION, seed
from badgeforge.issuers.models import Issuer
from badgeforge.settings import Settings
from tests.live_server import free_port


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[tuple[str, str]]:
    port = free_port()
    env = {**os.environ, "BADGEFORGE_DATA_DIR": str(tmp_path), "PYTHONUNBUFFERED": "1"}
    env.pop("BADGEFORGE_DATABASE_URL", None)
    env.pop("BADGEFORGE_PUBLIC_BASE_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "badgeforge", "demo", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    output: list[str] = []
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            output.append(line)
            if "Application startup complete" in line:
                break
        text = "".join(output)
        assert "Application startup complete" in text, text
        yield text, f"http://localhost:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_demo_prints_a_working_curl_line(demo: tuple[str, str], tmp_path: Path) -> None:
    output, base_url = demo
    assert f"{base_url}/docs" in output
    assert (tmp_path / "badgeforge.db").is_file()
    curl = re.search(r"(curl -sS -X POST .*?\}')", output, re.S)
    assert curl is not None, output
    command = curl.group(1)
    if shutil.which("curl"):
        result = subprocess.run(  # noqa: S602 - runs the exact line a newcomer copies
            command, shell=True, capture_output=True, text=True, timeout=30, check=True
        )
        award = json.loads(result.stdout)
    else:
        key = re.search(r"Bearer (bf_\S+)'", command)
        body = re.search(r"-d '(.*)'", command)
        assert key is not None
        assert body is not None
        award = httpx.post(
            f"{base_url}/api/v1/awards",
            content=body.group(1),
            headers={"Authorization": f"Bearer {key.group(1)}", "Content-Type": "application/json"},
        ).json()
    assert award["assertion_url"].startswith(f"{base_url}/ob2/assertions/")
    assertion = httpx.get(award["assertion_url"]).json()
    assert assertion["type"] == "Assertion"
    badge_class = httpx.get(assertion["badge"]).json()
    assert badge_class["name"] == "Sécurité et hygiène au travail"
    assert httpx.get(award["baked_png_url"]).headers["content-type"] == "image/png"
    assert httpx.get(f"{base_url}/docs").status_code == 200


def test_create_organisation_prints_an_admin_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("BADGEFORGE_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("BADGEFORGE_DATABASE_URL", raising=False)
    main(["create-organisation", "Réseau des ESAT de Mayenne"])
    output = capsys.readouterr().out
    organisation = re.search(r"organisation (\S+) created", output)
    key = re.search(r"admin API key \(shown once\): (bf_\S+)", output)
    assert organisation is not None
    assert key is not None
    main(
        ["create-key", "--organisation", organisation.group(1), "--name", "LMS", "--scope", "issue"]
    )
    assert re.search(r"API key \(shown once\): bf_\S+", capsys.readouterr().out)
    main(["downgrade", "base"])
    main(["migrate"])


def test_running_the_demo_again_reuses_it_and_revokes_the_previous_key(
    session: Session, settings: Settings, client: TestClient
) -> None:
    first = seed(session, settings)
    second = seed(session, settings)
    third = seed(session, settings)
    assert {(d.organisation_id, d.issuer_id, d.badge_class_id) for d in (first, second, third)} == {
        (first.organisation_id, first.issuer_id, first.badge_class_id)
    }
    count = select(func.count()).select_from(Organisation)
    assert session.scalar(count.where(Organisation.name == DEMO_ORGANISATION)) == 1
    assert session.scalar(select(func.count()).select_from(Issuer)) == 1
    assert session.scalar(select(func.count()).select_from(BadgeClass)) == 1
    active = session.scalars(
        select(ApiKey).where(
            ApiKey.organisation_id == first.organisation_id, ApiKey.revoked_at.is_(None)
        )
    ).all()
    assert len(active) == 1
    assert (first.revoked_keys, second.revoked_keys, third.revoked_keys) == (0, 1, 1)
    for old in (first, second):
        answer = client.get("/api/v1/organisation", headers={"X-API-Key": old.admin_key})
        assert answer.status_code == 401
    answer = client.get("/api/v1/organisation", headers={"X-API-Key": third.admin_key})
    assert answer.status_code == 200
