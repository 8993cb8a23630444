"""A badge class in each of its languages: the translated record and where each one lives.

A badge class has a main language and translations keyed by BCP 47 tag (``en``, and
``fr-x-falc`` for easy-to-read French, a private-use tag). Each language version of a
hosted document is served at the main document's URL followed by ``/{tag}``, so an award's
frozen BadgeClass and every language of it share one immutable prefix.
"""

import dataclasses

from badgeforge.core.errors import InvalidDocument
from badgeforge.core.records import BadgeClassRecord, Translation

EASY_READ = "fr-x-falc"
"""The tag of the easy-to-read French version (FALC: "facile à lire et à comprendre")."""


def language_url(document_url: str, tag: str) -> str:
    """Where the ``tag`` version of the document at ``document_url`` is served."""
    return f"{document_url}/{tag}"


def primary_language(tag: str) -> str:
    """The tag without its private-use part: ``fr-x-falc`` is French (``fr``)."""
    return tag.lower().split("-x-")[0]


def translation(badge_class: BadgeClassRecord, tag: str) -> Translation:
    """The translation of ``badge_class`` into ``tag`` (InvalidDocument if it has none)."""
    for item in badge_class.translations:
        if item.language == tag:
            return item
    raise InvalidDocument(f"the badge class has no '{tag}' translation")


def translated(badge_class: BadgeClassRecord, tag: str) -> BadgeClassRecord:
    """The badge class with its human text in ``tag``; the rest (images, alignments,
    levels, tags, version) unchanged. A translation without criteria keeps the main ones."""
    text = translation(badge_class, tag)
    has_criteria = bool(text.criteria_narrative or text.criteria_url)
    return dataclasses.replace(
        badge_class,
        language=tag,
        name=text.name,
        description=text.description,
        audience=text.audience,
        criteria_narrative=text.criteria_narrative
        if has_criteria
        else badge_class.criteria_narrative,
        criteria_url=text.criteria_url if has_criteria else badge_class.criteria_url,
        evidence_expectations=text.evidence_expectations,
        endorsement_expectations=text.endorsement_expectations,
        translations=(),
    )


def languages(badge_class: BadgeClassRecord) -> tuple[str, ...]:
    """Every language the badge class is published in, the main one first."""
    main = (badge_class.language,) if badge_class.language else ()
    return main + tuple(item.language for item in badge_class.translations)
