"""Cursor pagination: stable under inserts, filters bound to their cursor, bad cursors 400."""

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from badgeforge.pagination import InvalidCursor, Position, decode_cursor, encode_cursor
from badgeforge.settings import Settings
from tests.factories import create_award, create_badge_class, create_issuer, create_tenant


def walk(client: TestClient, url: str, headers: dict[str, str], **params: object) -> list[dict]:
    """Every item of a list, page by page, following `next`."""
    items: list[dict] = []
    cursor = None
    for _ in range(100):
        query = {**params, **({"cursor": cursor} if cursor else {})}
        page = client.get(url, params=query, headers=headers)
        assert page.status_code == 200, page.text
        body = page.json()
        items += body["items"]
        cursor = body["next"]
        if cursor is None:
            return items
    raise AssertionError("the cursor never ended")


class TestStableUnderInserts:
    def test_issuers_oldest_first_no_item_twice_none_skipped(
        self, client: TestClient, session: Session
    ) -> None:
        tenant = create_tenant(session)
        first = [str(create_issuer(session, tenant, name=f"Issuer {i}").id) for i in range(5)]
        seen: list[str] = []
        page = client.get("/api/v1/issuers", params={"limit": 2}, headers=tenant.headers).json()
        seen += [item["id"] for item in page["items"]]
        # inserted between pages: must neither shift nor repeat what comes next
        later = [str(create_issuer(session, tenant, name=f"Later {i}").id) for i in range(3)]
        while page["next"]:
            page = client.get(
                "/api/v1/issuers",
                params={"limit": 2, "cursor": page["next"]},
                headers=tenant.headers,
            ).json()
            seen += [item["id"] for item in page["items"]]
        assert len(seen) == len(set(seen))  # no item twice
        assert set(first) <= set(seen) <= set(first + later)  # none of the first skipped
        assert page["total"] == 8

    def test_awards_newest_first_with_deletes_and_inserts(
        self, client: TestClient, session: Session, settings: Settings
    ) -> None:
        tenant = create_tenant(session)
        issuer = create_issuer(session, tenant)
        badge_class = create_badge_class(session, tenant, settings, issuer.id)
        awards = [
            str(
                create_award(
                    session, tenant, settings, badge_class.id, recipient_email=f"p{i}@e.fr"
                ).id
            )
            for i in range(5)
        ]
        page = client.get("/api/v1/awards", params={"limit": 2}, headers=tenant.headers).json()
        seen = [item["id"] for item in page["items"]]
        newer = create_award(session, tenant, settings, badge_class.id)
        while page["next"]:
            page = client.get(
                "/api/v1/awards",
                params={"limit": 2, "cursor": page["next"]},
                headers=tenant.headers,
            ).json()
            seen += [item["id"] for item in page["items"]]
        # no item twice, none of the first skipped; the newer one may show up only if it was
        # made in the same second as the cursor's item and sorts after it by id
        assert len(seen) == len(set(seen))
        assert set(awards) <= set(seen) <= {*awards, str(newer.id)}


