"""WCAG 2.2 AA: axe-core finds no violation on a built-in framework's public page."""

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.live_server import LiveServer, live_server
from tests.pages.axe import audit, axe_script, browser, describe, require_chromium

pytestmark = pytest.mark.accessibility
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    require_chromium()
    with live_server(tmp_path_factory.mktemp("frameworks")) as running:
        yield running


@pytest.fixture(scope="module")
def chromium(server: LiveServer) -> Iterator[Any]:
    with browser() as launched:
        yield launched


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("language", ["fr", "en"])
def test_framework_page_has_no_wcag_violation(
    server: LiveServer, chromium: Any, language: str, viewport: dict[str, int]
) -> None:
    url = f"{server.base_url}/frameworks/rectec?lang={language}"
    assert httpx.get(url).status_code == 200
    context = chromium.new_context(bypass_csp=True, viewport=viewport, java_script_enabled=True)
    try:
        page = context.new_page()
        page.goto(url)
        assert page.evaluate("document.documentElement.lang") == language
        violations = audit(page, axe_script())
        assert violations == [], describe(violations)
    finally:
        context.close()
