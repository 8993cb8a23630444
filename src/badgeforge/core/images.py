"""Badge image checks: sniffing, PNG inspection, SVG sanitising and PNG/SVG conversion.

Pure functions on bytes: nothing here opens files, reaches the network, reads settings or the
clock. XML always goes through defusedxml with DTDs forbidden, so entity expansion (billion
laughs) and external entities (XXE) are refused before any element is built.

This is the public badge-image API. The PNG container lives in ``badgeforge.core.png``,
SVG parsing and serialisation in ``badgeforge.core.svg`` and the allow-list rules of the
sanitiser in ``badgeforge.core.svg_sanitizer``.
"""

from __future__ import annotations

import base64
import codecs
import io
import math
import re
import struct
from dataclasses import dataclass
from typing import Literal

# Element is only constructed here; every parse goes through defusedxml.
from xml.etree.ElementTree import Element, SubElement

import resvg_py
from PIL import Image

from badgeforge.core.errors import ImageTooComplex, InvalidImage, UnsupportedImageType
from badgeforge.core.png import PNG_SIGNATURE, iter_png_chunks
from badgeforge.core.svg import SVG_NS, SVG_ROOT_TAG, XLINK_HREF, SvgTree, parse_svg, serialize_svg
from badgeforge.core.svg_budget import RenderLimits, check_render_budget
from badgeforge.core.svg_sanitizer import sanitize_svg_tree

MediaType = Literal["image/png", "image/svg+xml"]

MAX_RENDER_SIDE = 8192
"""Largest width or height, in pixels, that ``svg_to_png`` will render."""

_SNIFF_BYTES = 64 * 1024


@dataclass(frozen=True, slots=True)
class ImageInfo:
    """What the checks established about a badge image."""

    media_type: MediaType
    width: int
    height: int


# --------------------------------------------------------------------------- sniffing

_OTHER_FORMATS: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
    (b"BM", "BMP"),
    (b"\x00\x00\x01\x00", "ICO"),
    (b"%PDF", "PDF"),
    (b"\x1f\x8b", "gzip-compressed (SVGZ)"),
)
_SVG_ROOT = re.compile(r"<(?:[A-Za-z_][\w.-]*:)?svg[\s/>]")


def sniff_media_type(data: bytes) -> MediaType:
    """Return the badge media type found in the bytes themselves (never from a file name).

    PNG is recognised by its signature; SVG by an ``<svg`` root element after an optional
    BOM, XML declaration, comments, processing instructions and DOCTYPE. Anything else
    raises InvalidImage naming the accepted types.
    """
    if data.startswith(PNG_SIGNATURE):
        return "image/png"
    if _looks_like_svg(data):
        return "image/svg+xml"
    kind = _other_format(data)
    if kind is not None:
        raise UnsupportedImageType(
            f"{kind} images are not accepted: Open Badges images must be PNG or SVG"
        )
    raise UnsupportedImageType("unrecognised image format: upload a PNG or an SVG file")


def _other_format(data: bytes) -> str | None:
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WebP"
    if data[4:8] == b"ftyp":
        return "AVIF/HEIC"
    return next((kind for magic, kind in _OTHER_FORMATS if data.startswith(magic)), None)


def _looks_like_svg(data: bytes) -> bool:
    head = data[:_SNIFF_BYTES]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = head.decode("utf-16", "ignore")
    else:
        text = head.removeprefix(codecs.BOM_UTF8).decode("utf-8", "ignore")
    position = 0
    while True:
        while position < len(text) and text[position].isspace():
            position += 1
        if text.startswith("<?", position):
            end, size = text.find("?>", position + 2), 2
        elif text.startswith("<!--", position):
            end, size = text.find("-->", position + 4), 3
        elif text.startswith("<!DOCTYPE", position):
            end, size = _doctype_end(text, position), 1
        else:
            return _SVG_ROOT.match(text, position) is not None
        if end < 0:
            return False
        position = end + size


