"""A versioned, aligned, levelled badge class in French, English and easy-to-read French,
checked by third parties: the 1EdTech OB 2.0 validator, the OB 3.0 JSON Schema and Open
Badge Passport's import; an award keeps its own version's documents in every language."""

from typing import Any
from uuid import uuid4

import httpx
import pytest

from badgeforge.core.languages import language_url
from badgeforge.core.ob3_schema import schema_errors
from badgeforge.public.links import PublicLinks
from tests.live_server import LiveServer, api
from tests.oracles.obp_import import import_badge
from tests.oracles.obp_languages import stored_languages
from tests.public.conftest import RECIPIENT, award

ENGLISH = {
    "name": "Health and safety at work",
    "description": "With this badge I show that I know the safety rules of the workshop.",
    "audience": "Anyone introduced to health and safety at work.",
    "criteria": {"narrative": "- Wears protective equipment\n- Keeps the workstation tidy"},
    "evidence_expectations": "Photos, videos of the workshop.",
    "endorsement_expectations": "An educator or a company tutor.",
}
EASY = {
    "name": "Sécurité au travail",
    "description": "Je connais les règles. Je travaille sans danger.",
    "audience": "Pour les personnes qui travaillent en atelier.",
    "criteria": {"narrative": "- Je mets mes protections.\n- Je range mon poste."},
}
LEVELS = [
    {"name": "Cercle 1 : identifie", "description": "Repère les règles."},
    {"name": "Cercle 2 : applique"},
    {"name": "Cercle 3 : adapte"},
]


def get_json(url: str) -> dict[str, Any]:
    response = httpx.get(url, headers={"Accept": "application/json"}, timeout=30)
    assert response.status_code == 200, response.text
    document: dict[str, Any] = response.json()
    return document


@pytest.fixture(scope="module")
def multilingual(server: LiveServer) -> str:
    with api(server) as client:
        issuer = client.post(
            "/api/v1/issuers",
            json={
                "name": "ESAT Les Ateliers du Val",
                "url": "https://ateliers-du-val.example.fr",
                "email": "badges@ateliers-du-val.example.fr",
            },
        ).json()
        created = client.post(
            "/api/v1/badge-classes",
            json={
                "issuer_id": issuer["id"],
                "name": "Sécurité et hygiène au travail",
                "description": "Avec ce badge, je montre que je connais les règles de l'atelier.",
                "audience": "Toute personne sensibilisée à la santé et à la sécurité au travail.",
                "criteria": {"narrative": "- Porte les EPI\n- Range son poste"},
                "evidence_expectations": "Photos, vidéos de l'atelier.",
                "endorsement_expectations": "Un éducateur ou un tuteur en entreprise.",
                "alignments": [
                    {
                        "target_name": "Prendre en compte les règles",
                        "target_url": "https://competences.example.org/rectec/c2",
                        "target_framework": "RECTEC",
                        "target_code": "C2",
                    }
                ],
                "levels": LEVELS,
                "language": "fr",
                "translations": {"en": ENGLISH, "fr-x-falc": EASY},
                "publish": True,
            },
        )
        assert created.status_code == 201, created.text
        identifier: str = created.json()["id"]
        return identifier


@pytest.fixture(scope="module")
def first(server: LiveServer, multilingual: str) -> dict[str, Any]:
    return award(server, multilingual, level=2)


def badge_class_url(created: dict[str, Any]) -> str:
    return str(get_json(created["assertion_url"])["badge"])


