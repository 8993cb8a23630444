"""Self-tests of the OB 2.0 validator oracle: it can pass, and it can fail.

Hand-written hosted Open Badges 2.0 objects are served from a local HTTP server on 127.0.0.1 (the
oracle refuses any other network access); nothing here depends on badgeforge's own code.
"""

from __future__ import annotations

import hashlib
import io
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from .ob2_validator import OB2Input, OB2Report, validate, validate_many

pytestmark = pytest.mark.validator

OB2_CONTEXT = "https://w3id.org/openbadges/v2"
RECIPIENT_EMAIL = "alice@example.org"
SALT = "s4lt-0f-the-earth"


@dataclass
class Route:
    status: int
    content_type: str
    body: bytes


@dataclass
class BadgeServer:
    """Serves fixed responses by path; records (path, Accept header) of every GET."""

    base_url: str = ""
    routes: dict[str, Route] = field(default_factory=dict)
    requests: list[tuple[str, str]] = field(default_factory=list)

    def url(self, path: str) -> str:
        return self.base_url + path

    def add_json(self, path: str, document: dict[str, Any], status: int = 200) -> str:
        body = json.dumps(document).encode()
        self.routes[path] = Route(status, "application/ld+json", body)
        return self.url(path)

    def add(self, path: str, body: bytes, content_type: str) -> str:
        self.routes[path] = Route(200, content_type, body)
        return self.url(path)


def _make_handler(server: BadgeServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            server.requests.append((self.path, self.headers.get("Accept", "")))
            route = server.routes.get(self.path)
            if route is None:
                route = Route(404, "application/json", b'{"error": "not found"}')
            self.send_response(route.status)
            self.send_header("Content-Type", route.content_type)
            self.send_header("Content-Length", str(len(route.body)))
            self.end_headers()
            self.wfile.write(route.body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


def _png(size: int = 8) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (size, size), (30, 120, 200, 255)).save(out, format="PNG")
    return out.getvalue()


def _bake_png(text: str) -> bytes:
    info = PngInfo()
    info.add_itxt("openbadges", text, zip=False)
    out = io.BytesIO()
    Image.new("RGBA", (16, 16), (200, 60, 30, 255)).save(out, format="PNG", pnginfo=info)
    return out.getvalue()


def _hashed_recipient(email: str, salt: str) -> dict[str, Any]:
    digest = hashlib.sha256((email.lower() + salt).encode()).hexdigest()
    return {"type": "email", "hashed": True, "salt": salt, "identity": f"sha256${digest}"}


@pytest.fixture(scope="module")
def server() -> Iterator[BadgeServer]:
    badge_server = BadgeServer()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _make_handler(badge_server))
    badge_server.base_url = f"http://127.0.0.1:{httpd.server_port}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield badge_server
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="module")
def badge_urls(server: BadgeServer) -> dict[str, str]:
    """Publish an issuer, a badge class, its image and a set of assertions; name -> URL."""
    issuer = server.add_json(
        "/issuer",
        {
            "@context": OB2_CONTEXT,
            "id": server.url("/issuer"),
            "type": "Issuer",
            "name": "Oracle Test Academy",
            "url": server.url("/"),
            "email": "badges@example.org",
        },
    )
    image = server.add("/images/badge.png", _png(), "image/png")
    badge = server.add_json(
        "/badges/1",
        {
            "@context": OB2_CONTEXT,
            "id": server.url("/badges/1"),
            "type": "BadgeClass",
            "name": "Oracle Wrangler",
            "description": "Ran the OB 2.0 validator offline.",
            "image": image,
            "criteria": {"narrative": "Make the oracle both pass and fail."},
            "publish": True,
            "issuer": issuer,
        },
    )

    def assertion(path: str, **changes: Any) -> dict[str, Any]:
        document: dict[str, Any] = {
            "@context": OB2_CONTEXT,
            "id": server.url(path),
            "type": "Assertion",
            "recipient": _hashed_recipient(RECIPIENT_EMAIL, SALT),
            "badge": badge,
            "verification": {"type": "hosted"},
            "issuedOn": "2024-05-01T10:00:00Z",
        }
        document.update(changes)
        return {k: v for k, v in document.items() if v is not None}

    urls = {"badge": badge, "issuer": issuer}
    urls["good"] = server.add_json("/assertions/good", assertion("/assertions/good"))
    no_recipient = assertion("/assertions/no-recipient", recipient=None)
    urls["no-recipient"] = server.add_json("/assertions/no-recipient", no_recipient)
    no_zone = assertion("/assertions/no-zone", issuedOn="2024-05-01T10:00:00")
    urls["no-zone"] = server.add_json("/assertions/no-zone", no_zone)
    not_a_date = assertion("/assertions/not-a-date", issuedOn="May 1st, 2024")
    urls["not-a-date"] = server.add_json("/assertions/not-a-date", not_a_date)
    # Revoked hosted assertions answer 410 Gone: the bare body, and the body the spec suggests.
    urls["revoked-bare"] = server.add_json("/assertions/revoked-bare", {"revoked": True}, 410)
    revoked = {
        "@context": OB2_CONTEXT,
        "id": server.url("/assertions/revoked"),
        "type": "Assertion",
        "revoked": True,
        "revocationReason": "Awarded in error",
    }
    urls["revoked"] = server.add_json("/assertions/revoked", revoked, 410)
    gone = assertion("/assertions/gone-but-complete", revoked=True)
    urls["gone-but-complete"] = server.add_json("/assertions/gone-but-complete", gone, 410)
    return urls


