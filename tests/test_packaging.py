"""A non-editable install (the Docker image's) finds migrations, badge designs and Swagger UI."""

import os
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHECK = """
import sys
from pathlib import Path

from fastapi.testclient import TestClient

import badgeforge
from badgeforge.__main__ import main
from badgeforge.app import create_app
from badgeforge.meta import SWAGGER_UI_DIR
from badgeforge.migrate import MIGRATIONS_DIR
from badgeforge.settings import Settings

installed = Path(sys.argv[1])
assert Path(badgeforge.__file__).is_relative_to(installed), badgeforge.__file__
settings = Settings()
for folder in (MIGRATIONS_DIR, SWAGGER_UI_DIR, settings.badge_templates_dir):
    assert folder.is_relative_to(installed / "badgeforge" / "_data"), folder
main(["migrate"])
with TestClient(create_app(settings)) as client:
    assert client.get("/health").json()["status"] == "ok"
    assert client.get("/static/swagger-ui/swagger-ui-bundle.js").status_code == 200
    assert client.get("/docs").status_code == 200
print("installed wheel works")
"""


def test_the_wheel_carries_what_the_service_needs_outside_python(tmp_path: Path) -> None:
    subprocess.run(
        ["bash", str(ROOT / "scripts" / "wheel"), str(tmp_path / "dist")],
        env={**os.environ, "PYTHON": sys.executable},
        check=True,
        capture_output=True,
        timeout=120,
    )
    (wheel,) = (tmp_path / "dist").glob("badgeforge-*.whl")
    installed = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        archive.extractall(installed)
    assert "badgeforge/_data/migrations/env.py" in names
    assert "badgeforge/_data/vendor/swagger-ui/swagger-ui-bundle.js" in names
    assert any(name.startswith("badgeforge/_data/badge_templates/") for name in names)
    assert not any("__pycache__" in name for name in names)

    data_dir = tmp_path / "data"
    data_dir.mkdir()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("BADGEFORGE_")},
        "PYTHONPATH": str(installed),
        "BADGEFORGE_DATA_DIR": str(data_dir),
    }
    result = subprocess.run(
        [sys.executable, "-c", CHECK, str(installed)],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "installed wheel works" in result.stdout
    assert (data_dir / "badgeforge.db").is_file()
