from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from uuid import UUID

import pytest
from pyld import jsonld

from badgeforge.core import ob2
from badgeforge.core.errors import InvalidDocument
from badgeforge.core.identity import hash_identity
from badgeforge.core.jsonld import offline_loader
from badgeforge.core.records import (
    Alignment,
    AwardRecord,
    BadgeClassRecord,
    Evidence,
    IssuerRecord,
    Recipient,
)

ISSUER_ID = UUID("11111111-1111-4111-8111-111111111111")
BADGE_CLASS_ID = UUID("22222222-2222-4222-8222-222222222222")
AWARD_ID = UUID("33333333-3333-4333-8333-333333333333")
BASE = "https://badges.example.fr"


@dataclass(frozen=True)
class Links:
    def issuer(self, issuer_id: UUID) -> str:
        return f"{BASE}/issuers/{issuer_id}"

    def issuer_image(self, issuer_id: UUID) -> str:
        return f"{BASE}/issuers/{issuer_id}/logo"

    def badge_class(self, badge_class_id: UUID) -> str:
        return f"{BASE}/badges/{badge_class_id}"

    def badge_class_image(self, badge_class_id: UUID, media_type: str) -> str:
        return f"{BASE}/badges/{badge_class_id}/image.{media_type.split('/')[1][:3]}"

    def assertion(self, award_id: UUID) -> str:
        return f"{BASE}/assertions/{award_id}"

    def baked_image(self, award_id: UUID, media_type: str) -> str:
        return f"{BASE}/assertions/{award_id}/baked.{media_type.split('/')[1][:3]}"


LINKS = Links()
ISSUER = IssuerRecord(
    id=ISSUER_ID,
    name="ESAT Les Ateliers",
    url="https://esat.example.fr",
    email="contact@esat.example.fr",
    language="fr",
)
BADGE_CLASS = BadgeClassRecord(
    id=BADGE_CLASS_ID,
    issuer_id=ISSUER_ID,
    name="Sécurité et hygiène au travail",
    description="Applique les règles de sécurité.",
    image_media_type="image/svg+xml",
    criteria_narrative="- Porte les EPI",
    alignments=(
        Alignment(
            target_name="Respecter les règles",
            target_url="https://rectec.example.org/c4",
            target_framework="RECTEC",
            target_code="C4",
        ),
    ),
    tags=("sécurité",),
    language="fr",
)
AWARD = AwardRecord(
    id=AWARD_ID,
    badge_class_id=BADGE_CLASS_ID,
    recipient=Recipient(identity_hash=hash_identity("a@example.com", "Kosher"), salt="Kosher"),
    issued_on=datetime(2026, 11, 26, 10, 30, 15, 123456, tzinfo=UTC),
    expires=datetime(2028, 11, 26, 10, 30, 15, tzinfo=UTC),
    narrative="Trois mois d'atelier.",
    evidence=(Evidence(url="https://portfolio.example.org/a", name="Photos", genre="Photo"),),
)


def roundtrip(document: dict[str, Any]) -> dict[str, Any]:
    """Expand with the bundled context and compact again: undefined terms would vanish."""
    options = {"documentLoader": offline_loader}
    expanded = jsonld.expand(document, options)
    compacted: dict[str, Any] = jsonld.compact(expanded, ob2.OB2_CONTEXT, options)
    return compacted


class TestAssertion:
    def test_hosted_assertion_shape(self) -> None:
        document = ob2.assertion(AWARD, BADGE_CLASS, LINKS)
        assert document["@context"] == "https://w3id.org/openbadges/v2"
        assert document["type"] == "Assertion"
        assert document["id"] == f"{BASE}/assertions/{AWARD_ID}"
        assert document["verification"] == {"type": "hosted"}
        assert document["badge"] == f"{BASE}/badges/{BADGE_CLASS_ID}"
        assert document["recipient"] == {
            "type": "email",
            "hashed": True,
            "salt": "Kosher",
            "identity": "sha256$b5809d8a92f8858436d7e6b87c12ebc0ae1eac4baecc2c0b913aee2c922ef399",
        }
        assert document["issuedOn"] == "2026-11-26T10:30:15Z"
        assert document["expires"] == "2028-11-26T10:30:15Z"
        assert document["evidence"] == {
            "type": "Evidence",
            "id": "https://portfolio.example.org/a",
            "narrative": "Trois mois d'atelier.",
            "name": "Photos",
            "genre": "Photo",
        }
        assert "narrative" not in document
        assert "revoked" not in document

    def test_every_term_is_defined_in_the_context(self) -> None:
        document = ob2.assertion(AWARD, BADGE_CLASS, LINKS)
        compacted = roundtrip(document)
        assert set(compacted) == set(document)

    def test_timestamps_are_converted_to_utc(self) -> None:
        paris = timezone(timedelta(hours=1))
        award = replace(AWARD, issued_on=datetime(2026, 11, 26, 11, 0, tzinfo=paris), expires=None)
        assert ob2.assertion(award, BADGE_CLASS, LINKS)["issuedOn"] == "2026-11-26T10:00:00Z"

    def test_naive_timestamp_is_refused(self) -> None:
        award = replace(AWARD, issued_on=datetime(2026, 11, 26), expires=None)  # noqa: DTZ001
        with pytest.raises(InvalidDocument, match="timezone"):
            ob2.assertion(award, BADGE_CLASS, LINKS)

    def test_expiry_before_issue_is_refused(self) -> None:
        award = replace(AWARD, expires=AWARD.issued_on - timedelta(days=1))
        with pytest.raises(InvalidDocument, match="expire"):
            ob2.assertion(award, BADGE_CLASS, LINKS)

    def test_award_of_another_badge_class_is_refused(self) -> None:
        other = replace(BADGE_CLASS, id=UUID(int=7))
        with pytest.raises(InvalidDocument):
            ob2.assertion(AWARD, other, LINKS)

    def test_evidence_without_url_or_narrative_is_refused(self) -> None:
        award = replace(AWARD, evidence=(Evidence(name="Rien"),))
        with pytest.raises(InvalidDocument, match="evidence"):
            ob2.assertion(award, BADGE_CLASS, LINKS)

    def test_every_term_with_several_evidence_items(self) -> None:
        award = replace(AWARD, evidence=(*AWARD.evidence, Evidence(narrative="Attestation.")))
        document = ob2.assertion(award, BADGE_CLASS, LINKS)
        assert set(roundtrip(document)) == set(document)

    def test_revoked_form(self) -> None:
        assert ob2.revoked_assertion(AWARD.id, "Erreur", LINKS) == {
            "@context": "https://w3id.org/openbadges/v2",
            "type": "Assertion",
            "id": f"{BASE}/assertions/{AWARD_ID}",
            "revoked": True,
            "revocationReason": "Erreur",
        }


