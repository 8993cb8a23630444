"""The shape of a ready-made badge class template, for its file and for the API.

A template is a badge class's content (the co-design matrix, in the field names of badge
classes) plus a catalogue ``key``, ``title`` and ``summary``. Files are read strictly:
unknown fields are refused, every text is bounded, Markdown stays text (nothing is rendered).
"""

from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from badgeforge.badge_classes.content import Alignment, BadgeClassContent, Code
from badgeforge.core.contrast import NORMAL_TEXT_RATIO, contrast_ratio
from badgeforge.designs.schemas import Colour, Subtitle
from badgeforge.fields import (
    RequestModel,
    ShortText,
)

KEY_PATTERN = r"^[a-z0-9][a-z0-9-]{0,62}$"
Key = Annotated[str, StringConstraints(pattern=KEY_PATTERN, max_length=63)]
"""The OB 3.0 AchievementType vocabulary (its ``ext:`` extensions are not used here)."""
TITLE_COLOUR = "#ffffff"
"""The colour the badge title is drawn in on the primary colour."""
FALC = "fr-x-falc"
"""The language tag of the French easy-to-read (FALC) version."""


SUMMARY_EXAMPLE: dict[str, Any] = {
    "key": "rectec-c3",
    "title": {"fr": "RECTEC C3 — Travailler en équipe", "en": "RECTEC C3 — Work in a team"},
    "summary": {
        "fr": "La compétence transversale C3 du référentiel RECTEC (pôle organisationnel), "
        "avec ses 4 cercles de maîtrise.",
        "en": "The transversal competency C3 of the RECTEC framework (organisational pole), "
        "with its 4 mastery circles.",
    },
    "languages": ["fr", "en", FALC],
}
EXAMPLE: dict[str, Any] = {
    **{key: value for key, value in SUMMARY_EXAMPLE.items() if key != "languages"},
    "name": "Travailler en équipe",
    "description": "Avec ce badge, je rends visible ma capacité à travailler avec d'autres "
    "personnes.",
    "audience": "Toute personne qui veut faire reconnaître sa compétence « Travailler en équipe ».",
    "criteria": {
        "narrative": "- je fais ma part du travail commun ;\n- j'aide un collègue.",
        "url": None,
    },
    "evidence_expectations": "Je peux joindre une réalisation faite en équipe.",
    "endorsement_expectations": "Peuvent recommander ce badge : mon tuteur ou ma tutrice.",
    "achievement_type": "Competency",
    "human_code": "RECTEC C3",
    "field_of_study": "Compétences transversales",
    "specialization": "Pôle organisationnel",
    "tags": ["RECTEC", "travail en équipe"],
    "language": "fr",
    "translations": {
        "en": {
            "name": "Work in a team",
            "description": "With this badge, I make visible my ability to work with other people.",
        },
        FALC: {
            "name": "Travailler en équipe",
            "description": "Avec ce badge, je montre que je sais travailler avec les autres.",
        },
    },
    "alignments": [{"framework": "rectec", "code": "C3"}],
    "levels": [
        {"name": "Cercle 1", "description": "Identifie ce qui est attendu."},
        {"name": "Cercle 2", "description": "Agit dans une situation connue."},
        {"name": "Cercle 3", "description": "Agit de façon autonome."},
        {"name": "Cercle 4", "description": "Planifie et organise pour une équipe."},
    ],
    "expires_after_days": None,
    "image": {
        "template": "medaillon",
        "primary_colour": "#1d4e89",
        "secondary_colour": "#f2a541",
        "icon": "equipe",
    },
}


class Localised(RequestModel):
    """A catalogue text in French and English."""

    fr: ShortText
    en: ShortText


class FrameworkReference(RequestModel):
    """An item of a competency framework known to badgeforge (``rectec`` ``C3``)."""

    framework: Key = Field(description="The framework's slug, e.g. 'rectec'.")
    code: Code = Field(description="The item's code in that framework, e.g. 'C3'.")


class ImageDesign(RequestModel):
    """The badge image: an SVG design of ``badge_templates/`` and its two colours."""

    template: Literal["medaillon", "ecusson", "ruban"]
    primary_colour: Colour
    secondary_colour: Colour
    icon: Key | None = Field(default=None, description="An icon of badge_templates/icons/.")
    subtitle: Subtitle | None = Field(default=None, description="A line under the title.")

    @model_validator(mode="after")
    def _title_readable(self) -> Self:
        ratio = contrast_ratio(TITLE_COLOUR, self.primary_colour)
        if ratio < NORMAL_TEXT_RATIO:
            raise ValueError(
                f"white title text on {self.primary_colour} has a contrast of {ratio:.2f}:1, "
                f"below {NORMAL_TEXT_RATIO}:1"
            )
        return self


class BadgeClassTemplate(BadgeClassContent):
    """A ready-made badge class: its catalogue entry and the content it starts with (the
    badge class content schema, with alignments that may name a built-in framework item)."""

    model_config = ConfigDict(json_schema_extra={"examples": [EXAMPLE]})

    key: Key
    title: Localised
    summary: Localised
    alignments: list[FrameworkReference | Alignment] = Field(  # type: ignore[assignment]
        default_factory=list, max_length=50
    )
    image: ImageDesign

    @property
    def languages(self) -> list[str]:
        """The main language first, then the translations' in file order."""
        return [self.language, *self.translations]


class BadgeClassTemplateSummary(BaseModel):
    """A catalogue entry: what the template is, and in which languages it is written."""

    model_config = ConfigDict(json_schema_extra={"examples": [SUMMARY_EXAMPLE]})

    key: str
    title: Localised
    summary: Localised
    languages: list[str] = Field(description="The main language first, e.g. fr, en, fr-x-falc.")

    @classmethod
    def of(cls, template: BadgeClassTemplate) -> Self:
        """The catalogue entry of ``template``."""
        return cls(
            key=template.key,
            title=template.title,
            summary=template.summary,
            languages=template.languages,
        )
