"""WCAG 2.2 AA: axe-core finds no violation on a built-in framework's public page."""

from typing import Any

import httpx
import pytest

from tests.live_server import LiveServer
from tests.pages.axe import DESKTOP, PHONE, assert_accessible, opened

pytestmark = pytest.mark.accessibility


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("language", ["fr", "en"])
def test_framework_page_has_no_wcag_violation(
    page_server: LiveServer, chromium: Any, language: str, viewport: dict[str, int]
) -> None:
    url = f"{page_server.base_url}/frameworks/rectec?lang={language}"
    assert httpx.get(url).status_code == 200
    with opened(chromium, url, viewport=viewport, language=language) as page:
        assert_accessible(page)
