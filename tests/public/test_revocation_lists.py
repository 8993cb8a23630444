"""An issuer's OB 2.0 and 1EdTech revocation lists: its revoked awards, across its badge
classes, in revocation order, nobody else's; read through the revoked-awards index."""

import sqlite3
from uuid import UUID

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.dialects import sqlite
from sqlalchemy.orm import Session

from badgeforge.awards import service as award_service
from badgeforge.issuance.models import IssuedAward
from badgeforge.migrate import upgrade
from badgeforge.public.service import _revoked_statement
from badgeforge.settings import Settings
from badgeforge.signing.vault import vault_from_settings
from tests.factories import Tenant, create_award, create_badge_class, create_issuer, create_tenant


def _revoke(session: Session, tenant: Tenant, settings: Settings, award_id: UUID) -> None:
    vault = vault_from_settings(settings)
    award_service.revoke(session, tenant.principal, award_id, f"raison {award_id}", vault=vault)


def test_lists_hold_the_issuers_revoked_awards_only(
    client: TestClient, session: Session, settings: Settings
) -> None:
    ours, theirs = create_tenant(session, "ESAT A"), create_tenant(session, "IME B")
    issuer = create_issuer(session, ours)
    other_issuer = create_issuer(session, ours, name="Autre atelier")
    foreign = create_issuer(session, theirs)
    classes = [create_badge_class(session, ours, settings, issuer.id) for _ in range(2)]
    other_class = create_badge_class(session, ours, settings, other_issuer.id)
    foreign_class = create_badge_class(session, theirs, settings, foreign.id)
    revoked = []
    for index, badge_class in enumerate([classes[1], classes[0], classes[1]]):
        award = create_award(
            session, ours, settings, badge_class.id, recipient_email=f"{index}@a.fr"
        )
        _revoke(session, ours, settings, award.id)
        revoked.append(award.id)
    create_award(session, ours, settings, classes[0].id)  # valid: not listed
    _revoke(session, ours, settings, create_award(session, ours, settings, other_class.id).id)
    _revoke(session, theirs, settings, create_award(session, theirs, settings, foreign_class.id).id)
    session.commit()
    signed_ids = {
        row.award_id: row.ob2_signed_id
        for row in session.query(IssuedAward).filter(IssuedAward.award_id.in_(revoked))
    }

    ob2 = client.get(f"/ob2/issuers/{issuer.id}/revocations").json()["revokedAssertions"]
    reasons = {item["id"]: item["revocationReason"] for item in ob2}
    assert len(ob2) == len(reasons) == 3  # revocation order; ties (same instant) by award id
    assert reasons == {signed_ids[award_id]: f"raison {award_id}" for award_id in revoked}
    ob3 = client.get(f"/ob3/issuers/{issuer.id}/revocations").json()["revokedCredential"]
    assert sorted(item["id"].rsplit("/", 1)[1] for item in ob3) == sorted(map(str, revoked))


@pytest.mark.parametrize("prefix", ["/ob2", "/ob3"])
def test_an_unknown_issuer_has_no_list(client: TestClient, prefix: str) -> None:
    unknown = "00000000-0000-4000-8000-000000000000"
    assert client.get(f"{prefix}/issuers/{unknown}/revocations").status_code == 404


def test_revoked_awards_are_read_through_the_partial_index(tmp_path: object) -> None:
    path = f"{tmp_path}/plan.db"
    upgrade(f"sqlite:///{path}")
    statement = _revoked_statement(("ob2_signed_id", "revocation_reason"))
    sql = str(statement.compile(dialect=sqlite.dialect()))
    with sqlite3.connect(path) as connection:
        plan = [row[3] for row in connection.execute(f"EXPLAIN QUERY PLAN {sql}", (None,))]
    assert any("ix_award_revoked_by_badge_class" in step for step in plan), plan
    assert not any(step.startswith("SCAN") for step in plan), plan  # no award scanned
