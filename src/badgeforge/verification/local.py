"""Answer this instance's own public URLs from its database, without an HTTP round trip.

Badges hosted here are verified from their records: the verification core asks its fetcher
for a URL under the public base URL (or a did:web document of this host, fetched over
https), and :class:`LocalFetcher` answers with exactly the bytes the public route would
serve. Every other URL goes to the SSRF-safe outbound fetcher, which refuses loopback, so
the demo verifies its own badges while loopback stays refused.
"""

import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit
from uuid import UUID

from sqlalchemy.orm import Session

from badgeforge.core.fetching import (
    DEFAULT_MAX_BYTES,
    Fetched,
    Fetcher,
    RefusedUrl,
    ResponseTooLarge,
)
from badgeforge.problems import Gone, NotFound
from badgeforge.public import credentials, service
from badgeforge.public import links as paths
from badgeforge.public.links import PublicLinks

Answer = tuple[int, str, bytes]
Handler = Callable[[Session, PublicLinks, dict[str, str]], Answer]
JSON = "application/json"


def _json(document: dict[str, Any] | str) -> Answer:
    text = document if isinstance(document, str) else json.dumps(document, ensure_ascii=False)
    return 200, JSON, text.encode("utf-8")


def _assertion(session: Session, _: PublicLinks, values: dict[str, str]) -> Answer:
    hosted = service.assertion_document(session, UUID(values["award_id"]))
    return (410 if hosted.revoked else 200), JSON, hosted.body.encode("utf-8")


def _image(load: Callable[[str], bytes], values: dict[str, str]) -> Answer:
    media_type = paths.MEDIA_TYPES[values["extension"]]
    return 200, media_type, load(media_type)


ROUTES: dict[str, Handler] = {
    paths.ASSERTION_PATH: _assertion,
    paths.SIGNED_ASSERTION_PATH: lambda s, _, v: (
        200,
        "text/plain",
        service.signed_assertion(s, UUID(v["award_id"])).encode("ascii"),
    ),
    paths.BAKED_IMAGE_PATH: lambda s, _, v: _image(
        lambda media_type: service.baked_image(s, UUID(v["award_id"]), media_type).data, v
    ),
    paths.BADGE_CLASS_VERSION_PATH: lambda s, _, v: _json(
        service.badge_class_version(s, UUID(v["badge_class_id"]), v["version"])
    ),
    paths.BADGE_CLASS_PATH: lambda s, links, v: _json(
        service.badge_class_document(s, links, UUID(v["badge_class_id"]))
    ),
    paths.IMAGE_BLOB_PATH: lambda s, _, v: _image(
        lambda media_type: service.image_blob(s, v["digest"], media_type).data, v
    ),
    paths.ISSUER_PATH: lambda s, links, v: _json(
        service.issuer_document(s, links, UUID(v["issuer_id"]))
    ),
    paths.OB2_KEY_PATH: lambda s, links, v: _json(
        service.ob2_key_document(s, links, UUID(v["key_id"]))
    ),
    paths.OB2_REVOCATION_LIST_PATH: lambda s, links, v: _json(
        service.ob2_revocation_list(s, links, UUID(v["issuer_id"]))
    ),
    paths.CREDENTIAL_PATH: lambda s, _, v: _json(credentials.credential(s, UUID(v["award_id"]))),
    paths.CREDENTIAL_JWT_PATH: lambda s, _, v: (
        200,
        "text/plain",
        credentials.credential_jwt(s, UUID(v["award_id"])).encode("ascii"),
    ),
    paths.OB3_ISSUER_PATH: lambda s, links, v: _json(
        credentials.issuer_controller(s, links, UUID(v["issuer_id"]))
    ),
    paths.OB3_ISSUER_DID_PATH: lambda s, links, v: _json(
        credentials.issuer_did_document(s, links, UUID(v["issuer_id"]))
    ),
    paths.OB3_ISSUER_JWKS_PATH: lambda s, links, v: _json(
        credentials.jwks(s, links, UUID(v["issuer_id"]))
    ),
    paths.OB3_REVOCATION_LIST_PATH: lambda s, links, v: _json(
        credentials.revocation_list(s, links, UUID(v["issuer_id"]))
    ),
    paths.OB3_KEY_PATH: lambda s, links, v: _json(
        credentials.key_document(s, links, UUID(v["key_id"]))
    ),
    paths.STATUS_LIST_PATH: lambda s, _, v: _json(
        credentials.status_list_credential(s, UUID(v["list_id"]))
    ),
    paths.JWKS_PATH: lambda s, links, _: _json(credentials.jwks(s, links)),
}


def _pattern(template: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[a-z_]+\})", template)
    regex = "".join(
        f"(?P<{part[1:-1]}>[^/]+?)" if part.startswith("{") else re.escape(part) for part in parts
    )
    return re.compile(f"^{regex}$")


_COMPILED = [(_pattern(template), handler) for template, handler in ROUTES.items()]


def _authority(url: str) -> str:
    parts = urlsplit(url)
    return (parts.netloc or "").lower()


@dataclass
class LocalFetcher:
    """A :class:`Fetcher` for this instance's URLs, falling back to ``outbound`` for others.

    The verification core may fetch independent documents from several threads at once
    (``Session.prefetch``); the request's database session is not for concurrent use, so
    local answers are read one at a time, while outbound fetches run side by side.
    """

    session: Session
    base_url: str
    outbound: Fetcher | None
    _reading: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def is_local(self, url: str) -> bool:
        return urlsplit(url).scheme in ("http", "https") and _authority(url) == _authority(
            self.base_url
        )

    def get(self, url: str, *, accept: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Fetched:
        if not self.is_local(url):
            if self.outbound is None:
                raise RefusedUrl(f"{url} is not hosted here and fetching other sites is off")
            return self.outbound.get(url, accept=accept, max_bytes=max_bytes)
        with self._reading:
            status, content_type, body = self._answer(urlsplit(url).path)
        if len(body) > max_bytes:
            raise ResponseTooLarge(f"{url} is larger than {max_bytes} bytes")
        return Fetched(url, status, content_type, {"Content-Type": content_type}, body)

    def _answer(self, path: str) -> Answer:
        links = PublicLinks(self.base_url)
        for pattern, handler in _COMPILED:
            match = pattern.match(path)
            if match is None:
                continue
            try:
                return handler(self.session, links, match.groupdict())
            except (ValueError, KeyError, NotFound):
                return 404, JSON, b'{"detail": "not found"}'
            except Gone as gone:
                return 410, JSON, json.dumps({"detail": str(gone)}).encode("utf-8")
        return 404, JSON, b'{"detail": "not found"}'
