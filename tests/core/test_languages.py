"""A badge class in French, English and easy-to-read French, in OB 2.0 and OB 3.0."""

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519

from badgeforge.core import ob2, ob3
from badgeforge.core.data_integrity import add_proof, verify_proof
from badgeforge.core.errors import InvalidDocument
from badgeforge.core.keys import KeyAlgorithm, generate_private_key, public_multikey
from badgeforge.core.languages import EASY_READ, language_url, languages, translated
from badgeforge.core.ob3_schema import schema_errors
from badgeforge.core.records import Level, Translation
from tests.core.test_ob3 import AWARD, BADGE_CLASS, ISSUER, LINKS, status

BASE = "https://badges.example.fr"
VERSIONED = f"{BASE}/ob2/badge-classes/{BADGE_CLASS.id}/versions/abc"

MULTILINGUAL = replace(
    BADGE_CLASS,
    language="fr",
    audience="Toute personne sensibilisée à la santé au travail.",
    evidence_expectations="Photos, vidéos.",
    endorsement_expectations="Éducateur, tuteur.",
    levels=(Level("Cercle 1 : identifie"), Level("Cercle 2 : applique")),
    version=2,
    translations=(
        Translation(
            language="en",
            name="Health and safety at work",
            description="I know the safety rules of my workshop.",
            audience="Anyone introduced to health and safety at work.",
            criteria_narrative="Identify the risks: machines, chemicals, fire.",
            evidence_expectations="Photos, videos.",
        ),
        Translation(
            language=EASY_READ,
            name="Sécurité au travail",
            description="Je connais les règles. Je travaille sans danger.",
        ),
    ),
)


class VersionLinks:
    """OB 2.0 links of an award's frozen version (the BadgeClass at a versioned URL)."""

    def issuer(self, issuer_id: UUID) -> str:
        return f"{BASE}/ob2/issuers/{issuer_id}"

    def issuer_image(self, issuer_id: UUID) -> str:
        return f"{BASE}/ob2/issuers/{issuer_id}/image"

    def badge_class(self, badge_class_id: UUID) -> str:
        return VERSIONED

    def badge_class_image(self, badge_class_id: UUID, media_type: str) -> str:
        return f"{BASE}/ob2/images/0.png"

    def assertion(self, award_id: UUID) -> str:
        return f"{BASE}/ob2/assertions/{award_id}"

    def baked_image(self, award_id: UUID, media_type: str) -> str:
        return f"{BASE}/ob2/assertions/{award_id}/baked.png"


class TestOb2:
    def test_main_document_lists_each_language_in_related(self) -> None:
        document = ob2.badge_class(MULTILINGUAL, VersionLinks(), languages=True)
        assert document["@language"] == "fr"
        assert document["related"] == [
            {"id": f"{VERSIONED}/en", "@language": "en"},
            {"id": f"{VERSIONED}/fr-x-falc", "@language": "fr-x-falc"},
        ]

    def test_without_languages_there_is_no_related(self) -> None:
        assert "related" not in ob2.badge_class(MULTILINGUAL, VersionLinks())
        assert "related" not in ob2.badge_class(BADGE_CLASS, VersionLinks(), languages=True)

    def test_each_translation_is_a_badge_class_in_its_language(self) -> None:
        documents = ob2.badge_class_translations(MULTILINGUAL, VersionLinks())
        english = documents["en"]
        assert english["id"] == language_url(VERSIONED, "en")
        assert english["@language"] == "en"
        assert english["name"] == "Health and safety at work"
        assert english["version"] == "2"
        assert english["image"] == f"{BASE}/ob2/images/0.png"
        assert english["alignment"] == ob2.badge_class(MULTILINGUAL, VersionLinks())["alignment"]
        narrative = english["criteria"]["narrative"]
        assert narrative.startswith("Identify the risks")
        assert "### Who is it for?\n\nAnyone introduced" in narrative
        assert "### Possible evidence\n\nPhotos, videos." in narrative
        assert "Pour qui" not in narrative
        assert english["related"] == [
            {"id": VERSIONED, "@language": "fr"},
            {"id": f"{VERSIONED}/fr-x-falc", "@language": "fr-x-falc"},
        ]

    def test_easy_read_keeps_the_main_criteria_when_it_has_none(self) -> None:
        easy = ob2.badge_class_translations(MULTILINGUAL, VersionLinks())[EASY_READ]
        assert easy["@language"] == EASY_READ
        assert easy["name"] == "Sécurité au travail"
        assert easy["criteria"]["narrative"].startswith(BADGE_CLASS.criteria_narrative or "")
        assert "### Pour qui ?" not in easy["criteria"]["narrative"]  # no FALC audience given


class TestOb3:
    def credential(self) -> dict[str, Any]:
        options = ob3.CredentialOptions(credential_status=status(), languages=True)
        award = replace(AWARD, level=2)
        return ob3.open_badge_credential(award, MULTILINGUAL, ISSUER, LINKS, options)

    def test_related_and_in_language_are_schema_valid(self) -> None:
        document = self.credential()
        assert schema_errors(document) == []
        achievement = document["credentialSubject"]["achievement"]
        assert achievement["inLanguage"] == "fr"
        assert achievement["related"] == [
            {
                "id": f"{achievement['id']}/en",
                "type": ["Related"],
                "inLanguage": "en",
                "version": "2",
            },
            {
                "id": f"{achievement['id']}/fr-x-falc",
                "type": ["Related"],
                "inLanguage": "fr",
                "version": "2",
            },
        ]

    def test_a_private_use_tag_would_break_the_schema(self) -> None:
        document = self.credential()
        document["credentialSubject"]["achievement"]["related"][1]["inLanguage"] = EASY_READ
        assert any(
            "inLanguage" in error or "fr-x-falc" in error for error in schema_errors(document)
        )

    def test_signs_and_verifies_in_safe_mode(self) -> None:
        key = generate_private_key(KeyAlgorithm.ED25519)
        assert isinstance(key, ed25519.Ed25519PrivateKey)
        method = f"{LINKS.issuer_profile(ISSUER.id)}#{public_multikey(key.public_key())}"
        created = datetime(2026, 6, 1, tzinfo=UTC)
        signed = add_proof(self.credential(), key, verification_method=method, created=created)
        verify_proof(signed, signed["proof"], key.public_key())

    def test_easy_read_main_language_is_french(self) -> None:
        assert ob3.in_language(EASY_READ) == "fr"
        assert ob3.in_language("en-GB") == "en-GB"
        assert ob3.in_language(None) is None


def test_translated_record_and_languages() -> None:
    assert languages(MULTILINGUAL) == ("fr", "en", EASY_READ)
    english = translated(MULTILINGUAL, "en")
    assert english.language == "en"
    assert english.translations == ()
    assert english.levels == MULTILINGUAL.levels
    with pytest.raises(InvalidDocument):
        translated(MULTILINGUAL, "de")