def _assert_valid(report: OB2Report) -> None:
    assert report.valid, report.describe()
    assert report.error_count == 0, report.describe()


def _assert_invalid(report: OB2Report, *expected: str) -> None:
    """Invalid, and every expected fragment occurs in some ERROR message."""
    assert not report.valid, report.describe()
    assert report.error_count >= 1, report.describe()
    for fragment in expected:
        assert any(fragment in error for error in report.errors), (fragment, report.describe())


def test_good_hosted_assertion_is_valid(badge_urls: dict[str, str], server: BadgeServer) -> None:
    report = validate(badge_urls["good"])

    _assert_valid(report)
    assert report.raw["report"]["validationSubject"] == badge_urls["good"]
    assert report.raw["report"]["openBadgesVersion"] == "2.0"
    # The validator walked the whole hosted graph on the local server, image included.
    fetched = {path for path, _ in server.requests}
    assert {"/assertions/good", "/badges/1", "/issuer", "/images/badge.png"} <= fetched


def test_assertion_json_text_is_valid(badge_urls: dict[str, str], server: BadgeServer) -> None:
    # JSON input: the validator only trusts it to find the hosted id, then fetches that URL.
    text = server.routes["/assertions/good"].body.decode()

    _assert_valid(validate(text))


def test_matching_recipient_email_is_valid(badge_urls: dict[str, str]) -> None:
    report = validate(badge_urls["good"], recipient_email=RECIPIENT_EMAIL)

    _assert_valid(report)
    assert report.raw["report"]["recipientProfile"] == {"email": RECIPIENT_EMAIL}


def test_wrong_recipient_email_is_invalid(badge_urls: dict[str, str]) -> None:
    report = validate(badge_urls["good"], recipient_email="mallory@example.org")

    _assert_invalid(report, "did not match assertion")
    assert "recipientProfile" not in report.raw["report"]


def test_recipient_email_is_compared_case_sensitively(badge_urls: dict[str, str]) -> None:
    # badgecheck hashes the profile email exactly as given (the assertion hashed the lowercase).
    report = validate(badge_urls["good"], recipient_email=RECIPIENT_EMAIL.upper())

    _assert_invalid(report, "did not match assertion")


def test_revoked_assertion_is_invalid(badge_urls: dict[str, str]) -> None:
    # badgecheck 1.2.0 has no hosted-revocation check: it ignores the status of the assertion
    # fetch and never reads "revoked". A 410 body of only @context/id/type/revoked/reason fails
    # because the Assertion lacks its required properties.
    report = validate(badge_urls["revoked"])

    _assert_invalid(
        report, "Required property recipient not present", "Required property badge not present"
    )


def test_revoked_bare_body_is_invalid(badge_urls: dict[str, str]) -> None:
    # {"revoked": true} has no @context, so it is read as OB 1.0 and upgraded through the v1
    # context, which imports https://w3id.org/openbadges/legacy-v1. That context is not bundled,
    # so the oracle refuses to fetch it; a service must not rely on this body shape anyway.
    report = validate(badge_urls["revoked-bare"])

    _assert_invalid(report, "legacy-v1")


def test_full_assertion_served_with_410_passes(badge_urls: dict[str, str]) -> None:
    # Pins the quirk above: status 410 plus "revoked": true on a complete assertion is VALID.
    _assert_valid(validate(badge_urls["gone-but-complete"]))


def test_assertion_without_recipient_is_invalid(badge_urls: dict[str, str]) -> None:
    report = validate(badge_urls["no-recipient"])

    _assert_invalid(report, "Required property recipient not present")


@pytest.mark.parametrize("name", ["no-zone", "not-a-date"])
def test_malformed_issued_on_is_invalid(badge_urls: dict[str, str], name: str) -> None:
    report = validate(badge_urls[name])

    _assert_invalid(report, "DATETIME property issuedOn value")


@pytest.mark.parametrize("content", ["url", "json"])
def test_baked_png_is_valid(badge_urls: dict[str, str], server: BadgeServer, content: str) -> None:
    if content == "url":
        text = badge_urls["good"]
    else:
        text = server.routes["/assertions/good"].body.decode()

    report = validate(_bake_png(text))

    _assert_valid(report)
    assert report.raw["report"]["validationSubject"] == badge_urls["good"]


def test_baked_svg_is_valid(badge_urls: dict[str, str]) -> None:
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org"'
        ' width="16" height="16">'
        f'<openbadges:assertion verify="{badge_urls["good"]}"/>'
        '<rect width="16" height="16" fill="#c83c1e"/></svg>'
    )

    _assert_valid(validate(svg.encode()))


def test_png_without_badge_data_is_invalid() -> None:
    # badgecheck crashes on this path (Python 2 `e.message`); the runner reports the crash.
    _assert_invalid(validate(_png()), "Could not find Open Badges metadata")


def test_network_beyond_loopback_fails_fast() -> None:
    started = time.monotonic()
    report = validate("https://example.org/assertions/1")

    _assert_invalid(report, "network access refused")
    assert time.monotonic() - started < 10


def test_validate_many_keeps_input_order(badge_urls: dict[str, str]) -> None:
    reports = validate_many(
        [
            badge_urls["good"],
            OB2Input(badge_urls["good"], recipient_email="mallory@example.org"),
            badge_urls["no-recipient"],
            OB2Input(_bake_png(badge_urls["good"]), recipient_email=RECIPIENT_EMAIL),
        ]
    )

    assert [r.valid for r in reports] == [True, False, False, True], [r.describe() for r in reports]
