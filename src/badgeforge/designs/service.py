"""Badge images from designs: resolve the colours, fit the text, check it is readable, render.

Every image is checked before it is drawn: the title must fit at a readable size
(``layout``) and the text colour must contrast with the colour behind it as WCAG 2.2 AA
asks for text of that size (``core.contrast``), at the reference display size of 240 px.
A refusal is a 422 ``invalid-image`` problem naming the ``check`` and the ``field`` to
change, with the measured values. The SVG then goes through the same sanitiser and render
budget as uploads.
"""

import math
import re
from dataclasses import dataclass
from xml.sax.saxutils import escape

from badgeforge.core.contrast import check_text_contrast
from badgeforge.core.images import sanitize_svg
from badgeforge.core.svg import parse_svg, serialize_svg
from badgeforge.designs import catalogue
from badgeforge.designs.catalogue import Design, Icon
from badgeforge.designs.layout import (
    REFERENCE_DISPLAY_PX,
    SUBTITLE_PX,
    Layout,
    TextDoesNotFit,
    fit,
    title_svg,
)
from badgeforge.designs.schemas import DesignImage, DesignOptions
from badgeforge.images import PreparedImage, prepare_svg
from badgeforge.problems import InvalidBadgeImage, NotFound
from badgeforge.settings import Settings

_PLACEHOLDER = re.compile(r"\{\{(PRIMARY|SECONDARY|TEXT|CONTENT|TITLE)\}\}")


@dataclass(frozen=True, slots=True)
class Palette:
    """The three colours an image is drawn with."""

    primary: str
    secondary: str
    text: str


def palette(options: DesignOptions) -> Palette:
    """The scheme's colours (default scheme if none), each overridden by an explicit one."""
    scheme = catalogue.SCHEMES[options.scheme or catalogue.DEFAULT_SCHEME]
    return Palette(
        primary=(options.primary_colour or scheme.primary).lower(),
        secondary=(options.secondary_colour or scheme.secondary).lower(),
        text=(options.text_colour or scheme.text).lower(),
    )


def get_design(settings: Settings, name: str) -> Design:
    """The design called ``name``; raises NotFound."""
    design = catalogue.find_design(settings.badge_templates_dir, name)
    if design is None:
        raise NotFound(f"No badge design named {name!r}; GET /api/v1/badge-designs lists them.")
    return design


def _get_icon(settings: Settings, name: str) -> Icon:
    icon = catalogue.find_icon(settings.badge_templates_dir, name)
    if icon is None:
        raise InvalidBadgeImage(
            f"No icon named {name!r}; GET /api/v1/badge-designs lists them.",
            check="icon",
            field="icon",
        )
    return icon


def _fit(design: Design, title: str, params: DesignOptions) -> Layout:
    try:
        return fit(title, design.area, icon=params.icon is not None, subtitle=params.subtitle)
    except TextDoesNotFit as exc:
        raise InvalidBadgeImage(exc.detail, check="text-size", field=exc.field) from None


def _floor(ratio: float) -> float:
    return math.floor(ratio * 100) / 100  # never show 4.50 for a 4.499 that fails


def _check_contrast(layout: Layout, colours: Palette) -> None:
    texts = [("title", layout.title_px, True)]
    if layout.subtitle is not None:
        texts.append(("subtitle", SUBTITLE_PX, False))
    for which, size_px, bold in texts:
        check = check_text_contrast(colours.text, colours.primary, size_px=size_px, bold=bold)
        if check.passed:
            continue
        weight = "bold" if bold else "regular"
        raise InvalidBadgeImage(
            f"The {which} colour {colours.text} on the primary colour {colours.primary} has a "
            f"contrast ratio of {_floor(check.ratio):.2f}:1; WCAG 2.2 AA needs at least "
            f"{check.required:g}:1 for this {which} ({weight}, {size_px:.1f} px on a badge "
            f"shown {REFERENCE_DISPLAY_PX} px wide). Choose a darker or lighter primary_colour, "
            "another text_colour, or a named scheme.",
            check="contrast",
            field="text_colour",
            text=which,
            contrast_ratio=_floor(check.ratio),
            required_ratio=check.required,
            text_colour=colours.text,
            background_colour=colours.primary,
        )


def _icon_svg(icon: Icon, box: tuple[float, float, float], colour: str) -> str:
    tree = parse_svg(icon.path.read_bytes().replace(b"currentColor", colour.encode("ascii")))
    x, y, size = box
    for name, value in (("x", x), ("y", y), ("width", size), ("height", size)):
        tree.root.set(name, f"{value:g}")
    return serialize_svg(tree).decode("utf-8").split("?>", 1)[1].strip()


def design_svg(params: DesignImage, title: str, settings: Settings) -> bytes:
    """The checked, sanitised SVG of ``title`` drawn with ``params``; raises problems."""
    design = get_design(settings, params.template)
    icon = _get_icon(settings, params.icon) if params.icon is not None else None
    colours = palette(params)
    layout = _fit(design, title, params)
    _check_contrast(layout, colours)
    content = title_svg(layout, colours.text)
    if icon is not None and layout.icon_box is not None:
        content = _icon_svg(icon, layout.icon_box, colours.text) + content
    values = {
        "PRIMARY": colours.primary,
        "SECONDARY": colours.secondary,
        "TEXT": colours.text,
        "CONTENT": content,
        "TITLE": escape(f"{title} — {params.subtitle}" if params.subtitle else title),
    }
    template = design.path.read_text(encoding="utf-8")
    svg = _PLACEHOLDER.sub(lambda match: values[match.group(1)], template)  # one pass
    clean, _ = sanitize_svg(svg.encode("utf-8"), max_side=settings.max_image_side)
    return clean


def render_design(params: DesignImage, title: str, settings: Settings) -> PreparedImage:
    """A badge image (SVG and PNG) of ``title`` drawn with ``params``; raises problems."""
    return prepare_svg(design_svg(params, title, settings), settings)
