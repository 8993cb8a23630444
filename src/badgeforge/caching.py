"""HTTP caching of public documents and images: strong ETags, Cache-Control, 304 answers.

Routes give each public response a strong validator with :func:`with_etag`: a digest of
what is sent (status, media type, body). Issued documents and baked images are frozen
bytes, so the validator is stable across processes and instances with no shared state,
and it changes whenever the answer changes: a revoked assertion (410, another body), a
re-signed status list, an edited issuer profile.

:class:`ConditionalRequests` answers ``If-None-Match`` (RFC 9110 §13.1.2) with
``304 Not Modified`` when the response the route produced carries a matching ETag. Only
``200`` responses are replaced (§13.2.1: preconditions are ignored when the answer would
not be 2xx), so a revoked assertion always answers 410, whatever validator the client
holds. Because the comparison is made on the route's fresh answer, never on a stored one,
revocation takes effect at once; documents that revocation changes are served with
``Cache-Control: no-cache`` so that caches revalidate them on every use (cheap: a 304).
"""

import base64
import hashlib

from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

IMMUTABLE = "public, max-age=31536000, immutable"
"""Content-addressed or versioned: never changes at its URL."""
REVALIDATE = "no-cache"
"""Changes on revocation: caches may keep it but must revalidate (ETag) before each use."""
SHORT = "public, max-age=300"
"""Live but slow-moving documents (issuer profile, keys, current badge class)."""

_KEPT_ON_304 = frozenset(
    {
        b"etag",
        b"cache-control",
        b"vary",
        b"date",
        b"expires",
        b"content-location",
        b"access-control-allow-origin",
    }
)


def etag(*parts: bytes) -> str:
    """A strong entity tag: the first 144 bits of the SHA-256 of `parts`, base64url."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return '"' + base64.urlsafe_b64encode(digest.digest()[:18]).decode("ascii") + '"'


def body_etag(status: int, content_type: str, body: bytes) -> str:
    """The strong ETag of an answer: its status, ``Content-Type`` header and body."""
    return etag(str(status).encode("ascii"), content_type.encode("latin-1"), body)


def with_etag(response: Response, known: str | None = None) -> Response:
    """`response` with a strong ETag over its status, media type and body (``known``: that
    ETag, kept with bytes served many times)."""
    content_type = response.headers.get("content-type", "")
    tag = known or body_etag(response.status_code, content_type, bytes(response.body))
    response.headers["ETag"] = tag
    return response


def _opaque(tag: str) -> str:
    return tag.strip().removeprefix("W/")


def none_match(if_none_match: str, current: str) -> bool:
    """False when ``If-None-Match`` names `current` (weak comparison) or is ``*``."""
    if if_none_match.strip() == "*":
        return False
    wanted = _opaque(current)
    return all(_opaque(tag) != wanted for tag in if_none_match.split(","))


class ConditionalRequests:
    """Turns a GET/HEAD ``200`` whose ETag matches ``If-None-Match`` into a bodiless 304."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        condition = next(
            (value for name, value in scope["headers"] if name == b"if-none-match"), None
        )
        if condition is None:
            await self.app(scope, receive, send)
            return
        if_none_match = condition.decode("latin-1")
        not_modified = False

        async def send_conditionally(message: Message) -> None:
            nonlocal not_modified
            if message["type"] == "http.response.start" and message["status"] == 200:
                headers = message.get("headers", [])
                tag = next((v for n, v in headers if n.lower() == b"etag"), None)
                if tag is not None and not none_match(if_none_match, tag.decode("latin-1")):
                    not_modified = True
                    kept = [(n, v) for n, v in headers if n.lower() in _KEPT_ON_304]
                    message = {"type": "http.response.start", "status": 304, "headers": kept}
            elif message["type"] == "http.response.body" and not_modified:
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b""}
            await send(message)

        await self.app(scope, receive, send_conditionally)
