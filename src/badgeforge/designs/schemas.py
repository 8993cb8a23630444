"""Design parameters (what a badge class stores to make its image) and the catalogue's shapes.

``DesignImage`` accepts the bodies badge classes always took, ``{template, primary_colour,
secondary_colour}``, and adds a named scheme, a text colour, an icon and a subtitle. Colours
given explicitly win over the scheme's; the default scheme gives the colours images had.
"""

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from badgeforge.fields import TEXT_PATTERN, Name, RequestModel, SchemaPattern

Colour = Annotated[
    str,
    StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$"),
    Field(description="A colour written #RRGGBB.", examples=["#1d4e89"]),
]
DesignName = Annotated[str, StringConstraints(max_length=63, pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")]
SchemeName = Literal["bleu-nuit", "vert-foret", "bordeaux", "violet", "ardoise", "soleil"]
Subtitle = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=40),
    SchemaPattern(TEXT_PATTERN),
]

_OPTIONS_EXAMPLE: dict[str, Any] = {
    "scheme": "vert-foret",
    "icon": "casque",
    "subtitle": "Cercle 2",
}


class DesignOptions(RequestModel):
    """Colours, icon and subtitle of a badge image (the design itself is named elsewhere)."""

    scheme: SchemeName | None = Field(
        default=None,
        description="A colour scheme from GET /api/v1/badge-designs (default 'bleu-nuit').",
    )
    primary_colour: Colour | None = Field(
        default=None, description="The colour behind the text; overrides the scheme's."
    )
    secondary_colour: Colour | None = Field(
        default=None, description="The border or ring colour; overrides the scheme's."
    )
    text_colour: Colour | None = Field(
        default=None,
        description="The title, subtitle and icon colour; overrides the scheme's. It must "
        "contrast with the primary colour (WCAG 2.2 AA).",
    )
    icon: DesignName | None = Field(
        default=None, description="An icon from GET /api/v1/badge-designs, above the title."
    )
    subtitle: Subtitle | None = Field(
        default=None, description="A short line under the title, e.g. a level: 'Cercle 2'."
    )


class DesignImage(DesignOptions):
    """Generate the badge image from a design in ``badge_templates/`` with the badge's name."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"template": "ecusson", **_OPTIONS_EXAMPLE}]}
    )

    template: DesignName = Field(
        default="medaillon", description="A design from GET /api/v1/badge-designs."
    )
    title: Subtitle | None = Field(
        default=None,
        description="The text drawn on the image; the badge's name when absent. Give a "
        "shorter one when the name is too long to be read on the image.",
    )


TemplateImage = DesignImage
"""The name badge classes used for these parameters."""


class DesignPreview(DesignOptions):
    """A title to draw with a design, and its options."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"title": "Sécurité et hygiène au travail", **_OPTIONS_EXAMPLE}]
        }
    )

    title: Name = Field(description="The text to draw: a badge class name.")


class LocalisedText(BaseModel):
    """A text in French and in English."""

    fr: str
    en: str


class TextAreaRead(BaseModel):
    """Where a design draws its content, in units of its 512 by 512 drawing."""

    x: float
    y: float
    width: float
    height: float
    circle: tuple[float, float, float] | None = Field(
        description="Centre x, centre y and radius lines must also stay inside, if round."
    )


class DesignSummary(BaseModel):
    """A badge design, named for ``template``."""

    name: str
    title: LocalisedText
    description: LocalisedText


class SchemeRead(BaseModel):
    """A named colour scheme and its measured contrast."""

    name: str
    title: LocalisedText
    primary_colour: str
    secondary_colour: str
    text_colour: str
    contrast_ratio: float = Field(description="Text on primary colour (WCAG), rounded down.")


class IconRead(BaseModel):
    """An icon that can be drawn above the title."""

    name: str
    title: LocalisedText


class TextRules(BaseModel):
    """The readability rules every generated image is checked against."""

    reference_display_px: int = Field(description="Width the badge is checked as shown at.")
    min_title_px: float
    max_title_px: float
    subtitle_px: float
    max_title_lines: int
    normal_text_ratio: float = Field(description="WCAG 2.2 AA minimum contrast, normal text.")
    large_text_ratio: float = Field(description="Minimum for large text (≥ 18.66 px bold).")


_EXAMPLE_DESIGN: dict[str, Any] = {
    "name": "medaillon",
    "title": {"fr": "Médaillon", "en": "Medallion"},
    "description": {
        "fr": "Médaillon rond bordé d'un anneau coloré ; le nom du badge au centre.",
        "en": "Round medallion with a coloured ring; the badge name in the centre.",
    },
}
_EXAMPLE_RULES: dict[str, Any] = {
    "reference_display_px": 240,
    "min_title_px": 16.0,
    "max_title_px": 26.0,
    "subtitle_px": 16.0,
    "max_title_lines": 4,
    "normal_text_ratio": 4.5,
    "large_text_ratio": 3.0,
}


class DesignRead(DesignSummary):
    """One design, where its text goes, and the rules its images are checked against."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    **_EXAMPLE_DESIGN,
                    "text_area": {
                        "x": 76,
                        "y": 76,
                        "width": 360,
                        "height": 360,
                        "circle": [256, 256, 190],
                    },
                    "rules": _EXAMPLE_RULES,
                }
            ]
        }
    )

    text_area: TextAreaRead
    rules: TextRules


class DesignCatalogue(BaseModel):
    """Everything a badge image can be made of."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "designs": [_EXAMPLE_DESIGN],
                    "schemes": [
                        {
                            "name": "bleu-nuit",
                            "title": {"fr": "Bleu nuit", "en": "Night blue"},
                            "primary_colour": "#1d4e89",
                            "secondary_colour": "#f2a541",
                            "text_colour": "#ffffff",
                            "contrast_ratio": 8.38,
                        }
                    ],
                    "icons": [
                        {
                            "name": "casque",
                            "title": {"fr": "Casque de sécurité", "en": "Safety helmet"},
                        }
                    ],
                    "rules": _EXAMPLE_RULES,
                }
            ]
        }
    )

    designs: list[DesignSummary]
    schemes: list[SchemeRead]
    icons: list[IconRead]
    rules: TextRules