def _doctype_end(text: str, start: int) -> int:
    end = text.find(">", start)
    subset = text.find("[", start, end if end >= 0 else len(text))
    if subset >= 0:
        closing = text.find("]", subset)
        end = text.find(">", closing) if closing >= 0 else -1
    return end


# --------------------------------------------------------------------------- PNG


def inspect_png(data: bytes, *, max_pixels: int, max_side: int) -> ImageInfo:
    """Return the size of a PNG that is well formed, within the limits and decodes fully.

    Width and height come from IHDR before anything is decoded, so an oversized image is
    refused without allocating it; only then does Pillow decode the pixels, which catches
    truncated or corrupt image data.
    """
    chunks = list(iter_png_chunks(data))
    header = chunks[0]
    if header.data_end - header.data_start != 13:
        raise InvalidImage("PNG file is corrupt: its IHDR chunk has the wrong length")
    width, height = struct.unpack_from(">II", data, header.data_start)
    if width == 0 or height == 0:
        raise InvalidImage("PNG file is corrupt: it declares a zero width or height")
    if width > max_side or height > max_side:
        raise InvalidImage(
            f"PNG is {width}x{height} pixels; each side must be at most {max_side} pixels"
        )
    if width * height > max_pixels:
        raise InvalidImage(
            f"PNG is {width}x{height} = {width * height} pixels; the limit is {max_pixels}"
        )
    if not any(chunk.type == b"IDAT" for chunk in chunks):
        raise InvalidImage("PNG file has no image data (IDAT chunk)")
    _decode_png(data, (width, height))
    return ImageInfo("image/png", width, height)


def _decode_png(data: bytes, size: tuple[int, int]) -> None:
    # Pillow's own Image.MAX_IMAGE_PIXELS guard stays as a second line behind the IHDR check.
    try:
        with Image.open(io.BytesIO(data), formats=["PNG"]) as image:
            image.load()
            decoded_size = image.size
    except (OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError) as exc:
        raise InvalidImage(f"PNG image data is corrupt or truncated ({exc})") from exc
    if decoded_size != size:
        raise InvalidImage("PNG file is corrupt: decoded size differs from its header")


# --------------------------------------------------------------------------- SVG


def sanitize_svg(data: bytes, *, max_side: int = 4096) -> tuple[bytes, ImageInfo]:
    """Return a re-serialised SVG that can run no script and load nothing external, and its size.

    Kept: an allow-list of SVG elements (see ``svg_sanitizer.ALLOWED_ELEMENTS``) with their
    text, local ``#id`` references, PNG/JPEG ``data:`` URIs on ``<image>``/``<feImage>``,
    ``url(#id)`` paints, and ``<style>`` sheets that contain no ``url()`` to elsewhere,
    ``@import`` or CSS escapes. ``<a>`` becomes ``<g>`` (``<tspan>`` inside text). Everything
    else (script, foreignObject, animation, unknown or foreign-namespace elements, ``on*``
    attributes, external links) is removed. The size comes from width/height, completed
    from the viewBox; an SVG with neither is refused because viewers disagree on its size.
    """
    tree = parse_svg(data)
    sanitize_svg_tree(tree)
    width, height = _svg_size(tree.root)
    if width > max_side or height > max_side:
        raise InvalidImage(
            f"SVG is {width}x{height} pixels; each side must be at most {max_side} pixels"
        )
    return serialize_svg(tree), ImageInfo("image/svg+xml", width, height)


_LENGTH = re.compile(r"\s*(\d+(?:\.\d*)?|\.\d+)(?:[eE]([+-]?\d+))?\s*(px|pt|pc|mm|cm|in)?\s*")
_UNIT_PIXELS = {
    None: 1.0,
    "px": 1.0,
    "pt": 96 / 72,
    "pc": 16.0,
    "mm": 96 / 25.4,
    "cm": 96 / 2.54,
    "in": 96.0,
}


