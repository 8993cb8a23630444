"""ASGI middleware guarding the edge: body size and request content types."""

import json

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
