"""Badge images: uploads checked at the edge, templates rendered, each kept as PNG and SVG.

Every badge class needs both forms because each award is served baked as PNG and as SVG.
An uploaded PNG gets an SVG wrapper; an uploaded or generated SVG is sanitised and then
rasterised to PNG by a render worker process (``badgeforge.rendering``: bounded cost,
timeout, memory limit), for uploads, templates and issuer logos alike. The image type is
sniffed from the bytes, never taken from a file name.
"""

import re
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from fastapi import UploadFile

from badgeforge.core.errors import InvalidImage
from badgeforge.core.images import (
    inspect_png,
    png_to_svg,
    sanitize_svg,
    sniff_media_type,
)
from badgeforge.core.png import sanitize_png
from badgeforge.problems import NotFound, PayloadTooLarge
from badgeforge.rendering import render_svg
from badgeforge.settings import Settings

RASTER_WIDTH = 512
_TEMPLATE_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


@dataclass(frozen=True)
class PreparedImage:
    """A badge image in both forms, ready to store."""

    source_media_type: str
    png: bytes
    svg: bytes


@dataclass(frozen=True)
class BadgeTemplate:
    """A badge design from ``badge_templates/``."""

    name: str
    title: str
    description: str


def prepare_upload(data: bytes, settings: Settings) -> PreparedImage:
    """Check an uploaded PNG or SVG and derive its other form; raises InvalidImage."""
    if len(data) > settings.max_image_bytes:
        raise InvalidImage(
            f"The image is {len(data)} bytes; the limit is {settings.max_image_bytes} bytes."
        )
    media_type = sniff_media_type(data)
    if media_type == "image/png":
        info = inspect_png(
            data, max_pixels=settings.max_image_pixels, max_side=settings.max_image_side
        )
        clean = sanitize_png(data)  # pixels kept, container rebuilt (core.png)
        return PreparedImage(media_type, clean, png_to_svg(clean, info))
    return _prepare_svg(data, settings)


def _prepare_svg(data: bytes, settings: Settings) -> PreparedImage:
    clean, _ = sanitize_svg(data, max_side=settings.max_image_side)
    png = render_svg(clean, width=RASTER_WIDTH, settings=settings)  # out of process
    return PreparedImage("image/svg+xml", png, clean)


def list_templates(settings: Settings) -> list[BadgeTemplate]:
    """The badge designs available to issuers, sorted by name."""
    templates = []
    for path in sorted(settings.badge_templates_dir.glob("*.svg")):
        if _TEMPLATE_NAME.match(path.stem):
            templates.append(_describe(path))
    return templates


def _describe(path: Path) -> BadgeTemplate:
    text = path.read_text(encoding="utf-8")
    title = re.search(r"<!-- template-title: (.*?) -->", text)
    description = re.search(r"<!-- template-description: (.*?) -->", text)
    return BadgeTemplate(
        name=path.stem,
        title=title.group(1).strip() if title else path.stem,
        description=description.group(1).strip() if description else "",
    )


def wrap_title(text: str, width: int = 16, max_lines: int = 3) -> list[str]:
    """Split a badge name into at most ``max_lines`` lines of about ``width`` characters."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], " ".join(lines[max_lines - 1 :])]
        if len(lines[-1]) > width:
            lines[-1] = lines[-1][: width - 1].rstrip() + "…"
    return lines


def render_template(
    name: str,
    *,
    title: str,
    settings: Settings,
    primary_colour: str = "#1d4e89",
    secondary_colour: str = "#f2a541",
) -> PreparedImage:
    """Render a badge design with the badge's name; raises NotFound or InvalidImage."""
    path = settings.badge_templates_dir / f"{name}.svg"
    if not _TEMPLATE_NAME.match(name) or not path.is_file():
        raise NotFound(f"No badge template named {name!r}.")
    for colour in (primary_colour, secondary_colour):
        if not _COLOUR.match(colour):
            raise InvalidImage(f"Colour {colour!r} is not of the form #RRGGBB.")
    lines = wrap_title(title)
    first_line_y = 256 - (len(lines) - 1) * 22
    tspans = "".join(
        f'<tspan x="256" y="{first_line_y + index * 44}">{escape(line)}</tspan>'
        for index, line in enumerate(lines)
    )
    svg = (
        path.read_text(encoding="utf-8")
        .replace("{{TITLE_LINES}}", tspans)
        .replace("{{TITLE}}", escape(title))
        .replace("{{PRIMARY}}", primary_colour)
        .replace("{{SECONDARY}}", secondary_colour)
    )
    return _prepare_svg(svg.encode("utf-8"), settings)


__all__ = [
    "BadgeTemplate",
    "PreparedImage",
    "list_templates",
    "prepare_upload",
    "read_upload",
    "render_template",
]


def read_upload(file: UploadFile, limit: int) -> bytes:
    """Read an uploaded file, refusing it with 413 as soon as it exceeds ``limit`` bytes."""
    data = file.file.read(limit + 1)
    if len(data) > limit:
        raise PayloadTooLarge(f"The uploaded file is larger than {limit} bytes.")
    if not data:
        raise InvalidImage("The uploaded file is empty.")
    return data
