"""Open Badge Passport's import contract, checked by an independent re-implementation of it."""

import pytest

from tests.live_server import LiveServer, api
from tests.oracles.obp_import import ImportRejected, import_badge, recheck_revoked
from tests.public.conftest import RECIPIENT, award, download


def test_url_png_and_svg_import_for_the_learner(server: LiveServer, badge_class_id: str) -> None:
    created = award(server, badge_class_id)
    inputs: list[str | bytes] = [
        created["assertion_url"],
        download(created["baked_png_url"]),
        download(created["baked_svg_url"]),
    ]
    for data in inputs:
        imported = import_badge(data, verified_emails=["Camille.Martin@example.org"])
        assert imported.assertion["id"] == created["assertion_url"]
        assert imported.badge_class["name"] == "Sécurité et hygiène au travail"
        assert imported.issuer["name"] == "ESAT Les Ateliers du Val"
        assert imported.badge_class["criteria"]["narrative"].startswith("- Porte les EPI")
    assert recheck_revoked(created["assertion_url"]) is False


def test_someone_else_cannot_import_it(server: LiveServer, badge_class_id: str) -> None:
    created = award(server, badge_class_id)
    with pytest.raises(ImportRejected, match="Userdoesnotownthisbadge"):
        import_badge(created["assertion_url"], verified_emails=["intrus@example.org"])


def test_revocation_is_seen_by_the_hourly_recheck(server: LiveServer, badge_class_id: str) -> None:
    created = award(server, badge_class_id)
    import_badge(created["assertion_url"], verified_emails=[RECIPIENT])
    with api(server) as client:
        client.post(f"/api/v1/awards/{created['id']}/revoke", json={"reason": "Erreur"})
    assert recheck_revoked(created["assertion_url"]) is True
    with pytest.raises(ImportRejected):
        import_badge(created["assertion_url"], verified_emails=[RECIPIENT])
