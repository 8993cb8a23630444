"""ASGI middleware guarding the edge: body size, request content types, response headers."""

import json
from functools import lru_cache

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from badgeforge.problems import (
    PROBLEM_MEDIA_TYPE,
    PayloadTooLarge,
    Problem,
    UnsupportedMediaType,
    problem_body,
)

_BODY_METHODS = {b"POST", b"PUT", b"PATCH"}


async def _send_problem(send: Send, scope: Scope, problem_type: type[Problem], detail: str) -> None:
    body = json.dumps(problem_body(problem_type, detail, scope.get("path", ""))).encode()
    await send(
        {
            "type": "http.response.start",
            "status": problem_type.status,
            "headers": [
                (b"content-type", PROBLEM_MEDIA_TYPE.encode()),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class BodyTooLarge(HTTPException):
    """Raised while a body streams in past the limit; rendered as a 413 problem."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"The request body is larger than {limit} bytes.")


class RequestGuard:
    """Refuses oversized bodies (413) and non-JSON, non-multipart API bodies (415)."""

    def __init__(self, app: ASGIApp, *, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"].encode() not in _BODY_METHODS:
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        length = headers.get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body_bytes):
            detail = f"The request body is larger than {self.max_body_bytes} bytes."
            await _send_problem(send, scope, PayloadTooLarge, detail)
            return
        content_type = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
        has_body = length not in (None, b"0") or b"transfer-encoding" in headers
        if has_body and scope["path"].startswith("/api/") and not _accepted(content_type):
            detail = "Send JSON (application/json), or multipart/form-data for file uploads."
            await _send_problem(send, scope, UnsupportedMediaType, detail)
            return
        await self._forward_limited(scope, receive, send)

    async def _forward_limited(self, scope: Scope, receive: Receive, send: Send) -> None:
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_bytes:
                    raise BodyTooLarge(self.max_body_bytes)
            return message

        await self.app(scope, limited_receive, send)


def _accepted(content_type: bytes) -> bool:
    return (
        content_type == b"application/json"
        or content_type.endswith(b"+json")
        or content_type == b"multipart/form-data"
    )


class HeadAsGet:
    """Answers HEAD like GET without a body (wallets send HEAD to check badge URLs)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def send_headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, send_headers_only)


# --------------------------------------------------------------------------- response headers

DEFAULT_CSP = "default-src 'none'; frame-ancestors 'none'"
"""For JSON documents, problems and raster images: load nothing, run nothing, no framing."""
SVG_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox"
"""For SVG opened as a document: its own styles and embedded ``data:`` rasters only."""
SWAGGER_UI_PATH = "/docs"
SWAGGER_UI_CSP = (
    "default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'"
)
"""For the Swagger UI page: its bundled assets, its inline set-up script, calls to this API."""

_SPECIAL_NAMES = {
    name.lower(): name
    for name in (
        b"ETag",
        b"WWW-Authenticate",
        b"Content-MD5",
        b"TE",
        b"X-XSS-Protection",
        b"X-UA-Compatible",
        b"X-DNS-Prefetch-Control",
    )
}


@lru_cache(maxsize=512)
def canonical_header_name(name: bytes) -> bytes:
    """The usual spelling of a header name: ``Content-Type``, ``ETag``, ``WWW-Authenticate``.

    Each dash-separated word is capitalised, except for the few names whose customary
    spelling differs. HTTP names are case-insensitive, but some clients are not (Open
    Badge Passport's re-check looks ``Content-Type`` up with exactly that spelling).
    """
    lowered = name.lower()
    special = _SPECIAL_NAMES.get(lowered)
    if special is not None:
        return special
    return b"-".join(word.capitalize() for word in lowered.split(b"-"))


class ResponseHeaders:
    """Finishes every response's headers: canonical names, security headers, no ``Server``.

    Adds ``X-Content-Type-Options: nosniff`` everywhere and, unless the route set one, a
    Content-Security-Policy: SWAGGER_UI_CSP on the Swagger UI page, SVG_CSP on SVG, and
    DEFAULT_CSP on everything else. Install it with ``install_response_headers`` so that it
    wraps even the 500 responses of Starlette's outermost error middleware.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = _finish_headers(message.get("headers", []), path)
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _finish_headers(raw: list[tuple[bytes, bytes]], path: str) -> list[tuple[bytes, bytes]]:
    headers = [
        (canonical_header_name(name), value) for name, value in raw if name.lower() != b"server"
    ]
    names = {name for name, _ in headers}
    if b"X-Content-Type-Options" not in names:
        headers.append((b"X-Content-Type-Options", b"nosniff"))
    if b"Content-Security-Policy" not in names:
        media_type = next((v for n, v in headers if n == b"Content-Type"), b"")
        headers.append((b"Content-Security-Policy", _policy(media_type, path).encode()))
    return headers


def _policy(media_type: bytes, path: str) -> str:
    if path == SWAGGER_UI_PATH:
        return SWAGGER_UI_CSP
    if media_type.split(b";")[0].strip().lower() == b"image/svg+xml":
        return SVG_CSP
    return DEFAULT_CSP


def install_response_headers(app: Starlette) -> None:
    """Make ResponseHeaders the outermost layer of `app`, outside its error middleware."""
    build_stack = app.build_middleware_stack

    def build_with_headers() -> ASGIApp:
        return ResponseHeaders(build_stack())

    app.build_middleware_stack = build_with_headers  # type: ignore[method-assign]
