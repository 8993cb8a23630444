"""HTTP API of badge designs: the catalogue, one design, and previews that write nothing."""

import math
from typing import Annotated

from fastapi import Header, Response
from fastapi import Path as PathParameter

from badgeforge.core.contrast import LARGE_TEXT_RATIO, NORMAL_TEXT_RATIO, contrast_ratio
from badgeforge.deps import SettingsDep
from badgeforge.designs import catalogue, layout, service
from badgeforge.designs.catalogue import Design
from badgeforge.designs.schemas import (
    DesignCatalogue,
    DesignImage,
    DesignPreview,
    DesignRead,
    DesignSummary,
    IconRead,
    LocalisedText,
    SchemeRead,
    TextAreaRead,
    TextRules,
)
from badgeforge.images import RASTER_WIDTH
from badgeforge.problems import (
    InvalidBadgeImage,
    NotAcceptable,
    NotFound,
    problem_responses,
)
from badgeforge.rendering import render_svg
from badgeforge.routing import api_router
from badgeforge.security import ReadAccess

router = api_router("/api/v1/badge-designs", "badge classes")
SVG, PNG = "image/svg+xml", "image/png"
DesignName = Annotated[
    str,
    PathParameter(
        pattern=catalogue.NAME.pattern,
        max_length=63,
        description="A design's name, e.g. `medaillon` or `hexagone`.",
        examples=["medaillon"],
    ),
]


def _text(value: catalogue.Localised) -> LocalisedText:
    return LocalisedText(fr=value.fr, en=value.en)


def _summary(design: Design) -> DesignSummary:
    return DesignSummary(
        name=design.name, title=_text(design.title), description=_text(design.description)
    )


def _rules() -> TextRules:
    return TextRules(
        reference_display_px=layout.REFERENCE_DISPLAY_PX,
        min_title_px=layout.MIN_TITLE_PX,
        max_title_px=layout.MAX_TITLE_PX,
        subtitle_px=layout.SUBTITLE_PX,
        max_title_lines=layout.MAX_TITLE_LINES,
        normal_text_ratio=NORMAL_TEXT_RATIO,
        large_text_ratio=LARGE_TEXT_RATIO,
    )


def _scheme(scheme: catalogue.Scheme) -> SchemeRead:
    ratio = math.floor(contrast_ratio(scheme.text, scheme.primary) * 100) / 100
    return SchemeRead(
        name=scheme.name,
        title=_text(scheme.title),
        primary_colour=scheme.primary,
        secondary_colour=scheme.secondary,
        text_colour=scheme.text,
        contrast_ratio=ratio,
    )


@router.get("", summary="List badge designs, colour schemes and icons")
def list_badge_designs(principal: ReadAccess, settings: SettingsDep) -> DesignCatalogue:
    """Everything a generated badge image can be made of, with French and English titles.

    Pass a design's `name` as `image.template` (with `scheme` or colours, `icon`,
    `subtitle`) when creating a badge class, or try it with the preview.
    """
    folder = settings.badge_templates_dir
    return DesignCatalogue(
        designs=[_summary(design) for design in catalogue.designs(folder)],
        schemes=[_scheme(scheme) for scheme in catalogue.SCHEMES.values()],
        icons=[IconRead(name=i.name, title=_text(i.title)) for i in catalogue.icons(folder)],
        rules=_rules(),
    )


@router.get("/{name}", summary="Get a badge design", responses=problem_responses(NotFound))
def get_badge_design(name: DesignName, principal: ReadAccess, settings: SettingsDep) -> DesignRead:
    """One design: its titles, where its text goes and the readability rules it is held to."""
    design = service.get_design(settings, name)
    area = design.area
    return DesignRead(
        **_summary(design).model_dump(),
        text_area=TextAreaRead(
            x=area.x, y=area.y, width=area.width, height=area.height, circle=area.circle
        ),
        rules=_rules(),
    )


def _media_type(accept: str | None) -> str:
    """SVG unless the client asks for PNG and not SVG (q-values are not weighed)."""
    wanted = (accept or "*/*").lower()
    if PNG in wanted and SVG not in wanted:
        return PNG
    if any(media_type in wanted for media_type in (SVG, "image/*", "*/*")):
        return SVG
    raise NotAcceptable(f"The preview is {SVG} (the default) or {PNG}, not {accept!r}.")


@router.post(
    "/{name}/preview",
    summary="Preview a badge image",
    response_class=Response,
    responses={
        200: {"description": "The badge image", "content": {SVG: {}, PNG: {}}},
        **problem_responses(NotFound, InvalidBadgeImage, NotAcceptable),
    },
)
def preview_badge_design(
    name: DesignName,
    body: DesignPreview,
    principal: ReadAccess,
    settings: SettingsDep,
    accept: str | None = Header(default=None, include_in_schema=False),
) -> Response:
    """Draw `title` with this design and options, as SVG (default) or PNG (`Accept: image/png`).

    Nothing is stored. The same checks as a badge class image apply: a title that would
    be smaller than the readable minimum, or text that does not contrast enough with the
    colour behind it (WCAG 2.2 AA), is refused with a 422 `invalid-image` problem naming
    the `check`, the `field` and the measured values.
    """
    media_type = _media_type(accept)
    params = DesignImage(template=name, **body.model_dump(exclude={"title"}))
    svg = service.design_svg(params, body.title, settings)
    data = svg if media_type == SVG else render_svg(svg, width=RASTER_WIDTH, settings=settings)
    return Response(
        data, media_type=media_type, headers={"Cache-Control": "no-store", "Vary": "Accept"}
    )