class TestOb2:
    def test_main_document_and_each_language(self, first: dict[str, Any]) -> None:
        main = get_json(badge_class_url(first))
        assert main["@language"] == "fr"
        assert [item["@language"] for item in main["related"]] == ["en", "fr-x-falc"]
        english = get_json(main["related"][0]["id"])
        assert english["id"] == main["related"][0]["id"] == f"{main['id']}/en"
        assert english["@language"] == "en"
        assert english["name"] == ENGLISH["name"]
        assert "### Who is it for?" in english["criteria"]["narrative"]
        easy = get_json(main["related"][1]["id"])
        assert easy["@language"] == "fr-x-falc"
        assert easy["criteria"]["narrative"].startswith("- Je mets mes protections.")
        assert "### Pour qui ?" in easy["criteria"]["narrative"]
        for document in (english, easy):
            assert document["version"] == main["version"] == "1"
            assert document["alignment"] == main["alignment"]

    def test_an_unknown_language_is_404(self, first: dict[str, Any]) -> None:
        response = httpx.get(f"{badge_class_url(first)}/de")
        assert response.status_code == 404
        assert response.headers["content-type"].startswith("application/problem+json")

    def test_the_1edtech_validator_accepts_the_award_and_every_language(
        self, first: dict[str, Any]
    ) -> None:
        validator = pytest.importorskip("tests.oracles.ob2_validator")
        main = get_json(badge_class_url(first))
        inputs = [
            validator.OB2Input(first["assertion_url"], recipient_email=RECIPIENT),
            main["id"],
            *(item["id"] for item in main["related"]),
        ]
        for report in validator.validate_many(inputs):
            assert report.valid, report.describe()


class TestOb3:
    def test_credential_is_schema_valid_with_related_languages_and_level(
        self, first: dict[str, Any]
    ) -> None:
        credential = get_json(
            first["assertion_url"].replace("/ob2/assertions/", "/ob3/credentials/")
        )
        assert schema_errors(credential) == []
        achievement = credential["credentialSubject"]["achievement"]
        assert achievement["inLanguage"] == "fr"
        assert [(item["inLanguage"], item["version"]) for item in achievement["related"]] == [
            ("en", "1"),
            ("fr", "1"),
        ]
        assert achievement["related"][1]["id"].endswith("/fr-x-falc")
        for item in achievement["related"]:
            assert get_json(item["id"])["version"] == "1"
        (result,) = credential["credentialSubject"]["result"]
        assert result["achievedLevel"].endswith("-2")
        assert len(achievement["resultDescription"][0]["rubricCriterionLevel"]) == 3


def test_open_badge_passport_keeps_each_language(first: dict[str, Any]) -> None:
    imported = import_badge(first["assertion_url"], verified_emails=[RECIPIENT])
    default, stored = stored_languages(imported.badge_class)
    assert default == "fr"
    assert [row.language_code for row in stored] == ["fr", "en", "fr-x-falc"]
    assert [row.name for row in stored] == [
        "Sécurité et hygiène au travail",
        ENGLISH["name"],
        EASY["name"],
    ]
    assert all(row.issuer_name == "ESAT Les Ateliers du Val" for row in stored)


def test_an_award_keeps_its_version_in_every_language_after_a_new_one(
    server: LiveServer, multilingual: str, first: dict[str, Any]
) -> None:
    before_main = get_json(badge_class_url(first))
    before = {item["id"]: get_json(item["id"]) for item in before_main["related"]}
    with api(server) as client:
        changed = client.patch(
            f"/api/v1/badge-classes/{multilingual}",
            json={"translations": {"en": {**ENGLISH, "name": "Safety at work, v2"}}},
        )
        assert changed.status_code == 200, changed.text
        published = client.post(f"/api/v1/badge-classes/{multilingual}/publish")
        assert published.status_code == 200, published.text
    second = award(server, multilingual)
    assert badge_class_url(second) != badge_class_url(first)
    after_main = get_json(badge_class_url(second))
    assert after_main["version"] == "2"
    assert [item["@language"] for item in after_main["related"]] == ["en"]
    assert get_json(after_main["related"][0]["id"])["name"] == "Safety at work, v2"
    assert get_json(badge_class_url(first)) == before_main
    for url, document in before.items():
        assert get_json(url) == document


def test_the_route_serves_the_url_the_documents_name() -> None:
    links = PublicLinks("https://badges.example.fr")
    badge_class_id = uuid4()
    assert links.badge_class_translation(badge_class_id, "abc", "fr-x-falc") == language_url(
        links.badge_class_version(badge_class_id, "abc"), "fr-x-falc"
    )
