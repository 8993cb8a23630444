"""Test oracle: the third-party 1EdTech Open Badges 2.0 validator, run offline from pytest.

The validator (PyPI ``badgecheck`` 1.2.0, module ``openbadges.verifier``) has pins that do not
resolve or import on Python 3.11 together with our dependencies, so it lives in its own virtualenv
at ``<repo>/.oracles/ob2-venv`` (gitignored), built once from ``ob2-requirements.txt`` with
``pip install --no-deps`` and rebuilt when that file changes. ``ob2_runner.py`` runs inside it;
it serves the Open Badges JSON-LD contexts from ``src/badgeforge/core/contexts`` and refuses any
network access except loopback, so hosted badges must be served by a local test server.

Usage::

    report = validate("http://127.0.0.1:8123/assertions/1", recipient_email="a@example.org")
    assert report.valid, report.describe()
    reports = validate_many([url, OB2Input(baked_png_bytes)])
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import hashlib
import json
import shutil
import subprocess
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO_ROOT = Path(__file__).resolve().parents[2]
ORACLES_DIR = REPO_ROOT / ".oracles"
VENV_DIR = ORACLES_DIR / "ob2-venv"
REQUIREMENTS = HERE / "ob2-requirements.txt"
RUNNER = HERE / "ob2_runner.py"
CONTEXTS_DIR = REPO_ROOT / "src" / "badgeforge" / "core" / "contexts"

_KEY_FILE = ".badgeforge-oracle-key"
_V2 = CONTEXTS_DIR / "openbadges-v2-context.json"
_V1 = CONTEXTS_DIR / "openbadges-v1-context.json"
# Context URLs answered locally (the runner ignores the scheme, so http:// variants match too).
# w3id.org/openbadges/v2 redirects to openbadgespec.org/v2/context.json on the real web.
CONTEXTS: dict[str, Path] = {
    "https://w3id.org/openbadges/v2": _V2,
    "https://openbadgespec.org/v2/context.json": _V2,
    "https://w3id.org/openbadges/v1": _V1,
    "https://openbadgespec.org/v1/context.json": _V1,
}

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


class OB2OracleError(RuntimeError):
    """The oracle itself failed (venv build, runner crash, timeout): not a verdict on a badge."""


@dataclass(frozen=True)
class OB2Input:
    """One validation: ``data`` is a URL or JSON/JWS text (str) or a baked PNG/SVG (bytes).

    ``recipient_email`` (or a full ``recipient_profile`` such as ``{"url": ...}``,
    ``{"telephone": ...}`` or ``{"email": [...]}``) makes the validator check the assertion's
    recipient against it; a mismatch is an ERROR.
    """

    data: str | bytes
    recipient_email: str | None = None
    recipient_profile: Mapping[str, Any] | None = None

    def job(self) -> dict[str, Any]:
        profile = dict(self.recipient_profile or {})
        if self.recipient_email is not None:
            profile["email"] = self.recipient_email
        job: dict[str, Any] = {"recipient_profile": profile or None}
        if isinstance(self.data, bytes):
            job["image_b64"] = base64.b64encode(self.data).decode("ascii")
            job["name"] = "badge.png" if self.data.startswith(PNG_SIGNATURE) else "badge.svg"
        else:
            job["text"] = self.data
        return job


@dataclass(frozen=True)
class OB2Report:
    """The validator's verdict. ``raw`` is its whole output: ``{"graph", "input", "report"}``."""

    valid: bool
    error_count: int
    warning_count: int
    messages: list[dict[str, Any]]
    raw: dict[str, Any]

    @classmethod
    def from_raw(cls, raw: dict[str, Any]) -> OB2Report:
        report = raw["report"]
        return cls(
            valid=bool(report["valid"]),
            error_count=int(report["errorCount"]),
            warning_count=int(report["warningCount"]),
            messages=list(report["messages"]),
            raw=raw,
        )

    def _results(self, level: str) -> list[str]:
        return [str(m.get("result", "")) for m in self.messages if m.get("messageLevel") == level]

    @property
    def errors(self) -> list[str]:
        return self._results("ERROR")

    @property
    def warnings(self) -> list[str]:
        return self._results("WARNING")

    def describe(self) -> str:
        """A readable summary for assertion messages."""
        lines = [f"valid={self.valid} errors={self.error_count} warnings={self.warning_count}"]
        lines += [
            f"  [{m.get('messageLevel')}] {m.get('name')}: {m.get('result')}" for m in self.messages
        ]
        return "\n".join(lines)


