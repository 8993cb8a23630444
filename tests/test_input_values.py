"""Dates, numbers and stored JSON: no value gives a 500, on SQLite or PostgreSQL."""

import logging
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from badgeforge.badge_classes.models import BadgeClassVersion
from badgeforge.core.ob2 import format_datetime
from badgeforge.settings import Settings
from tests.factories import Tenant, create_award, create_badge_class, create_issuer, create_tenant


@pytest.fixture
def tenant(session: Session) -> Tenant:
    return create_tenant(session)


@pytest.fixture
def badge_class_id(session: Session, settings: Settings, tenant: Tenant) -> str:
    issuer = create_issuer(session, tenant)
    return str(create_badge_class(session, tenant, settings, issuer.id).id)


def award(client: TestClient, tenant: Tenant, badge_class_id: str, **fields: Any) -> Any:
    body = {"badge_class_id": badge_class_id, "recipient_email": "a@example.org", **fields}
    return client.post("/api/v1/awards", json=body, headers=tenant.headers)


def refused_field(response: Any) -> list[str]:
    assert response.status_code == 422, response.text
    return [error["field"] for error in response.json()["errors"]]


class TestDates:
    @pytest.mark.parametrize(
        ("field", "value"),
        [
            ("issued_on", "0001-01-01T00:00:00+14:00"),  # was an OverflowError (500)
            ("expires", "9999-12-31T23:59:59-14:00"),  # was an OverflowError (500)
            ("issued_on", "0999-06-01T00:00:00Z"),  # was published as "999-06-01T…"
            ("issued_on", "1899-12-31T23:59:59Z"),
            ("issued_on", "1900-01-01T00:30:00+01:00"),  # 1899 in UTC
            ("expires", "2200-01-01T00:00:00Z"),
            ("issued_on", "2026-01-15T09:00:00"),  # naive: which day is it?
            ("issued_on", 0),
            ("expires", 4102444800),
            ("expires", True),
        ],
    )
    def test_out_of_range_naive_or_numeric_dates_are_422(
        self, client: TestClient, tenant: Tenant, badge_class_id: str, field: str, value: Any
    ) -> None:
        response = award(client, tenant, badge_class_id, **{field: value})
        assert refused_field(response) == [f"body.{field}"]

    def test_range_ends_are_accepted_with_four_digit_years(
        self, client: TestClient, tenant: Tenant, badge_class_id: str
    ) -> None:
        response = award(
            client,
            tenant,
            badge_class_id,
            issued_on="1900-01-01T00:00:00Z",
            expires="2199-12-31T23:59:59Z",
        )
        assert response.status_code == 201, response.text
        assertion = client.get(response.json()["assertion_url"]).json()
        assert assertion["issuedOn"] == "1900-01-01T00:00:00Z"
        assert assertion["expires"] == "2199-12-31T23:59:59Z"

    @pytest.mark.parametrize(
        ("value", "text"),
        [
            (datetime(999, 6, 1, 12, 0, 5, tzinfo=UTC), "0999-06-01T12:00:05Z"),
            (datetime(5, 1, 2, tzinfo=UTC), "0005-01-02T00:00:00Z"),
            (datetime(2026, 11, 26, 10, 0, 0, 999_999, tzinfo=UTC), "2026-11-26T10:00:00Z"),
        ],
    )
    def test_published_years_always_have_four_digits(self, value: datetime, text: str) -> None:
        assert format_datetime(value) == text


class TestStrictNumbers:
    @pytest.mark.parametrize("value", ["10", True, False, 10.5, "ten", [10], {"days": 10}])
    def test_expiry_days_must_be_a_json_integer(
        self,
        client: TestClient,
        session: Session,
        tenant: Tenant,
        badge_class_id: str,
        value: Any,
    ) -> None:
        url = f"/api/v1/badge-classes/{badge_class_id}"
        patch = client.patch(url, json={"expires_after_days": value}, headers=tenant.headers)
        assert refused_field(patch) == ["body.expires_after_days"]
        issuer_id = client.get(url, headers=tenant.headers).json()["issuer_id"]
        body = {
            "issuer_id": issuer_id,
            "name": "Accueil",
            "description": "Accueille le public.",
            "criteria": {"narrative": "Observé."},
            "publish": True,
            "expires_after_days": value,
        }
        created = client.post("/api/v1/badge-classes", json=body, headers=tenant.headers)
        assert refused_field(created) == ["body.expires_after_days"]

    def test_an_integer_is_accepted(
        self, client: TestClient, tenant: Tenant, badge_class_id: str
    ) -> None:
        url = f"/api/v1/badge-classes/{badge_class_id}"
        response = client.patch(url, json={"expires_after_days": 10}, headers=tenant.headers)
        assert response.status_code == 200, response.text
        assert response.json()["expires_after_days"] == 10


class TestStoredJson:
    """A JSON column whose shape drifted is a logged server error naming the row."""

    def assert_names_the_row(
        self, response: Any, row_id: Any, column: str, caplog: pytest.LogCaptureFixture
    ) -> None:
        assert response.status_code == 500, response.text
        assert response.headers["content-type"] == "application/problem+json"
        assert str(row_id) in response.json()["detail"]
        assert column in response.json()["detail"]
        errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
        assert any(str(row_id) in message and column in message for message in errors), errors

    def test_drifted_evidence(
        self,
        client: TestClient,
        session: Session,
        settings: Settings,
        tenant: Tenant,
        badge_class_id: str,
        caplog: pytest.LogCaptureFixture,
    ) -> None:
        row = create_award(session, tenant, settings, UUID(badge_class_id))
        row.evidence = [{"uri": "https://portfolio.example.org/a"}]
        session.commit()
        response = client.get(f"/api/v1/awards/{row.id}", headers=tenant.headers)
        self.assert_names_the_row(response, row.id, "evidence", caplog)
        # The published assertion was frozen at award time: the drifted row cannot touch it.
        hosted = client.get(f"/ob2/assertions/{row.id}")
        assert hosted.status_code == 200
        assert "portfolio.example.org" not in hosted.text

    @pytest.mark.parametrize(
        ("column", "value"),
        [
            ("alignments", [{"name": "Communiquer"}]),
            ("alignments", {"target_name": "x", "target_url": "https://x.example"}),
            ("tags", [1, 2]),
            ("image_template", {"template": 3}),
        ],
    )
    def test_drifted_badge_class_columns(
        self,
        client: TestClient,
        session: Session,
        settings: Settings,
        tenant: Tenant,
        column: str,
        value: Any,
        caplog: pytest.LogCaptureFixture,
    ) -> None:
        issuer = create_issuer(session, tenant)
        row = create_badge_class(session, tenant, settings, issuer.id)
        version = session.scalars(
            select(BadgeClassVersion).where(BadgeClassVersion.badge_class_id == row.id)
        ).one()
        if column == "image_template":
            version.image_template = value
            stored = "image_template"
        else:
            version.content = {**version.content, column: value}
            stored = "content"
        session.commit()
        url = f"/api/v1/badge-classes/{row.id}"
        response = client.get(url, headers=tenant.headers)
        self.assert_names_the_row(response, version.id, stored, caplog)
        if column != "image_template":
            public = client.get(f"/ob2/badge-classes/{row.id}")
            self.assert_names_the_row(public, version.id, stored, caplog)