class TestBadgeClass:
    def test_shape(self) -> None:
        document = ob2.badge_class(BADGE_CLASS, LINKS)
        assert document["type"] == "BadgeClass"
        assert document["issuer"] == f"{BASE}/issuers/{ISSUER_ID}"
        assert document["criteria"] == {"type": "Criteria", "narrative": "- Porte les EPI"}
        assert document["image"] == f"{BASE}/badges/{BADGE_CLASS_ID}/image.svg"
        assert document["alignment"] == [
            {
                "type": "AlignmentObject",
                "targetName": "Respecter les règles",
                "targetUrl": "https://rectec.example.org/c4",
                "targetFramework": "RECTEC",
                "targetCode": "C4",
            }
        ]
        assert document["tags"] == ["sécurité"]
        assert document["@language"] == "fr"

    def test_every_term_is_defined_in_the_context(self) -> None:
        document = ob2.badge_class(BADGE_CLASS, LINKS)
        assert set(roundtrip(document)) == set(document)

    def test_criteria_url_only(self) -> None:
        record = replace(BADGE_CLASS, criteria_narrative=None, criteria_url="https://e.fr/c")
        assert ob2.badge_class(record, LINKS)["criteria"] == {
            "type": "Criteria",
            "id": "https://e.fr/c",
        }

    def test_criteria_required(self) -> None:
        record = replace(BADGE_CLASS, criteria_narrative=None)
        with pytest.raises(InvalidDocument, match="criteria"):
            ob2.badge_class(record, LINKS)


class TestIssuer:
    def test_shape(self) -> None:
        document = ob2.issuer_profile(ISSUER, LINKS)
        assert document == {
            "@context": "https://w3id.org/openbadges/v2",
            "type": "Issuer",
            "id": f"{BASE}/issuers/{ISSUER_ID}",
            "name": "ESAT Les Ateliers",
            "url": "https://esat.example.fr",
            "email": "contact@esat.example.fr",
            "@language": "fr",
        }

    def test_image_link_only_when_there_is_a_logo(self) -> None:
        document = ob2.issuer_profile(replace(ISSUER, has_image=True), LINKS)
        assert document["image"] == f"{BASE}/issuers/{ISSUER_ID}/logo"


class TestEvidenceForOpenBadgePassport:
    """salava keeps a string narrative, or one string/object evidence; a list fails its import."""

    def test_narrative_alone_stays_on_the_assertion(self) -> None:
        award = replace(AWARD, evidence=())
        assert ob2.assertion_evidence(award) == ("Trois mois d'atelier.", None)
        assert ob2.assertion_evidence(replace(award, narrative=None)) == (None, None)

    def test_one_item_is_one_object_carrying_both_narratives(self) -> None:
        item = Evidence(url="https://p.fr/a", narrative="Tabouret.", description="Bois")
        assert ob2.assertion_evidence(replace(AWARD, evidence=(item,))) == (
            None,
            {
                "type": "Evidence",
                "id": "https://p.fr/a",
                "narrative": "Trois mois d'atelier.\n\nTabouret.",
                "description": "Bois",
            },
        )

    def test_one_item_without_award_narrative_is_kept_as_is(self) -> None:
        award = replace(AWARD, narrative=None, evidence=(Evidence(url="https://p.fr/a"),))
        assert ob2.assertion_evidence(award) == (
            None,
            {"type": "Evidence", "id": "https://p.fr/a"},
        )

    def test_several_items_are_listed_in_one_markdown_narrative(self) -> None:
        items = (
            Evidence(url="https://p.fr/a", name="Photos", genre="Photo", audience="Employeurs"),
            Evidence(narrative="Attestation.\n\nSignée.", description="Carnet"),
            Evidence(url="https://p.fr/v", narrative="Vidéo\nde 2 min"),
        )
        narrative, evidence = ob2.assertion_evidence(replace(AWARD, evidence=items))
        assert narrative is None
        assert evidence == {
            "type": "Evidence",
            "narrative": "Trois mois d'atelier.\n\n"
            "- **Photos** (Photo; Employeurs) <https://p.fr/a>\n"
            "- Carnet\n\n  Attestation.\n\n  Signée.\n"
            "- <https://p.fr/v>\n\n  Vidéo\n  de 2 min",
        }