class TestFilters:
    def test_issuer_name_contains_any_case(self, client: TestClient, session: Session) -> None:
        tenant = create_tenant(session)
        create_issuer(session, tenant, name="ESAT Les Ateliers du Val")
        create_issuer(session, tenant, name="IME Les Tilleuls")
        create_issuer(session, tenant, name="100%_Inclusion")
        found = walk(client, "/api/v1/issuers", tenant.headers, name="ateliers")
        assert [issuer["name"] for issuer in found] == ["ESAT Les Ateliers du Val"]
        # LIKE wildcards are matched literally
        assert [i["name"] for i in walk(client, "/api/v1/issuers", tenant.headers, name="%_")] == [
            "100%_Inclusion"
        ]

    def test_awards_by_issue_date_and_revocation(
        self, client: TestClient, session: Session, settings: Settings
    ) -> None:
        tenant = create_tenant(session)
        issuer = create_issuer(session, tenant)
        badge_class = create_badge_class(session, tenant, settings, issuer.id)
        now = datetime.now(UTC).replace(microsecond=0)
        old = create_award(
            session, tenant, settings, badge_class.id, issued_on=now - timedelta(days=30)
        )
        new = create_award(session, tenant, settings, badge_class.id, issued_on=now)
        cut = (now - timedelta(days=1)).isoformat()
        after = walk(client, "/api/v1/awards", tenant.headers, issued_after=cut)
        before = walk(client, "/api/v1/awards", tenant.headers, issued_before=cut)
        assert [a["id"] for a in after] == [str(new.id)]
        assert [a["id"] for a in before] == [str(old.id)]
        revoke = client.post(
            f"/api/v1/awards/{old.id}/revoke", json={"reason": "Erreur"}, headers=tenant.headers
        )
        assert revoke.status_code == 200
        revoked = walk(client, "/api/v1/awards", tenant.headers, revoked=True)
        assert [a["id"] for a in revoked] == [str(old.id)]
        naive = client.get(
            "/api/v1/awards", params={"issued_after": "2026-01-01T00:00:00"}, headers=tenant.headers
        )
        assert naive.status_code == 422

    def test_api_keys_and_signing_keys_are_pages(
        self, client: TestClient, session: Session, settings: Settings
    ) -> None:
        tenant = create_tenant(session)
        issuer = create_issuer(session, tenant)
        badge_class = create_badge_class(session, tenant, settings, issuer.id)
        create_award(session, tenant, settings, badge_class.id)  # makes the issuer's keys
        keys = walk(client, f"/api/v1/issuers/{issuer.id}/keys", tenant.headers, limit=1)
        assert {key["algorithm"] for key in keys} == {"Ed25519", "RSA"}
        rsa = walk(client, f"/api/v1/issuers/{issuer.id}/keys", tenant.headers, algorithm="RSA")
        assert [key["algorithm"] for key in rsa] == ["RSA"]
        assert len(walk(client, "/api/v1/api-keys", tenant.headers, revoked=False)) == 1
        assert walk(client, "/api/v1/api-keys", tenant.headers, revoked=True) == []


class TestBadCursors:
    @pytest.mark.parametrize(
        "cursor", ["x", "!!!", "bm90IGpzb24", "WyJhIl0", "W10", "eyJhIjoxfQ", "%00", "a" * 500]
    )
    def test_malformed_cursor_is_a_400_problem(
        self, client: TestClient, session: Session, cursor: str
    ) -> None:
        tenant = create_tenant(session)
        response = client.get("/api/v1/issuers", params={"cursor": cursor}, headers=tenant.headers)
        assert response.status_code == 400, response.text
        assert response.headers["content-type"] == "application/problem+json"

    def test_cursor_of_another_list_or_other_filters_is_refused(
        self, client: TestClient, session: Session
    ) -> None:
        tenant = create_tenant(session)
        for i in range(3):
            create_issuer(session, tenant, name=f"ESAT {i}")
        cursor = client.get("/api/v1/issuers", params={"limit": 1}, headers=tenant.headers).json()[
            "next"
        ]
        other_list = client.get("/api/v1/awards", params={"cursor": cursor}, headers=tenant.headers)
        assert other_list.status_code == 400
        other_filter = client.get(
            "/api/v1/issuers", params={"cursor": cursor, "name": "ESAT"}, headers=tenant.headers
        )
        assert other_filter.status_code == 400
        both = client.get(
            "/api/v1/issuers", params={"cursor": cursor, "offset": 1}, headers=tenant.headers
        )
        assert both.status_code == 400

    def test_limit_is_bounded(self, client: TestClient, session: Session) -> None:
        tenant = create_tenant(session)
        response = client.get("/api/v1/issuers", params={"limit": 201}, headers=tenant.headers)
        assert response.status_code == 422


def test_cursor_round_trip_and_binding() -> None:
    position = Position(datetime(2026, 12, 1, 4, 0, tzinfo=UTC), uuid4())
    cursor = encode_cursor("awards", {"revoked": True}, position)
    assert decode_cursor("awards", {"revoked": True}, cursor) == position
    with pytest.raises(InvalidCursor):
        decode_cursor("awards", {"revoked": False}, cursor)
    with pytest.raises(InvalidCursor):
        decode_cursor("issuers", {"revoked": True}, cursor)
    naive_time = datetime(2026, 12, 1, tzinfo=UTC).replace(tzinfo=None)
    naive = encode_cursor("awards", {}, Position(naive_time, uuid4()))
    with pytest.raises(InvalidCursor):
        decode_cursor("awards", {}, naive)
