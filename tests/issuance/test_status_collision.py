"""Two awards drawing the same status list index at the same moment: the second signs again."""

import json
from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session

from badgeforge.core.data_integrity import verify_proof
from badgeforge.core.keys import load_public_key_pem
from badgeforge.issuance import status as statuses
from badgeforge.issuance.models import IssuedAward
from badgeforge.settings import Settings
from badgeforge.signing.models import SigningKey
from tests.factories import create_award, create_badge_class, create_issuer, create_tenant


def test_a_taken_index_is_drawn_again_and_the_credential_signed_again(
    session: Session, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    tenant = create_tenant(session)
    issuer = create_issuer(session, tenant)
    badge_class = create_badge_class(session, tenant, settings, issuer.id)
    first = session.get_one(IssuedAward, create_award(session, tenant, settings, badge_class.id).id)
    assert first.status_list_index is not None

    # As if a concurrent award had checked the same index free a moment before this one.
    draws: Iterator[int] = iter([first.status_list_index, first.status_list_index, 4242])
    monkeypatch.setattr(statuses.secrets, "randbelow", lambda _: next(draws))
    monkeypatch.setattr(statuses, "_taken", lambda *_: False)
    second_award = create_award(
        session, tenant, settings, badge_class.id, recipient_email="lea@example.org"
    )
    second = session.get_one(IssuedAward, second_award.id)
    assert second.status_list_id == first.status_list_id
    assert second.status_list_index == 4242
    credential = json.loads(second.ob3_credential)
    assert credential["credentialStatus"]["statusListIndex"] == "4242"
    key = session.get_one(SigningKey, second.ed25519_key_id)
    public = load_public_key_pem(key.public_key_pem)
    verify_proof(credential, credential["proof"][0], public)  # type: ignore[arg-type]
