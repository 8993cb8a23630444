"""Test oracle: axe-core (WCAG rules) in a real headless Chromium, driven by Playwright.

Chromium is Debian's (``/usr/bin/chromium``, installed by ``.ci/run``), never a browser
downloaded by ``playwright install``. axe-core is pinned in ``axe/package-lock.json`` and
installed once with ``npm ci`` into ``<repo>/.oracles/axe`` (gitignored), again when the
lock changes. Pages are audited with their own CSP bypassed so that axe can be injected.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent / "axe"
INSTALL_DIR = Path(__file__).resolve().parents[2] / ".oracles" / "axe"
PACKAGES = ("package.json", "package-lock.json")
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
SCREENSHOTS = Path(__file__).resolve().parents[2] / ".oracles" / "screenshots"
_KEY_FILE = ".badgeforge-oracle-key"


def _key() -> str:
    digest = hashlib.sha256()
    for name in PACKAGES:
        digest.update((HERE / name).read_bytes())
    return digest.hexdigest()


def axe_script() -> Path:
    """``axe.min.js``, installed with ``npm ci`` first when needed (process-safe)."""
    key = _key()
    key_file = INSTALL_DIR / _KEY_FILE
    script = INSTALL_DIR / "node_modules" / "axe-core" / "axe.min.js"
    if key_file.exists() and key_file.read_text().strip() == key:
        return script
    INSTALL_DIR.parent.mkdir(parents=True, exist_ok=True)
    with (INSTALL_DIR.parent / "axe.lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if key_file.exists() and key_file.read_text().strip() == key:
            return script
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
            raise RuntimeError(f"npm ci failed:\n{result.stdout}\n{result.stderr}")
        key_file.write_text(key + "\n")
    return script


def require_chromium() -> None:
    """Skip without Debian's Chromium, except in CI (where ``.ci/run`` installs it)."""
    if CHROMIUM.exists():
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{CHROMIUM} is missing: .ci/run must install Debian's chromium")
    pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")


@contextmanager
def browser() -> Iterator[Any]:
    """A headless Debian Chromium under Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS, headless=True
        )
        try:
            yield launched
        finally:
            launched.close()


def audit(page: Any, script: Path) -> list[dict[str, Any]]:
    """axe's violations of the WCAG 2.0/2.1/2.2 A and AA rules on the loaded ``page``."""
    page.add_script_tag(path=str(script))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        WCAG_TAGS,
    )
    violations: list[dict[str, Any]] = result["violations"]
    return violations


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        targets = [node["target"] for node in violation["nodes"]][:5]
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} {targets}")
    return "\n".join(lines)


@contextmanager
def opened(
    chromium: Any,
    url: str,
    *,
    viewport: dict[str, int] = PHONE,
    javascript: bool = True,
    language: str | None = None,
) -> Iterator[Any]:
    """``url`` loaded in a fresh browser context, closed afterwards. With JavaScript the
    page's CSP is bypassed, so that axe can be injected; ``language``: the ``lang`` of its
    ``<html>`` is checked."""
    context = chromium.new_context(
        bypass_csp=javascript, viewport=viewport, java_script_enabled=javascript
    )
    try:
        page = context.new_page()
        page.goto(url)
        if language is not None:
            assert page.evaluate("document.documentElement.lang") == language
        yield page
    finally:
        context.close()


def unfold(page: Any) -> int:
    """Open every ``<details>`` (so that axe audits what they fold); how many there are."""
    opened_count: int = page.evaluate(
        "() => { const all = document.querySelectorAll('details');"
        " all.forEach(d => { d.open = true; }); return all.length; }"
    )
    return opened_count


def assert_accessible(page: Any) -> None:
    """axe finds no WCAG 2.2 A/AA violation on ``page`` (else the list, readable)."""
    violations = audit(page, axe_script())
    assert violations == [], describe(violations)


def screenshot(page: Any, name: str) -> None:
    """A full-page screenshot kept in ``.oracles/screenshots`` (to look at, not compared)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name), full_page=True)
