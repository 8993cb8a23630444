"""Open Badge Passport's import contract, checked by an independent re-implementation of it."""

import pytest

from tests.live_server import LiveServer, api
from tests.oracles.obp_import import ImportedEvidence, ImportRejected, import_badge
from tests.oracles.obp_recheck import Recheck, hourly_recheck
from tests.public.conftest import RECIPIENT, award, download

NARRATIVE = "Observé pendant trois mois d'atelier."
PHOTOS = {
    "url": "https://portfolio.example.org/camille/photos",
    "name": "Photos de l'atelier",
    "genre": "Photo",
    "narrative": "Découpe et assemblage d'un tabouret.",
}
ATTESTATION = {
    "narrative": "Attestation signée du moniteur d'atelier.",
    "description": "Scan du carnet de suivi.",
}


def imports(created: dict[str, str]) -> list[str | bytes]:
    """The three ways a learner brings the badge in: pasted URL, baked PNG, baked SVG."""
    return [
        created["assertion_url"],
        download(created["baked_png_url"]),
        download(created["baked_svg_url"]),
    ]


def test_url_png_and_svg_import_for_the_learner(server: LiveServer, badge_class_id: str) -> None:
    created = award(server, badge_class_id)
    for data in imports(created):
        imported = import_badge(data, verified_emails=["Camille.Martin@example.org"])
        assert imported.assertion["id"] == created["assertion_url"]
        assert imported.badge_class["name"] == "Sécurité et hygiène au travail"
        assert imported.issuer["name"] == "ESAT Les Ateliers du Val"
        assert imported.badge_class["criteria"]["narrative"].startswith("- Porte les EPI")
    assert hourly_recheck(created["assertion_url"]) is Recheck.STILL_VALID


def test_someone_else_cannot_import_it(server: LiveServer, badge_class_id: str) -> None:
    created = award(server, badge_class_id)
    with pytest.raises(ImportRejected, match="Userdoesnotownthisbadge"):
        import_badge(created["assertion_url"], verified_emails=["intrus@example.org"])


def test_revocation_is_recorded_by_the_hourly_recheck(
    server: LiveServer, badge_class_id: str
) -> None:
    created = award(server, badge_class_id)
    import_badge(created["assertion_url"], verified_emails=[RECIPIENT])
    with api(server) as client:
        response = client.post(f"/api/v1/awards/{created['id']}/revoke", json={"reason": "Erreur"})
        assert response.status_code == 200, response.text
    assert hourly_recheck(created["assertion_url"]) is Recheck.REVOKED
    with pytest.raises(ImportRejected):
        import_badge(created["assertion_url"], verified_emails=[RECIPIENT])


class TestEvidenceSurvivesImport:
    def test_narrative_and_every_evidence_item(
        self, server: LiveServer, badge_class_id: str
    ) -> None:
        created = award(server, badge_class_id, narrative=NARRATIVE, evidence=[PHOTOS, ATTESTATION])
        for data in imports(created):
            (kept,) = import_badge(data, verified_emails=[RECIPIENT]).evidence
            assert kept.narrative is not None
            assert kept.narrative.startswith(NARRATIVE)
            for text in [*PHOTOS.values(), *ATTESTATION.values()]:
                assert text in kept.narrative

    def test_one_item_keeps_its_fields_and_the_award_narrative(
        self, server: LiveServer, badge_class_id: str
    ) -> None:
        created = award(server, badge_class_id, narrative=NARRATIVE, evidence=[PHOTOS])
        for data in imports(created):
            assert import_badge(data, verified_emails=[RECIPIENT]).evidence == [
                ImportedEvidence(
                    url=PHOTOS["url"],
                    narrative=f"{NARRATIVE}\n\n{PHOTOS['narrative']}",
                    name=PHOTOS["name"],
                    genre=PHOTOS["genre"],
                )
            ]

    def test_evidence_without_a_narrative(self, server: LiveServer, badge_class_id: str) -> None:
        created = award(server, badge_class_id, evidence=[{"url": PHOTOS["url"]}])
        imported = import_badge(created["assertion_url"], verified_emails=[RECIPIENT])
        assert imported.evidence == [ImportedEvidence(url=PHOTOS["url"])]

    def test_narrative_only(self, server: LiveServer, badge_class_id: str) -> None:
        created = award(server, badge_class_id, narrative=NARRATIVE)
        imported = import_badge(created["assertion_url"], verified_emails=[RECIPIENT])
        assert imported.evidence == [ImportedEvidence(narrative=NARRATIVE)]
