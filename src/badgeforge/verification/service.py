"""Verify what a person or partner brings: this instance's badges from its own records,
anyone else's through the SSRF-safe fetcher."""

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from badgeforge.core.fetching import Fetcher
from badgeforge.core.verification import Report, VerifyOptions, verify
from badgeforge.verification.local import LocalFetcher


def verify_badge(
    session: Session,
    base_url: str,
    outbound: Fetcher | None,
    data: bytes | str | dict[str, Any],
    *,
    recipient: str | None,
    now: datetime,
) -> Report:
    """The verification report of ``data`` (a URL, JSON, a JWS/JWT or a baked image)."""
    fetcher = LocalFetcher(session, base_url, outbound)
    return verify(data, VerifyOptions(now=now, fetcher=fetcher, recipient=recipient))
