"""The hashed lock files cover pyproject.toml: a dependency added without `scripts/lock` fails."""

import importlib.util
import re
from pathlib import Path
from types import ModuleType

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")


def load_lockfile_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("lockfile", ROOT / "scripts" / "lockfile.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


lockfile = load_lockfile_module()


def pins(lock: Path) -> dict[str, str]:
    """Package name -> pinned version, checking that every pin carries a hash."""
    text = lock.read_text(encoding="utf-8")
    entries = [entry for entry in re.split(r"\n(?=\S)", text) if not entry.startswith("#")]
    found: dict[str, str] = {}
    for entry in filter(None, (e.strip() for e in entries)):
        match = PIN.match(entry)
        assert match is not None, f"{lock.name}: not an exact pin: {entry[:80]}"
        assert "--hash=sha256:" in entry, f"{lock.name}: {match.group(1)} has no hash"
        found[canonicalize_name(match.group(1))] = match.group(2)
    return found


def uncovered(requirements: list[str], pinned: dict[str, str]) -> list[str]:
    """Requirements (for this interpreter) that the pins leave out or do not satisfy."""
    missing = []
    for text in requirements:
        requirement = Requirement(text)
        if requirement.marker is not None and not requirement.marker.evaluate({"extra": ""}):
            continue
        version = pinned.get(canonicalize_name(requirement.name))
        if version is None or not requirement.specifier.contains(version, prereleases=True):
            missing.append(f"{text} (locked: {version})")
    return missing


def test_both_locks_were_generated_from_the_current_pyproject() -> None:
    assert lockfile.stale_locks() == [], "pyproject.toml changed: run scripts/lock"


@pytest.mark.parametrize(
    ("lock", "extras"), [("lock.txt", []), ("dev-lock.txt", ["dev"])], ids=["run", "dev"]
)
def test_the_lock_pins_every_dependency_within_its_range(lock: str, extras: list[str]) -> None:
    project = lockfile.pyproject()["project"]
    wanted = list(project["dependencies"]) + lockfile.build_requires()
    for extra in extras:
        wanted += project["optional-dependencies"][extra]
    assert uncovered(wanted, pins(ROOT / "requirements" / lock)) == []


def test_the_development_lock_keeps_the_runtime_pins() -> None:
    runtime = pins(ROOT / "requirements" / "lock.txt")
    development = pins(ROOT / "requirements" / "dev-lock.txt")
    assert {name: development.get(name) for name in runtime} == runtime


def test_a_dependency_added_without_relocking_is_caught(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    edited = pyproject.replace("dependencies = [\n", 'dependencies = [\n    "left-pad>=1",\n', 1)
    assert edited != pyproject
    (tmp_path / "pyproject.toml").write_text(edited, encoding="utf-8")
    (tmp_path / "requirements").mkdir()
    for lock in lockfile.LOCKS:
        (tmp_path / "requirements" / lock.name).write_bytes(lock.read_bytes())
    monkeypatch.setattr(lockfile, "ROOT", tmp_path)
    monkeypatch.setattr(
        lockfile, "LOCKS", tuple(tmp_path / "requirements" / p.name for p in lockfile.LOCKS)
    )
    assert len(lockfile.stale_locks()) == 2
    assert lockfile.main(["check"]) == 1
    project = lockfile.pyproject()["project"]
    missing = uncovered(project["dependencies"], pins(ROOT / "requirements" / "lock.txt"))
    assert "left-pad>=1 (locked: None)" in missing
