"""Test oracle: Open Badge Passport's hourly re-check of hosted badges (salava ``cron.clj``).

``check-badges`` runs every hour (except 14:00-15:59 server time) over up to 1,000 accepted,
unexpired hosted badges, oldest check first. For each one it GETs the assertion URL with clj-http
3.10 (``Accept: application/json``, up to 5 redirects, 10 s timeouts) and then, in this order
(shared/INTEROP.md §2.3, "Re-checking and revocation"):

1. ``clojure.walk/keywordize-keys`` rebuilds clj-http's case-insensitive header map as a plain
   map keyed by the header names exactly as sent on the wire;
2. ``(get-in response [:headers :Content-Type])``: a server that sends ``content-type`` makes it
   nil, the ``includes?`` test on it throws, ``check-badges`` logs "check-badges failed" and
   records nothing: the badge is never marked revoked;
3. the body is parsed as JSON only if that header contains ``application/json``;
4. the badge is revoked if the status is 410 or the body's ``revoked`` is truthy (Clojure truth:
   anything but nil and false).

Headers are read from ``httpx``'s raw list, which keeps the wire spelling with the default h11
transport (a raw-socket self-test proves it); ``httpx.Headers`` lookups ignore case, so they are
not used. Nothing here imports badgeforge.
"""

import json
from dataclasses import dataclass
from enum import Enum

import httpx


class Recheck(Enum):
    """What one run of the hourly job records for a badge."""

    REVOKED = "revoked"  # UPDATE user_badge SET revoked = 1
    STILL_VALID = "still valid"  # only remote_url / issuer_verified are refreshed
    FAILED = "failed"  # the exception is caught and logged; nothing is recorded


class RecheckFailed(Exception):
    """The per-badge check threw; ``check-badges`` catches it and moves on."""


@dataclass(frozen=True)
class WireResponse:
    """A response as it came over the wire: header names in their sent spelling."""

    status: int
    headers: tuple[tuple[bytes, bytes], ...]
    body: bytes


def fetch(url: str) -> WireResponse:
    """The job's GET (``:accept :json``, redirects followed), keeping raw header names."""
    with httpx.Client(follow_redirects=True, max_redirects=5, timeout=10) as client:
        response = client.get(url, headers={"Accept": "application/json"})
    return WireResponse(response.status_code, tuple(response.headers.raw), response.content)


def _clojure_vector(values: list[str]) -> str:
    return "[" + " ".join(json.dumps(value, ensure_ascii=False) for value in values) + "]"


def keywordized_headers(raw: tuple[tuple[bytes, bytes], ...]) -> dict[str, str]:
    """The header map after ``keywordize-keys``: one key per name, spelled as first sent.

    clj-http gathers a repeated header into a vector; ``includes?`` then sees its printed form.
    """
    spelling: dict[str, str] = {}
    values: dict[str, list[str]] = {}
    for raw_name, raw_value in raw:
        name = raw_name.decode("latin-1")
        spelling.setdefault(name.lower(), name)
        values.setdefault(name.lower(), []).append(raw_value.decode("latin-1"))
    return {
        spelling[key]: found[0] if len(found) == 1 else _clojure_vector(found)
        for key, found in values.items()
    }


def check_badge(response: WireResponse) -> Recheck:
    """One badge's check, in the job's order; raises RecheckFailed where the job would throw."""
    content_type = keywordized_headers(response.headers).get("Content-Type")
    if content_type is None:
        raise RecheckFailed(
            "NullPointerException: (get-in response [:headers :Content-Type]) is nil; "
            f"header names sent: {[name.decode('latin-1') for name, _ in response.headers]}"
        )
    body: object = response.body
    if "application/json" in content_type:
        try:
            body = json.loads(response.body)
        except ValueError as exc:
            raise RecheckFailed(f"body typed {content_type} is not JSON") from exc
    revoked = body.get("revoked") if isinstance(body, dict) else None
    if response.status == 410 or (revoked is not None and revoked is not False):
        return Recheck.REVOKED
    return Recheck.STILL_VALID


def hourly_recheck(assertion_url: str) -> Recheck:
    """What the hourly job records for the badge imported from ``assertion_url``."""
    try:
        return check_badge(fetch(assertion_url))
    except (RecheckFailed, httpx.HTTPError):
        return Recheck.FAILED
