"""The award batch API: validation before awarding, progress, CSV, idempotency, cancel."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from badgeforge.awards.models import Award
from badgeforge.batches.models import AwardBatchRow
from badgeforge.batches.worker import _vault, process_chunk
from badgeforge.db import utcnow
from badgeforge.observability import AWARDS_ISSUED
from badgeforge.settings import Settings
from tests.factories import Tenant, create_badge_class, create_issuer, create_tenant

URL = "/api/v1/award-batches"


def _rows() -> list[dict[str, Any]]:
    future = (datetime.now(UTC) + timedelta(days=30)).isoformat()
    return [
        {"recipient_email": "camille@example.org", "narrative": "Remise officielle"},
        {"recipient_email": "pas-une-adresse"},
        {"recipient_email": "louis@example.org", "issued_on": "2026-11-20T10:00:00Z"},
        {"recipient_email": "lea@example.org", "issued_on": future},
        {"recipient_email": "nul@example.org", "narrative": "a\u0000b"},
        {"recipient_email": "Camille@Example.org"},
        {"recipient_email": "x@example.org", "badge_class_id": str(uuid4())},
        {
            "recipient_email": "ines@example.org",
            "evidence": [{"url": "https://portfolio.example.org/ines", "name": "Photos"}],
        },
    ]


class TestJsonBatch:
    def test_bad_rows_are_reported_and_good_rows_awarded(
        self,
        client: TestClient,
        tenant: Tenant,
        badge_class_id: UUID,
        drain: Callable[[], int],
    ) -> None:
        body = {"badge_class_id": str(badge_class_id), "rows": _rows()}
        response = client.post(URL, json=body, headers=tenant.headers)
        assert response.status_code == 202, response.text
        batch = response.json()
        assert response.headers["Location"] == batch["url"]
        assert (batch["status"], batch["total"], batch["pending"]) == ("processing", 8, 3)
        errors = {error["row"]: error["message"] for error in batch["errors"]}
        assert sorted(errors) == [2, 4, 5, 6, 7]
        assert "valid email" in errors[2]
        assert "future" in errors[4]
        assert "U+0000" in errors[5]
        assert errors[6] == "The same email as row 1: one award per recipient."
        assert "badge_class_id" in errors[7]
        assert batch["awards"] == []

        issued_before = AWARDS_ISSUED.labels("batch")._value.get()
        assert drain() >= 1
        assert AWARDS_ISSUED.labels("batch")._value.get() == issued_before + 3
        done = client.get(batch["url"], headers=tenant.headers).json()
        assert (done["status"], done["done"], done["failed"], done["pending"]) == (
            "completed",
            3,
            5,
            0,
        )
        assert [award["row"] for award in done["awards"]] == [1, 3, 8]
        assert done["completed_at"] is not None
        award = client.get(done["awards"][1]["url"], headers=tenant.headers).json()
        assert award["recipient_email"] == "louis@example.org"
        assert award["issued_on"] == "2026-11-20T10:00:00Z"
        assert award["assertion_url"] == done["awards"][1]["assertion_url"]
        public = client.get(done["awards"][2]["credential_url"])
        assert public.status_code == 200
        assert public.json()["credentialSubject"]["type"] == ["AchievementSubject"]

    def test_default_issue_date_is_the_batch_time(
        self, client: TestClient, tenant: Tenant, badge_class_id: UUID, drain: Callable[[], int]
    ) -> None:
        body = {
            "badge_class_id": str(badge_class_id),
            "rows": [{"recipient_email": "a@example.org"}],
        }
        batch = client.post(URL, json=body, headers=tenant.headers).json()
        drain()
        award_url = client.get(batch["url"], headers=tenant.headers).json()["awards"][0]["url"]
        award = client.get(award_url, headers=tenant.headers).json()
        assert award["issued_on"] == batch["created_at"]

    def test_envelope_errors(
        self, client: TestClient, tenant: Tenant, badge_class_id: UUID
    ) -> None:
        empty = client.post(
            URL, json={"badge_class_id": str(badge_class_id), "rows": []}, headers=tenant.headers
        )
        assert empty.status_code == 422
        rows = [{"recipient_email": f"a{i}@example.org"} for i in range(10_001)]
        too_many = client.post(
            URL, json={"badge_class_id": str(badge_class_id), "rows": rows}, headers=tenant.headers
        )
        assert too_many.status_code in (413, 422)
        missing = client.post(
            URL, json={"badge_class_id": str(uuid4()), "rows": rows[:1]}, headers=tenant.headers
        )
        assert missing.status_code == 404
        text = client.post(
            URL, content=b"email\n", headers={**tenant.headers, "Content-Type": "text/csv"}
        )
        assert text.status_code == 415


class TestCsvBatch:
    def test_french_csv_upload(
        self, client: TestClient, tenant: Tenant, badge_class_id: UUID, drain: Callable[[], int]
    ) -> None:
        csv = (
            "\ufeffNom;Courriel;Récit;Date\r\n"
            "Martin;camille@example.org;Atelier bois;26/11/2026\r\n"
            "Durand;pas une adresse;;\r\n"
            "Petit;lea@example.org;;31/02/2026\r\n"
            "Roux;;;\r\n"
        ).encode()
        response = client.post(
            URL,
            data={"badge_class_id": str(badge_class_id)},
            files={"file": ("remise.csv", csv, "text/csv")},
            headers=tenant.headers,
        )
        assert response.status_code == 202, response.text
        batch = response.json()
        assert (batch["source"], batch["filename"], batch["total"]) == ("csv", "remise.csv", 4)
        errors = {error["row"]: error["message"] for error in batch["errors"]}
        assert sorted(errors) == [3, 4, 5]
        assert errors[3].startswith("Courriel: ")
        assert errors[4].startswith("Date: ")
        assert errors[5] == "The email is missing."
        drain()
        done = client.get(batch["url"], headers=tenant.headers).json()
        assert [(a["row"], a["recipient_email"]) for a in done["awards"]] == [
            (2, "camille@example.org")
        ]

    def test_unreadable_file(
        self, client: TestClient, tenant: Tenant, badge_class_id: UUID
    ) -> None:
        response = client.post(
            URL,
            data={"badge_class_id": str(badge_class_id)},
            files={"file": ("x.csv", b"nom;prenom\nMartin;Camille\n", "text/csv")},
            headers=tenant.headers,
        )
        assert response.status_code == 422
        assert "no email column" in response.json()["detail"]


class TestIdempotencyAndScope:
    def test_retry_gets_the_same_batch(
        self, client: TestClient, session: Session, tenant: Tenant, badge_class_id: UUID
    ) -> None:
        body = {
            "badge_class_id": str(badge_class_id),
            "rows": [{"recipient_email": "a@example.org"}],
        }
        headers = {**tenant.headers, "Idempotency-Key": "remise-2026-11-26"}
        first = client.post(URL, json=body, headers=headers)
        second = client.post(URL, json=body, headers=headers)
        assert second.headers.get("Idempotent-Replayed") == "true"
        assert first.json()["id"] == second.json()["id"]
        assert session.scalar(select(func.count()).select_from(AwardBatchRow)) == 1

    def test_other_organisation_sees_nothing(
        self, client: TestClient, session: Session, tenant: Tenant, badge_class_id: UUID
    ) -> None:
        body = {
            "badge_class_id": str(badge_class_id),
            "rows": [{"recipient_email": "a@example.org"}],
        }
        batch = client.post(URL, json=body, headers=tenant.headers).json()
        other = create_tenant(session, "Autre ESAT")
        assert client.get(batch["url"], headers=other.headers).status_code == 404
        assert client.post(f"{batch['url']}/cancel", headers=other.headers).status_code == 404
        assert client.post(URL, json=body, headers=other.headers).status_code == 404
        listed = client.get(URL, headers=tenant.headers).json()
        assert [item["id"] for item in listed["items"]] == [batch["id"]]
        assert client.get(URL, headers=other.headers).json()["items"] == []


class TestCancel:
    def test_cancel_stops_pending_rows(
        self,
        client: TestClient,
        session: Session,
        settings: Settings,
        tenant: Tenant,
        badge_class_id: UUID,
        drain: Callable[[], int],
    ) -> None:
        rows = [{"recipient_email": f"r{i}@example.org"} for i in range(6)]
        body = {"badge_class_id": str(badge_class_id), "rows": rows}
        batch = client.post(URL, json=body, headers=tenant.headers).json()
        factory = sessionmaker(bind=session.connection(), join_transaction_mode="create_savepoint")
        assert process_chunk(factory, _vault(settings), settings.base_url, utcnow(), 2) == 2
        cancelled = client.post(f"{batch['url']}/cancel", headers=tenant.headers)
        assert cancelled.status_code == 200, cancelled.text
        state = cancelled.json()
        assert (state["status"], state["done"], state["cancelled"], state["pending"]) == (
            "cancelled",
            2,
            4,
            0,
        )
        assert drain() == 0
        assert session.scalar(select(func.count()).select_from(Award)) == 2
        again = client.post(f"{batch['url']}/cancel", headers=tenant.headers)
        assert again.status_code == 409

    def test_completed_batch_cannot_be_cancelled(
        self, client: TestClient, tenant: Tenant, badge_class_id: UUID, drain: Callable[[], int]
    ) -> None:
        body = {
            "badge_class_id": str(badge_class_id),
            "rows": [{"recipient_email": "a@example.org"}],
        }
        batch = client.post(URL, json=body, headers=tenant.headers).json()
        drain()
        assert client.post(f"{batch['url']}/cancel", headers=tenant.headers).status_code == 409


def test_a_csv_batch_records_the_level_each_person_reached(
    client: TestClient,
    session: Session,
    settings: Settings,
    tenant: Tenant,
    drain: Callable[[], int],
) -> None:
    issuer = create_issuer(session, tenant)
    levels = [{"name": f"Cercle {n}"} for n in range(1, 5)]
    badge_class = create_badge_class(session, tenant, settings, issuer.id, levels=levels)
    csv = (
        b"Courriel;Cercle\r\n"
        b"camille@example.org;2\r\n"
        b"lea@example.org;5\r\n"
        b"louis@example.org;deux\r\n"
        b"ines@example.org;\r\n"
    )
    response = client.post(
        URL,
        data={"badge_class_id": str(badge_class.id)},
        files={"file": ("remise.csv", csv, "text/csv")},
        headers=tenant.headers,
    )
    assert response.status_code == 202, response.text
    batch = response.json()
    errors = {error["row"]: error["message"] for error in batch["errors"]}
    assert errors[3] == "Level 5 does not exist: the badge class has 4."
    assert errors[4].startswith("Cercle: ")
    drain()
    session.expire_all()
    awards = session.scalars(select(Award).where(Award.badge_class_id == badge_class.id)).all()
    assert sorted((a.recipient_email, a.level) for a in awards) == [
        ("camille@example.org", 2),
        ("ines@example.org", None),
    ]