def _venv_python(venv: Path) -> Path:
    return venv / "bin" / "python"


def _venv_key() -> str:
    """Requirements content plus the interpreter the venv is built from."""
    digest = hashlib.sha256(REQUIREMENTS.read_bytes())
    digest.update(f"\0{sys.implementation.name}-{sys.version_info[:2]}-{sys.base_prefix}".encode())
    return digest.hexdigest()


def _venv_ready(key: str) -> bool:
    key_file = VENV_DIR / _KEY_FILE
    return (
        _venv_python(VENV_DIR).exists()
        and key_file.exists()
        and key_file.read_text(encoding="utf-8").strip() == key
    )


@contextlib.contextmanager
def _exclusive_lock(path: Path) -> Iterator[None]:
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _run_build_step(command: list[str]) -> None:
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise OB2OracleError(
            f"building the OB2 validator venv failed: {' '.join(command)}\n"
            f"exit {result.returncode}\n{result.stdout}\n{result.stderr}"
        )


def ensure_venv() -> Path:
    """Return the validator venv, building it first if missing or built from other requirements.

    Safe across concurrent pytest processes (a file lock serialises builders; the key file is
    written last, so an interrupted build is redone).
    """
    key = _venv_key()
    if _venv_ready(key):
        return VENV_DIR
    ORACLES_DIR.mkdir(parents=True, exist_ok=True)
    with _exclusive_lock(ORACLES_DIR / "ob2-venv.lock"):
        if _venv_ready(key):  # built by another process while we waited
            return VENV_DIR
        shutil.rmtree(VENV_DIR, ignore_errors=True)
        try:
            _run_build_step([sys.executable, "-m", "venv", str(VENV_DIR)])
            _run_build_step(
                [
                    str(_venv_python(VENV_DIR)),
                    "-m",
                    "pip",
                    "install",
                    "--no-deps",
                    "--no-input",
                    "--disable-pip-version-check",
                    "-r",
                    str(REQUIREMENTS),
                ]
            )
        except BaseException:
            shutil.rmtree(VENV_DIR, ignore_errors=True)
            raise
        (VENV_DIR / _KEY_FILE).write_text(key + "\n", encoding="utf-8")
    return VENV_DIR


def validate_many(
    inputs: Iterable[str | bytes | OB2Input], *, timeout: float = 60
) -> list[OB2Report]:
    """Validate several inputs in one runner process (one interpreter start-up for all).

    ``timeout`` is in seconds per input. Reports come back in input order.
    """
    items = [item if isinstance(item, OB2Input) else OB2Input(item) for item in inputs]
    if not items:
        return []
    python = _venv_python(ensure_venv())
    request = {
        "contexts": {url: str(path) for url, path in CONTEXTS.items()},
        "jobs": [item.job() for item in items],
    }
    # -I (isolated mode): PYTHON* variables and the user site of the project cannot leak in.
    command = [str(python), "-I", "-W", "ignore", str(RUNNER)]
    try:
        result = subprocess.run(
            command,
            input=json.dumps(request),
            capture_output=True,
            text=True,
            timeout=timeout * len(items),
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise OB2OracleError(
            f"OB2 validator runner timed out after {exc.timeout:.0f}s\n{exc.stderr!r}"
        ) from exc
    try:
        if result.returncode != 0:
            raise ValueError(f"exit status {result.returncode}")
        raws: Sequence[dict[str, Any]] = json.loads(result.stdout)
        if len(raws) != len(items):
            raise ValueError(f"{len(raws)} results for {len(items)} inputs")
        return [OB2Report.from_raw(raw) for raw in raws]
    except (ValueError, KeyError, TypeError) as exc:
        raise OB2OracleError(
            f"OB2 validator runner failed ({exc})\n"
            f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
        ) from exc


def validate(
    data: str | bytes,
    *,
    recipient_email: str | None = None,
    recipient_profile: Mapping[str, Any] | None = None,
    timeout: float = 60,
) -> OB2Report:
    """Validate one input: a URL or JSON/JWS text (str), or a baked PNG/SVG image (bytes)."""
    item = OB2Input(data, recipient_email=recipient_email, recipient_profile=recipient_profile)
    return validate_many([item], timeout=timeout)[0]
