"""The outbox: an event exists exactly when its change was committed."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from badgeforge.awards import service as award_service
from badgeforge.awards.schemas import AwardCreate
from badgeforge.webhooks.expiry import scan_expired_awards
from badgeforge.webhooks.models import WebhookDelivery, WebhookEvent
from tests.conftest import TEST_BASE_URL
from tests.webhooks.conftest import Org


def events(org: Org, event_type: str) -> list[WebhookEvent]:
    with org.sessions() as session:
        return list(
            session.scalars(
                select(WebhookEvent).where(
                    WebhookEvent.organisation_id == org.tenant.organisation_id,
                    WebhookEvent.type == event_type,
                )
            )
        )


def deliveries(org: Org) -> int:
    with org.sessions() as session:
        statement = select(func.count()).where(
            WebhookDelivery.organisation_id == org.tenant.organisation_id
        )
        return session.scalar(statement) or 0


class TestOutbox:
    def test_a_committed_award_has_its_event_and_one_delivery_per_endpoint(self, org: Org) -> None:
        org.endpoint("http://127.0.0.1:9/a")
        org.endpoint("http://127.0.0.1:9/b", event_types=["award.revoked"])
        award = org.award()
        (event,) = events(org, "award.issued")
        assert event.subject_id == award.id
        assert event.payload["assertion_url"] == f"{TEST_BASE_URL}/ob2/assertions/{award.id}"
        assert deliveries(org) == 1  # the second endpoint did not subscribe to award.issued

    def test_a_rolled_back_award_sends_nothing(self, org: Org) -> None:
        org.endpoint("http://127.0.0.1:9/a")
        data = AwardCreate(badge_class_id=org.badge_class_id, recipient_email="x@example.org")
        with org.sessions() as session:
            session.begin()
            award_service.award(
                session, org.tenant.principal, data, vault=org.vault, base_url=TEST_BASE_URL
            )
            assert session.scalar(select(func.count()).select_from(WebhookEvent)), "written"
            session.rollback()  # the request failed after the award was flushed
        assert events(org, "award.issued") == []
        assert deliveries(org) == 0

    def test_revocation_emits_once_and_only_when_committed(self, org: Org) -> None:
        org.endpoint("http://127.0.0.1:9/a")
        award = org.award()
        with org.sessions() as session:
            session.begin()
            award_service.revoke(session, org.tenant.principal, award.id, "x", vault=org.vault)
            session.rollback()
        assert events(org, "award.revoked") == []
        with org.sessions() as session, session.begin():
            award_service.revoke(session, org.tenant.principal, award.id, "Erreur", vault=org.vault)
        (event,) = events(org, "award.revoked")
        assert event.payload["revocation_reason"] == "Erreur"
        assert deliveries(org) == 2


class TestExpiry:
    def test_each_expired_award_is_announced_once(self, org: Org) -> None:
        org.endpoint("http://127.0.0.1:9/a", event_types=["award.expired"])
        now = datetime.now(UTC)
        assert scan_expired_awards(org.sessions, org.settings, now) in (True, False)  # cursor
        data = AwardCreate(
            badge_class_id=org.badge_class_id,
            recipient_email="temp@example.org",
            issued_on=now - timedelta(days=2),
            expires=now + timedelta(hours=1),
        )
        with org.sessions() as session, session.begin():
            award, _ = award_service.award(
                session, org.tenant.principal, data, vault=org.vault, base_url=TEST_BASE_URL
            )
        assert events(org, "award.expired") == []
        later = now + timedelta(hours=2)
        assert scan_expired_awards(org.sessions, org.settings, later) is True
        assert scan_expired_awards(org.sessions, org.settings, later) is False  # not yet due
        again = later + timedelta(seconds=org.settings.expiry_scan_seconds + 1)
        scan_expired_awards(org.sessions, org.settings, again)
        (event,) = events(org, "award.expired")
        assert event.subject_id == award.id
        assert deliveries(org) == 1
