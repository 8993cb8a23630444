# ruff: noqa: RUF001 - French typography in the expected texts
"""The matrix of the award's own version on the public pages, in French, English and
easy-to-read French, with the levels and the level reached in words."""

from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from badgeforge.awards.models import Award
from badgeforge.badge_classes.models import BadgeClass
from badgeforge.settings import Settings
from tests.factories import create_award, create_badge_class, create_issuer, create_tenant
from tests.pages.test_pages import page

MATRIX: dict[str, Any] = {
    "name": "Sécurité et hygiène au travail",
    "description": "Avec ce badge, je montre que je connais les règles de l'atelier.",
    "audience": "Toute personne sensibilisée à la santé au travail.",
    "criteria": {"narrative": "- Porte les EPI\n- Range son poste"},
    "evidence_expectations": "Photos ou vidéos de l'atelier.",
    "endorsement_expectations": "Un éducateur ou un tuteur en entreprise.",
    "alignments": [
        {
            "target_name": "Prendre en compte les règles",
            "target_url": "https://competences.example.org/rectec/c2",
            "target_framework": "RECTEC",
            "target_code": "C2",
        }
    ],
    "levels": [
        {"name": "Cercle 1 : identifie"},
        {"name": "Cercle 2 : applique", "description": "Applique les règles seul."},
        {"name": "Cercle 3 : adapte"},
    ],
    "translations": {
        "en": {
            "name": "Health and safety at work",
            "description": "With this badge I show that I know the workshop's rules.",
            "audience": "Anyone introduced to health and safety at work.",
            "criteria": {"narrative": "- Wears protective equipment"},
            "evidence_expectations": "Photos or videos of the workshop.",
        },
        "fr-x-falc": {
            "name": "Sécurité au travail",
            "description": "Je connais les règles. Je travaille sans danger.",
            "criteria": {"narrative": "- Je mets mes protections."},
        },
    },
}


@dataclass(frozen=True)
class Matrix:
    badge_class: BadgeClass
    award: Award


@pytest.fixture
def matrix(session: Session, settings: Settings) -> Matrix:
    tenant = create_tenant(session)
    issuer = create_issuer(session, tenant)
    badge_class = create_badge_class(session, tenant, settings, issuer.id, **MATRIX)
    award = create_award(session, tenant, settings, badge_class.id, level=2)
    session.flush()
    return Matrix(badge_class, award)


def paths(matrix: Matrix) -> list[str]:
    return [f"/badge-classes/{matrix.badge_class.id}", f"/badges/{matrix.award.id}"]


def test_french_pages_show_the_whole_matrix(client: TestClient, matrix: Matrix) -> None:
    for path in paths(matrix):
        body = page(client, f"{path}?lang=fr")
        for text in (
            "<h1>Sécurité et hygiène au travail</h1>",
            "Pour qui ?",
            "Toute personne sensibilisée à la santé au travail.",
            "Critères d’obtention",
            "<li>Porte les EPI</li><li>Range son poste</li>",
            "Preuves possibles",
            "Photos ou vidéos de l&#39;atelier.",
            "Qui peut recommander ?",
            "Un éducateur ou un tuteur en entreprise.",
            "Prendre en compte les règles",
            "Référentiel\u00a0: RECTEC · Code\u00a0: C2",
            "Niveaux de maîtrise",
            "Cercle 3 : adapte",
            f'href="{path}?lang=fr&amp;version=falc" hreflang="fr">Version facile à lire</a>',
        ):
            assert text in body, (path, text)
        assert "easy-read" not in body.split("<body", 1)[1].split(">", 1)[0]


def test_award_page_says_the_level_reached_in_words(client: TestClient, matrix: Matrix) -> None:
    body = page(client, f"/badges/{matrix.award.id}?lang=fr")
    assert "Niveau atteint\u00a0:</strong> Cercle 2 : applique (niveau 2 sur 3)" in body
    assert 'class="reached" aria-current="step"' in body
    assert "(niveau atteint)" in body
    english = page(client, f"/badges/{matrix.award.id}?lang=en")
    assert 'Level reached:</strong> <span lang="fr">Cercle 2 : applique</span>' in english
    assert "(level 2 of 3)" in english
    badge_class = page(client, f"/badge-classes/{matrix.badge_class.id}?lang=fr")
    assert "Niveau atteint" not in badge_class


def test_english_pages_show_the_english_translation(client: TestClient, matrix: Matrix) -> None:
    for path in paths(matrix):
        body = page(client, f"{path}?lang=en")
        assert '<html lang="en">' in body
        for text in (
            "<h1>Health and safety at work</h1>",
            "Who is it for?",
            "Anyone introduced to health and safety at work.",
            "<li>Wears protective equipment</li>",
            "Possible evidence",
            "Levels of mastery",
            '<span lang="fr">Cercle 1 : identifie</span>',
            ">Easy-to-read version (in French)</a>",
        ):
            assert text in body, (path, text)
        assert "Porte les EPI" not in body


def test_easy_to_read_version(client: TestClient, matrix: Matrix) -> None:
    for path in paths(matrix):
        body = page(client, f"{path}?lang=en&version=falc")
        assert '<html lang="fr">' in body
        assert '<body class="easy-read">' in body
        assert "<h1>Sécurité au travail</h1>" in body
        assert "Je connais les règles. Je travaille sans danger." in body
        assert "<li>Je mets mes protections.</li>" in body
        assert f'href="{path}?lang=fr" hreflang="fr">Version complète</a>' in body
        assert "Porte les EPI" not in body


def test_english_page_without_translation_marks_the_french_text(
    session: Session, settings: Settings, client: TestClient
) -> None:
    tenant = create_tenant(session)
    issuer = create_issuer(session, tenant)
    fields = {key: value for key, value in MATRIX.items() if key != "translations"}
    badge_class = create_badge_class(session, tenant, settings, issuer.id, **fields)
    body = page(client, f"/badge-classes/{badge_class.id}?lang=en")
    assert '<h1 lang="fr">Sécurité et hygiène au travail</h1>' in body
    assert '<div lang="fr"><p>Toute personne sensibilisée' in body
    assert "version=falc" not in body
