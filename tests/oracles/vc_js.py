"""Test oracle: the digitalbazaar Verifiable Credentials stack (Node.js), run offline.

``@digitalbazaar/vc`` with the ``eddsa-rdfc-2022`` cryptosuite checks Data Integrity
proofs and ``jose`` checks VC-JWTs; neither shares code with badgeforge. The packages are
pinned in ``vc_js/package-lock.json`` and installed once with ``npm ci`` into
``<repo>/.oracles/vc-js`` (gitignored), rebuilt when the lock changes; ``verify.mjs`` and
the checks it runs, ``checks.mjs`` (shared with ``bench/js/verify.mjs``), are copied in
(atomically) whenever they changed. It answers its document loader from the
``documents`` given (key, controller, DID and status list documents, fetched by the test
from a live server; a DID document's fragment resolves to its verification method) and
from the contexts its packages bundle; it never touches the network.

Usage::

    verdict = verify_credential(credential, documents={key_url: key_document, ...})
    assert verdict.verified, verdict.errors
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent / "vc_js"
INSTALL_DIR = Path(__file__).resolve().parents[2] / ".oracles" / "vc-js"
PACKAGES = ("package.json", "package-lock.json")
SCRIPTS = ("verify.mjs", "checks.mjs")
_KEY_FILE = ".badgeforge-oracle-key"


class VcJsOracleError(RuntimeError):
    """The oracle itself failed (npm, node): not a verdict on a credential."""


@dataclass(frozen=True)
class Verdict:
    verified: bool
    errors: list[str]
    revoked: bool | None


def _key() -> str:
    """What the installed packages depend on (the script is copied in on each use)."""
    digest = hashlib.sha256()
    for name in PACKAGES:
        digest.update((HERE / name).read_bytes())
    return digest.hexdigest()


def _install_script(folder: Path) -> None:
    """Put the current scripts (``verify.mjs`` and its ``checks.mjs``) in ``folder``,
    atomically each, where they differ."""
    for name in SCRIPTS:
        script = (HERE / name).read_bytes()
        target = folder / name
        if target.exists() and target.read_bytes() == script:
            continue
        temporary = folder / f".{name}.{os.getpid()}.{threading.get_ident()}"
        temporary.write_bytes(script)
        os.replace(temporary, target)


def ensure_installed() -> Path:
    """The installed oracle folder, running ``npm ci`` first when needed (process-safe)."""
    key = _key()
    key_file = INSTALL_DIR / _KEY_FILE
    if key_file.exists() and key_file.read_text().strip() == key:
        _install_script(INSTALL_DIR)
        return INSTALL_DIR
    INSTALL_DIR.parent.mkdir(parents=True, exist_ok=True)
    with (INSTALL_DIR.parent / "vc-js.lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if key_file.exists() and key_file.read_text().strip() == key:
            _install_script(INSTALL_DIR)
            return INSTALL_DIR
        shutil.rmtree(INSTALL_DIR, ignore_errors=True)
        INSTALL_DIR.mkdir(parents=True)
        for name in PACKAGES:
            shutil.copy2(HERE / name, INSTALL_DIR / name)
        command = ["npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts"]
        result = subprocess.run(
            command, cwd=INSTALL_DIR, capture_output=True, text=True, check=False, timeout=600
        )
        if result.returncode != 0:
            shutil.rmtree(INSTALL_DIR, ignore_errors=True)
            raise VcJsOracleError(f"npm ci failed:\n{result.stdout}\n{result.stderr}")
        _install_script(INSTALL_DIR)
        key_file.write_text(key + "\n")
    return INSTALL_DIR


def _run(request: dict[str, Any]) -> Verdict:
    folder = ensure_installed()
    result = subprocess.run(
        ["node", "verify.mjs"],
        cwd=folder,
        input=json.dumps(request),
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    if result.returncode != 0 or not result.stdout:
        raise VcJsOracleError(f"verify.mjs failed ({result.returncode}):\n{result.stderr}")
    output = json.loads(result.stdout)
    return Verdict(bool(output["verified"]), list(output["errors"]), output.get("revoked"))


def verify_credential(
    credential: dict[str, Any], documents: dict[str, Any] | None = None
) -> Verdict:
    """Verify an embedded-proof (Data Integrity) credential, its status list included."""
    return _run({"credential": credential, "documents": documents or {}})


def verify_jwt(token: str, documents: dict[str, Any] | None = None) -> Verdict:
    """Verify a VC-JWT; ``documents`` must map its ``kid`` to the public JWK."""
    return _run({"jwt": token, "documents": documents or {}})
