"""Badge images: uploads checked at the edge, templates rendered, each kept as PNG and SVG.

Every badge class needs both forms because each award is served baked as PNG and as SVG.
An uploaded PNG gets an SVG wrapper; an uploaded or generated SVG is sanitised and then
rasterised to PNG by a render worker process (``badgeforge.rendering``: bounded cost,
timeout, memory limit), for uploads, templates and issuer logos alike. The image type is
sniffed from the bytes, never taken from a file name.
"""

from dataclasses import dataclass

from fastapi import UploadFile

from badgeforge.core.errors import InvalidImage
from badgeforge.core.images import (
    inspect_png,
    png_to_svg,
    sanitize_svg,
    sniff_media_type,
)
from badgeforge.core.png import sanitize_png
from badgeforge.problems import PayloadTooLarge
from badgeforge.rendering import render_svg
from badgeforge.settings import Settings

RASTER_WIDTH = 512


@dataclass(frozen=True)
class PreparedImage:
    """A badge image in both forms, ready to store."""

    source_media_type: str
    png: bytes
    svg: bytes


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
    return prepare_svg(data, settings)


def prepare_svg(data: bytes, settings: Settings) -> PreparedImage:
    """Sanitise an SVG and rasterise it to PNG out of process; raises InvalidImage."""
    clean, _ = sanitize_svg(data, max_side=settings.max_image_side)
    png = render_svg(clean, width=RASTER_WIDTH, settings=settings)  # out of process
    return PreparedImage("image/svg+xml", png, clean)


__all__ = [
    "PreparedImage",
    "prepare_svg",
    "prepare_upload",
    "read_upload",
]


def read_upload(file: UploadFile, limit: int) -> bytes:
    """Read an uploaded file, refusing it with 413 as soon as it exceeds ``limit`` bytes."""
    data = file.file.read(limit + 1)
    if len(data) > limit:
        raise PayloadTooLarge(f"The uploaded file is larger than {limit} bytes.")
    if not data:
        raise InvalidImage("The uploaded file is empty.")
    return data