def _svg_size(root: Element) -> tuple[int, int]:
    width, height = _length(root.get("width")), _length(root.get("height"))
    if width is None or height is None:
        box = _view_box(root.get("viewBox"))
        if box is None:
            raise InvalidImage(
                "SVG has no usable width/height and no viewBox, so its size is unknown; "
                'add a viewBox such as viewBox="0 0 512 512"'
            )
        box_width, box_height = box
        if width is not None:
            height = width * box_height / box_width
        elif height is not None:
            width = height * box_width / box_height
        else:
            width, height = box_width, box_height
    return max(1, round(width)), max(1, round(height))


def _length(value: str | None) -> float | None:
    match = _LENGTH.fullmatch(value or "")
    if match is None:  # missing, percentage, em, auto...
        return None
    number, exponent, unit = match.groups()
    pixels = float(number + (f"e{exponent}" if exponent else "")) * _UNIT_PIXELS[unit]
    return pixels if math.isfinite(pixels) and pixels > 0 else None


def _view_box(value: str | None) -> tuple[float, float] | None:
    parts = re.split(r"[\s,]+", (value or "").strip())
    if len(parts) != 4:
        return None
    try:
        width, height = float(parts[2]), float(parts[3])
    except ValueError:
        return None
    if not (math.isfinite(width) and math.isfinite(height) and width > 0 and height > 0):
        return None
    return width, height


# --------------------------------------------------------------------------- conversion


def svg_to_png(svg: bytes, *, width: int, limits: RenderLimits | None = None) -> bytes:
    """Render an SVG to a PNG `width` pixels wide (height keeps the aspect ratio).

    Sanitised first (rendering never reads a file or the network) and its cost checked
    against `limits` (``prepare_render``). Raises InvalidImage, or ImageTooComplex past a
    limit. Runs in the calling process: servers go through ``badgeforge.rendering``.
    """
    tree, _ = prepare_render(svg, width=width, limits=limits or RenderLimits())
    try:
        png = resvg_py.svg_to_bytes(svg_string=serialize_svg(tree).decode("utf-8"), width=width)
    except ValueError as exc:
        raise InvalidImage(f"SVG cannot be rendered ({exc})") from exc
    if not png.startswith(PNG_SIGNATURE):  # pragma: no cover - resvg always returns PNG
        raise InvalidImage("SVG cannot be rendered (the renderer returned no PNG)")
    return png


def prepare_render(svg: bytes, *, width: int, limits: RenderLimits) -> tuple[SvgTree, int]:
    """Sanitise an SVG for a render `width` pixels wide and check its cost; return it and
    the render height. Raises like ``svg_to_png`` without running the renderer."""
    if not 1 <= width <= MAX_RENDER_SIDE:
        raise ImageTooComplex(f"render width must be between 1 and {MAX_RENDER_SIDE}, not {width}")
    tree = parse_svg(svg)
    sanitize_svg_tree(tree)
    svg_width, svg_height = _svg_size(tree.root)
    height = max(1, round(width * svg_height / svg_width))
    if height > MAX_RENDER_SIDE:
        raise ImageTooComplex(f"rendering this SVG {width} pixels wide would be {height} tall")
    check_render_budget(tree, width=width, height=height, limits=limits)
    return tree, height


def png_to_svg(png: bytes, info: ImageInfo) -> bytes:
    """Return an SVG of the PNG's size that shows the PNG through a ``data:`` URI.

    Both ``href`` and ``xlink:href`` are set so SVG 1.1 viewers show it too; the result
    passes ``sanitize_svg`` and can be baked with ``bake_svg``.
    """
    if info.media_type != "image/png" or not png.startswith(PNG_SIGNATURE):
        raise InvalidImage("png_to_svg needs PNG bytes")
    uri = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
    width, height = str(info.width), str(info.height)
    root = Element(
        SVG_ROOT_TAG, {"width": width, "height": height, "viewBox": f"0 0 {width} {height}"}
    )
    SubElement(
        root,
        f"{{{SVG_NS}}}image",
        {"width": width, "height": height, "href": uri, XLINK_HREF: uri},
    )
    return serialize_svg(SvgTree(root))
