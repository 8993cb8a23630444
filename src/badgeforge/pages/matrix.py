"""The design matrix of one badge class version as the public pages show it, in one language.

The text shown is the easy-to-read French version when asked for and present, else the
translation into the page's language when there is one, else the main language; the page
marks it with its own ``lang`` when that differs from the page's.
"""

from dataclasses import dataclass
from uuid import UUID

from sqlalchemy.orm import Session

from badgeforge.badge_classes.content import version_record
from badgeforge.badge_classes.models import BadgeClass, BadgeClassVersion
from badgeforge.core.languages import EASY_READ, primary_language, translated
from badgeforge.core.records import BadgeClassRecord
from badgeforge.pages.i18n import Language

EASY_READ_QUERY = "falc"
"""``?lang=fr&version=falc`` asks a page for its easy-to-read version."""


@dataclass(frozen=True)
class LevelView:
    number: int
    name: str
    description: str | None


@dataclass(frozen=True)
class AlignmentView:
    name: str
    url: str | None
    description: str | None
    framework: str | None
    code: str | None


@dataclass(frozen=True)
class MatrixView:
    """Who the badge is for, what it recognises, what to show, prove, and who vouches."""

    lang: str
    """The primary language of the text shown (``fr`` for easy-to-read French)."""
    main_lang: str
    """The main language: alignments and levels are written in it."""
    easy_read: bool
    has_easy_read: bool
    name: str
    description: str
    audience: str | None
    criteria: str | None
    criteria_url: str | None
    evidence_expectations: str | None
    endorsement_expectations: str | None
    alignments: list[AlignmentView]
    levels: list[LevelView]

    def level(self, number: int | None) -> LevelView | None:
        """The level numbered ``number`` (from 1), if the badge has it."""
        if number is None or not 1 <= number <= len(self.levels):
            return None
        return self.levels[number - 1]


def _shown(record: BadgeClassRecord, language: Language, easy: bool) -> BadgeClassRecord:
    tags = {item.language for item in record.translations}
    if easy and EASY_READ in tags:
        return translated(record, EASY_READ)
    if primary_language(record.language or "fr") != language and language in tags:
        return translated(record, language)
    return record


def matrix_view(record: BadgeClassRecord, language: Language, *, easy: bool) -> MatrixView:
    """The matrix of ``record`` for a page in ``language`` (easy-to-read if ``easy``)."""
    shown = _shown(record, language, easy)
    return MatrixView(
        lang=primary_language(shown.language or "fr"),
        main_lang=primary_language(record.language or "fr"),
        easy_read=shown.language == EASY_READ,
        has_easy_read=any(item.language == EASY_READ for item in record.translations),
        name=shown.name,
        description=shown.description,
        audience=shown.audience,
        criteria=shown.criteria_narrative,
        criteria_url=shown.criteria_url,
        evidence_expectations=shown.evidence_expectations,
        endorsement_expectations=shown.endorsement_expectations,
        alignments=[
            AlignmentView(
                item.target_name,
                item.target_url,
                item.target_description,
                item.target_framework,
                item.target_code,
            )
            for item in shown.alignments
        ],
        levels=[
            LevelView(number, level.name, level.description)
            for number, level in enumerate(shown.levels, start=1)
        ],
    )


def version_matrix(
    session: Session, version_id: UUID, language: Language, *, easy: bool
) -> MatrixView | None:
    """The matrix of the badge class version ``version_id`` (None if it is gone)."""
    version = session.get(BadgeClassVersion, version_id)
    badge_class = session.get(BadgeClass, version.badge_class_id) if version else None
    if version is None or badge_class is None:
        return None
    return matrix_view(version_record(badge_class, version), language, easy=easy)
