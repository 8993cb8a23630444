"""The award page's verdict is the verification core's, cached on what can change it.

Nothing invalidates the caches: each request reads what the answer depends on (stored
documents, revocation, status list, issuer and keys, the clock against the award's dates),
so a change made by any process shows at once, and nothing else re-verifies.
"""

import json
import time
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from badgeforge.awards import service as award_service
from badgeforge.core.keys import KeyAlgorithm
from badgeforge.core.verification import Verdict as Outcome
from badgeforge.db import utcnow
from badgeforge.issuers.models import Issuer
from badgeforge.pages import award_html, service, verdict
from badgeforge.public.service import IssuedState, issued_state
from badgeforge.settings import Settings
from badgeforge.signing import service as signing
from badgeforge.signing.vault import vault_from_settings
from tests.pages.conftest import Badges
from tests.pages.test_pages import checks, formats, page


@pytest.fixture
def verifications(monkeypatch: pytest.MonkeyPatch) -> list[IssuedState]:
    """Every verification the pages run (a spy: the real core still runs)."""
    verdict.REPORTS.clear()
    award_html.PAGES.clear()
    calls: list[IssuedState] = []
    real: Callable[..., tuple[verdict.FormatReport, ...]] = verdict._verify

    def spy(session: Session, state: IssuedState, now: datetime) -> object:
        calls.append(state)
        return real(session, state, now)

    monkeypatch.setattr(verdict, "_verify", spy)
    return calls


def test_reports_and_pages_are_cached(
    client: TestClient, session: Session, badges: Badges, verifications: list[IssuedState]
) -> None:
    path = f"/badges/{badges.valid.id}"
    set_up = utcnow()
    while utcnow() <= set_up:  # the key compares the clock with the set-up's dates, to the second
        time.sleep(0.02)
    first = page(client, path)
    assert len(verifications) == 1
    assert page(client, path) == first
    assert "Genuine and valid badge" in page(client, f"{path}?lang=en")
    assert "Badge authentique et valide" in page(client, f"{path}/print")
    assert len(verifications) == 1  # other language and the print page: the same reports
    state = issued_state(session, badges.valid.id)
    key = verdict.cache_key(session, state, json.loads(state.issued.ob3_credential), utcnow())
    cached = verdict.REPORTS.get(key)
    assert cached is not None
    assert [item.name for item in cached] == [
        "format_ob3",
        "format_ob3_jwt",
        "format_ob2",
        "format_ob2_signed",
    ]
    assert all(item.report.document is None for item in cached)  # no documents kept


def test_revocation_shows_at_once(
    client: TestClient,
    session: Session,
    settings: Settings,
    badges: Badges,
    verifications: list[IssuedState],
) -> None:
    path = f"/badges/{badges.valid.id}?lang=en"
    assert "Genuine and valid badge" in page(client, path)
    award_service.revoke(
        session,
        badges.tenant.principal,
        badges.valid.id,
        "Erreur de saisie.",
        vault=vault_from_settings(settings),
    )
    session.commit()
    body = page(client, path)
    assert len(verifications) == 2
    assert "Revoked badge: it is no longer valid" in body
    assert "Reason: Erreur de saisie." in body
    assert ("status", "failed", "The issuer has revoked this badge.") in checks(body)
    assert set(formats(body).values()) == {"failed"}


def test_retired_key_shows_at_once(
    client: TestClient,
    session: Session,
    settings: Settings,
    badges: Badges,
    verifications: list[IssuedState],
) -> None:
    """Retiring the Ed25519 key that signed the credential breaks its Data Integrity proof."""
    path = f"/badges/{badges.valid.id}?lang=en"
    assert "Genuine and valid badge" in page(client, path)
    issuer = session.get(Issuer, badges.issuer.id)
    assert issuer is not None
    old = issued_state(session, badges.valid.id).issued.ed25519_key_id
    signing.rotate(session, vault_from_settings(settings), issuer, KeyAlgorithm.ED25519)
    signing.retire(session, badges.tenant.principal, old)
    session.commit()
    body = page(client, path)
    assert "Badge not verified: do not trust it" in body
    found = {check[0]: check[1] for check in checks(body)}
    assert found["key"] == "failed"
    assert found["proof"] == "skipped"
    shown = formats(body)
    assert shown["format_ob3"] == "failed"
    assert shown["format_ob2"] == shown["format_ob2_signed"] == "passed"  # RSA key kept
    # the status list was signed by the retired key too: the VC-JWT's status is unverified
    assert shown["format_ob3_jwt"] == "failed"
    assert "The revocation list is not authentic." in body
    assert "/baked.png" not in body  # no downloads of a badge that does not verify


def test_the_clock_alone_expires_a_badge(
    session: Session, badges: Badges, verifications: list[IssuedState]
) -> None:
    """No write at all: the same cache answers differently on each side of the expiry."""
    before = datetime(2098, 12, 31, 23, 59, 59, tzinfo=UTC)
    after = datetime(2099, 1, 1, 0, 0, 1, tzinfo=UTC)
    assert service.award_view(session, badges.valid.id, before).verdict.outcome is Outcome.VALID
    expired = service.award_view(session, badges.valid.id, after).verdict
    assert expired.outcome is Outcome.EXPIRED
    check = expired.report.check("validity")
    assert check is not None
    assert check.status == "failed"
    assert service.award_view(session, badges.valid.id, before).verdict.valid  # still cached
    assert len(verifications) == 2
    english = award_html.award_page(session, badges.valid.id, "en", "/badges/x", after)
    assert "Expired badge: it is no longer valid" in english
    assert "This badge expired on 1 January 2099." in english
    assert "Expired on" in english


def test_the_page_is_rendered_once_per_state(session: Session, badges: Badges) -> None:
    award_html.PAGES.clear()
    now = utcnow()
    first = award_html.award_page(session, badges.valid.id, "fr", "/badges/x", now)
    assert award_html.award_page(session, badges.valid.id, "fr", "/badges/x", now) is first
    english = award_html.award_page(session, badges.valid.id, "en", "/badges/x", now)
    assert english is not first
    assert "Genuine and valid badge" in english
