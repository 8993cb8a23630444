"""Offline JSON-LD: a document loader that serves only the contexts bundled with badgeforge.

The service never fetches a context over the network: an unknown URL is an error, which
also catches documents that depend on contexts we have not vetted.
"""

import json
from collections.abc import Callable
from functools import cache
from importlib.resources import files
from typing import Any

from badgeforge.core.errors import InvalidDocument

CONTEXT_FILES = {
    "https://w3id.org/openbadges/v2": "openbadges-v2-context.json",
    "https://openbadgespec.org/v2/context.json": "openbadges-v2-context.json",
    "https://w3id.org/openbadges/v1": "openbadges-v1-context.json",
    "https://openbadgespec.org/v1/context.json": "openbadges-v1-context.json",
    "https://www.w3.org/ns/credentials/v2": "w3c-credentials-v2.jsonld",
    "https://www.w3.org/2018/credentials/v1": "w3c-credentials-v1.jsonld",
    "https://www.w3.org/ns/credentials/undefined-terms/v2": (
        "w3c-credentials-undefined-terms-v2.jsonld"
    ),
    "https://www.w3.org/ns/credentials/status/v1": "w3c-credentials-status-v1.jsonld",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json": (
        "ob-v3p0-context-3.0.3.validator-2026.json"
    ),
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json": "ob-v3p0-context-3.0.2.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json": "ob-v3p0-context-3.0.1.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context.json": "ob-v3p0-context.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json": "ob-v3p0-extensions.json",
    "https://w3id.org/security/data-integrity/v2": "security-data-integrity-v2.jsonld",
    "https://w3id.org/security/data-integrity/v1": "security-data-integrity-v1.jsonld",
    "https://w3id.org/security/multikey/v1": "security-multikey-v1.jsonld",
    "https://w3id.org/security/jwk/v1": "security-jwk-v1.jsonld",
    "https://w3id.org/security/suites/ed25519-2020/v1": "security-suites-ed25519-2020-v1.jsonld",
    "https://w3id.org/vc/status-list/2021/v1": "vc-status-list-2021-v1.jsonld",
    "https://www.w3.org/ns/did/v1": "did-v1.jsonld",
}

DocumentLoader = Callable[[str, Any], dict[str, Any]]


@cache
def bundled_context(url: str) -> dict[str, Any]:
    """The parsed bundled context for ``url``; InvalidDocument for any other URL."""
    name = CONTEXT_FILES.get(url.rstrip("#"))
    if name is None:
        raise InvalidDocument(f"JSON-LD context {url} is not bundled; it will not be fetched")
    document: dict[str, Any] = json.loads(
        files("badgeforge.core").joinpath("contexts", name).read_text(encoding="utf-8")
    )
    return document


def offline_loader(url: str, options: Any = None) -> dict[str, Any]:
    """A pyld document loader that answers from bundled contexts only."""
    return {"contextUrl": None, "documentUrl": url, "document": bundled_context(url)}
