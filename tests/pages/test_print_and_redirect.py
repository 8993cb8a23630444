"""The printable page's QR code decodes to the award page; browsers are sent to the page."""

import io
import re

import pytest
import resvg_py
import segno
import zxingcpp
from fastapi.testclient import TestClient
from PIL import Image

from badgeforge.public.negotiation import prefers_html
from tests.pages.conftest import Badges
from tests.pages.test_pages import BROWSER_ACCEPT, page


def _qr_svg(body: str) -> str:
    found = re.search(r"<svg role=\"img\"[^>]*class=\"qr\".*?</svg>", body, re.DOTALL)
    assert found, body
    return found.group(0)


def decode(svg: str) -> str:
    """Rasterise the inline SVG (resvg) on white and read it with zxing-cpp."""
    standalone = svg.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1)
    png = bytes(resvg_py.svg_to_bytes(svg_string=standalone, width=330, height=330))
    image = Image.open(io.BytesIO(png)).convert("RGBA")
    white = Image.new("RGBA", image.size, "white")
    white.alpha_composite(image)
    results = zxingcpp.read_barcodes(white.convert("L"))
    assert results, "no QR code found"
    text: str = results[0].text
    return text


class TestPrint:
    def test_qr_code_decodes_to_the_award_page(self, client: TestClient, badges: Badges) -> None:
        body = page(client, f"/badges/{badges.valid.id}/print")
        url = f"http://testserver/badges/{badges.valid.id}"
        assert decode(_qr_svg(body)) == url
        assert f'aria-label="QR code vers {url}"' in body
        assert 'href="/static/pages/print.css" media="print"' in body

    def test_qr_matrix_is_segnos(self, client: TestClient, badges: Badges) -> None:
        body = page(client, f"/badges/{badges.valid.id}/print?lang=en")
        url = f"http://testserver/badges/{badges.valid.id}"
        expected = segno.make(url, error="m", micro=False)
        path = _qr_svg(body)
        assert expected.svg_inline(scale=1, border=4, omitsize=True).split(' d="')[1] in path

    def test_print_page_of_a_revoked_award(self, client: TestClient, badges: Badges) -> None:
        body = page(client, f"/badges/{badges.revoked.id}/print?lang=en")
        assert "Revoked badge: it is no longer valid" in body

    def test_stylesheets_are_served(self, client: TestClient) -> None:
        for name in ("pages.css", "print.css"):
            response = client.get(f"/static/pages/{name}")
            assert response.status_code == 200
            assert response.headers["content-type"].startswith("text/css")


class TestAssertionNegotiation:
    @pytest.mark.parametrize(
        "accept",
        [None, "*/*", "application/json", "application/ld+json", "text/html, application/json"],
    )
    def test_json_by_default(self, client: TestClient, badges: Badges, accept: str | None) -> None:
        headers = {"Accept": accept} if accept else {}
        response = client.get(
            f"/ob2/assertions/{badges.valid.id}", headers=headers, follow_redirects=False
        )
        assert response.status_code == 200
        assert response.json()["type"] == "Assertion"
        assert response.headers["vary"] == "Accept"

    @pytest.mark.parametrize("award", ["valid", "revoked"])
    def test_browser_is_redirected(self, client: TestClient, badges: Badges, award: str) -> None:
        award_id = getattr(badges, award).id
        response = client.get(
            f"/ob2/assertions/{award_id}",
            headers={"Accept": BROWSER_ACCEPT},
            follow_redirects=False,
        )
        assert response.status_code == 303
        assert response.headers["location"] == f"/badges/{award_id}"
        assert response.headers["vary"] == "Accept"
        followed = client.get(f"/ob2/assertions/{award_id}", headers={"Accept": BROWSER_ACCEPT})
        assert followed.headers["content-type"] == "text/html; charset=utf-8"

    def test_revoked_json_still_410(self, client: TestClient, badges: Badges) -> None:
        response = client.get(f"/ob2/assertions/{badges.revoked.id}")
        assert response.status_code == 410
        assert response.json()["revoked"] is True

    @pytest.mark.parametrize(
        ("accept", "html"),
        [
            (None, False),
            ("", False),
            ("*/*", False),
            ("application/json", False),
            ("text/html", True),
            ("text/*", True),
            (BROWSER_ACCEPT, True),
            ("text/html;q=0.5, application/json", False),
            ("text/html, */*", False),
            ("text/html;q=0", False),
            ("application/ld+json, application/json;q=0.9, text/html;q=0.1", False),
        ],
    )
    def test_prefers_html(self, accept: str | None, html: bool) -> None:
        assert prefers_html(accept) is html
