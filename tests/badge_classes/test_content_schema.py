"""One design-matrix schema: the update body and the core record follow it field for field."""

from dataclasses import fields

from badgeforge.badge_classes.content import BadgeClassContent, Translation
from badgeforge.badge_classes.schemas import BadgeClassUpdate
from badgeforge.core.records import BadgeClassRecord
from badgeforge.core.records import Translation as TranslationRecord

POLICY = {"expires_after_days", "ob3_proof"}
"""Award policy: stored with the matrix, read by issuance, not rendered as text."""


def test_the_update_body_offers_every_matrix_field() -> None:
    assert set(BadgeClassUpdate.model_fields) == set(BadgeClassContent.model_fields) | {"image"}


def test_the_core_record_carries_every_rendered_matrix_field() -> None:
    record = {field.name for field in fields(BadgeClassRecord)}
    content = set(BadgeClassContent.model_fields) - POLICY - {"criteria"}
    assert content <= record
    assert {"criteria_narrative", "criteria_url"} <= record


def test_a_translation_record_carries_every_translated_field() -> None:
    record = {field.name for field in fields(TranslationRecord)}
    assert set(Translation.model_fields) - {"criteria"} <= record
