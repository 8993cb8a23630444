"""Badge image checks: sniffing, PNG inspection, SVG sanitising and PNG/SVG conversion.

Pure functions on bytes: nothing here opens files, reaches the network, reads settings or the
clock. XML always goes through defusedxml with DTDs forbidden, so entity expansion (billion
laughs) and external entities (XXE) are refused before any element is built.

The PNG chunk walker and the SVG parse/serialise helpers are public because
``badgeforge.core.baking`` builds on them.
"""

from __future__ import annotations

import base64
import codecs
import io
import math
import re
import struct
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Literal, NamedTuple

# Element is only constructed here; every parse goes through defusedxml.
from xml.etree.ElementTree import Element, SubElement

import resvg_py
from defusedxml import DefusedXmlException, DTDForbidden
from defusedxml.ElementTree import ParseError, iterparse
from PIL import Image

from badgeforge.core.errors import InvalidImage, UnsupportedImageType

MediaType = Literal["image/png", "image/svg+xml"]

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"

MAX_SVG_DEPTH = 256
"""Deepest element nesting accepted in an SVG (real badges stay under 30)."""
MAX_RENDER_SIDE = 8192
"""Largest width or height, in pixels, that ``svg_to_png`` will render."""

_SNIFF_BYTES = 64 * 1024
_MAX_CHUNK_LENGTH = 0x7FFF_FFFF


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


class PngChunk(NamedTuple):
    """Offsets of one PNG chunk inside the file: ``start`` is its length field."""

    type: bytes
    start: int
    data_start: int
    data_end: int

    @property
    def end(self) -> int:
        """Offset just past the chunk's CRC."""
        return self.data_end + 4


def iter_png_chunks(data: bytes) -> Iterator[PngChunk]:
    """Yield the chunks from IHDR through IEND, checking signature, lengths and every CRC.

    Nothing is decompressed. Raises InvalidImage on a non-PNG, truncated or corrupt file;
    bytes after IEND are ignored.
    """
    if not data.startswith(PNG_SIGNATURE):
        raise InvalidImage("not a PNG file (the PNG signature is missing)")
    view = memoryview(data)
    position, size = len(PNG_SIGNATURE), len(data)
    while True:
        if position + 8 > size:
            raise InvalidImage("PNG file is truncated: it ends before its IEND chunk")
        length, chunk_type = struct.unpack_from(">I4s", data, position)
        name = chunk_type.decode("latin-1")
        if length > _MAX_CHUNK_LENGTH or not chunk_type.isalpha():
            raise InvalidImage(f"PNG file is corrupt: bad chunk header at byte {position}")
        data_start = position + 8
        data_end = data_start + length
        if data_end + 4 > size:
            raise InvalidImage(f"PNG file is truncated inside its {name!r} chunk")
        (crc,) = struct.unpack_from(">I", data, data_end)
        if zlib.crc32(view[position + 4 : data_end]) != crc:
            raise InvalidImage(f"PNG file is corrupt: the {name!r} chunk has a wrong CRC")
        if position == len(PNG_SIGNATURE) and chunk_type != b"IHDR":
            raise InvalidImage("PNG file is corrupt: it does not start with an IHDR chunk")
        yield PngChunk(chunk_type, position, data_start, data_end)
        if chunk_type == b"IEND":
            return
        position = data_end + 4


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


# --------------------------------------------------------------------------- SVG trees


@dataclass(frozen=True)
class SvgTree:
    """A parsed SVG: the root element and the (prefix, uri) declarations of the source."""

    root: Element
    declarations: tuple[tuple[str, str], ...] = ()


def parse_svg(data: bytes) -> SvgTree:
    """Parse XML bytes with defusedxml (no DTD, no entities, bounded depth) or raise InvalidImage.

    Comments and processing instructions are dropped; the root is not checked here.
    """
    root: Element | None = None
    declarations: list[tuple[str, str]] = []
    try:
        for event, item in iterparse(
            io.BytesIO(data), events=("start", "start-ns"), forbid_dtd=True
        ):
            if event == "start-ns":
                declarations.append(item)
            elif root is None:
                root = item
    except DTDForbidden as exc:
        raise InvalidImage(
            "SVG contains a <!DOCTYPE> declaration; DTDs are refused because they can "
            "define entities. Remove the DOCTYPE line and upload the file again"
        ) from exc
    except DefusedXmlException as exc:
        raise InvalidImage("SVG declares XML entities or external references") from exc
    except ParseError as exc:
        raise InvalidImage(f"SVG is not well-formed XML ({exc})") from exc
    if root is None:  # pragma: no cover - expat reports "no element found" first
        raise InvalidImage("SVG document has no root element")
    _check_depth(root)
    return SvgTree(root, tuple(declarations))


def _check_depth(root: Element) -> None:
    stack = [(root, 1)]
    while stack:
        element, depth = stack.pop()
        if depth > MAX_SVG_DEPTH:
            raise InvalidImage(f"SVG elements are nested more than {MAX_SVG_DEPTH} deep")
        stack.extend((child, depth + 1) for child in element)


def split_tag(name: str) -> tuple[str | None, str]:
    """Split an ElementTree ``{uri}local`` name into (uri or None, local)."""
    if name.startswith("{"):
        uri, _, local = name[1:].partition("}")
        return uri, local
    return None, name


def serialize_svg(
    tree: SvgTree,
    *,
    prefixes: Mapping[str, str] | None = None,
    cdata_tags: frozenset[str] = frozenset(),
) -> bytes:
    """Serialise a tree as UTF-8 XML with an XML declaration.

    SVG is the default namespace; `prefixes` (uri -> prefix) wins over the prefixes the
    source declared, then xlink is ``xlink``. Text of elements whose tag is in `cdata_tags`
    is written as CDATA, with any ``]]>`` split across two sections.
    """
    names = _Prefixes(tree, prefixes or {})
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n']
    declarations = [(f"xmlns:{prefix}", uri) for uri, prefix in names.by_uri.items()]
    _write(tree.root, out, names, cdata_tags, None, declarations)
    return "".join(out).encode("utf-8")


class _Prefixes:
    def __init__(self, tree: SvgTree, preferred: Mapping[str, str]) -> None:
        needed: set[str] = set()
        for element in tree.root.iter():
            uri, _ = split_tag(element.tag)
            if uri is not None and uri != SVG_NS:
                needed.add(uri)
            needed.update(uri for uri, _ in map(split_tag, element.attrib) if uri is not None)
        needed.discard(XML_NS)
        candidates = [
            *preferred.items(),
            (XLINK_NS, "xlink"),
            *((uri, prefix) for prefix, uri in tree.declarations),
            (SVG_NS, "svg"),  # only for attributes in the SVG namespace
        ]
        self.by_uri: dict[str, str] = {}
        taken = {"xml", "xmlns"}
        for uri, prefix in candidates:
            if uri in needed and uri not in self.by_uri and prefix and prefix not in taken:
                self.by_uri[uri] = prefix
                taken.add(prefix)
        for number, uri in enumerate(sorted(needed - self.by_uri.keys())):
            self.by_uri[uri] = f"ns{number}"

    def attribute(self, name: str) -> str:
        uri, local = split_tag(name)
        if uri is None:
            return local
        return f"{'xml' if uri == XML_NS else self.by_uri[uri]}:{local}"


def _write(
    element: Element,
    out: list[str],
    names: _Prefixes,
    cdata_tags: frozenset[str],
    default_ns: str | None,
    declarations: list[tuple[str, str]],
) -> None:
    uri, local = split_tag(element.tag)
    attributes: list[tuple[str, str]] = []
    if uri is None or uri == SVG_NS:
        name = local
        if default_ns != uri:
            attributes.append(("xmlns", uri or ""))
            default_ns = uri
    else:
        name = f"{names.by_uri[uri]}:{local}"
    attributes += declarations
    attributes += ((names.attribute(key), value) for key, value in element.attrib.items())
    out.append("<" + name + "".join(f' {k}="{_escape_attribute(v)}"' for k, v in attributes))
    children = list(element)
    if not element.text and not children:
        out.append("/>")
    else:
        out.append(">")
        if element.text:
            text = element.text
            out.append(_cdata(text) if element.tag in cdata_tags else _escape_text(text))
        for child in children:
            _write(child, out, names, cdata_tags, default_ns, [])
        out.append(f"</{name}>")
    if element.tail:
        out.append(_escape_text(element.tail))


def _escape_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _escape_attribute(value: str) -> str:
    value = _escape_text(value).replace('"', "&quot;")
    return value.replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")


def _cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


# --------------------------------------------------------------------------- sanitiser

_FILTER_PRIMITIVES = (
    "feBlend feColorMatrix feComponentTransfer feComposite feConvolveMatrix "
    "feDiffuseLighting feDisplacementMap feDistantLight feDropShadow feFlood feFuncA feFuncB "
    "feFuncG feFuncR feGaussianBlur feImage feMerge feMergeNode feMorphology feOffset "
    "fePointLight feSpecularLighting feSpotLight feTile feTurbulence"
)
_ALLOWED_ELEMENTS = frozenset(
    (
        "svg g defs symbol use title desc style "
        "path rect circle ellipse line polyline polygon text tspan textPath "
        "linearGradient radialGradient stop pattern clipPath mask marker image filter "
        + _FILTER_PRIMITIVES
    ).split()
)
_IMAGE_ELEMENTS = frozenset({"image", "feImage"})
_REFERENCE_ELEMENTS = _IMAGE_ELEMENTS | {"use"}  # useless without a (safe) href
_TEXT_ELEMENTS = frozenset({"text", "tspan", "textPath"})
_LINK_ONLY_ATTRIBUTES = frozenset(
    {"href", "target", "download", "ping", "rel", "hreflang", "type", "referrerpolicy"}
)
_XLINK_HREF = f"{{{XLINK_NS}}}href"
_LOCAL_REFERENCE = re.compile(r"#[\w.:-]+")
_DATA_IMAGE = re.compile(r"data:image/(?:png|jpeg);base64,[A-Za-z0-9+/=\s]+", re.IGNORECASE)
_CSS_URL = re.compile(r"url\(\s*['\"]?\s*", re.IGNORECASE)
_CSS_FORBIDDEN = (
    "\\",  # CSS escapes can spell url( or other functions
    "@import",
    "image-set(",
    "image(",
    "cross-fade(",
    "element(",
    "expression(",
    "javascript:",
    "vbscript:",
)
_CONTROL_OR_SPACE = re.compile(r"[\x00-\x20]+")


def sanitize_svg(data: bytes, *, max_side: int = 4096) -> tuple[bytes, ImageInfo]:
    """Return a re-serialised SVG that can run no script and load nothing external, and its size.

    Kept: an allow-list of SVG elements (see ``_ALLOWED_ELEMENTS``) with their text, local
    ``#id`` references, PNG/JPEG ``data:`` URIs on ``<image>``/``<feImage>``, ``url(#id)``
    paints, and ``<style>`` sheets that contain no ``url()`` to elsewhere, ``@import`` or
    CSS escapes. ``<a>`` becomes ``<g>`` (``<tspan>`` inside text). Everything else
    (script, foreignObject, animation, unknown or foreign-namespace elements, ``on*``
    attributes, external links) is removed. The size comes from width/height, completed
    from the viewBox; an SVG with neither is refused because viewers disagree on its size.
    """
    tree = parse_svg(data)
    root = tree.root
    if root.tag != f"{{{SVG_NS}}}svg":
        raise InvalidImage(f'the root element must be <svg> with xmlns="{SVG_NS}"')
    _clean_attributes(root, "svg")
    _clean_children(root)
    width, height = _svg_size(root)
    if width > max_side or height > max_side:
        raise InvalidImage(
            f"SVG is {width}x{height} pixels; each side must be at most {max_side} pixels"
        )
    return serialize_svg(tree), ImageInfo("image/svg+xml", width, height)


def _clean_children(parent: Element) -> None:
    previous: Element | None = None
    for child in list(parent):
        local = _allowed_local_name(child, parent)
        if local is not None:
            _clean_attributes(child, local)
        if local is None or not _element_is_safe(child, local):
            if child.tail and previous is None:
                parent.text = (parent.text or "") + child.tail
            elif child.tail and previous is not None:
                previous.tail = (previous.tail or "") + child.tail
            parent.remove(child)
            continue
        _clean_children(child)
        previous = child


def _allowed_local_name(element: Element, parent: Element) -> str | None:
    uri, local = split_tag(element.tag)
    if uri != SVG_NS:
        return None
    if local == "a":  # keep a link's content, drop the link
        local = "tspan" if split_tag(parent.tag)[1] in _TEXT_ELEMENTS else "g"
        element.tag = f"{{{SVG_NS}}}{local}"
        for name in [*_LINK_ONLY_ATTRIBUTES, _XLINK_HREF]:
            element.attrib.pop(name, None)
    return local if local in _ALLOWED_ELEMENTS else None


def _element_is_safe(element: Element, local: str) -> bool:
    if local in _REFERENCE_ELEMENTS:
        return "href" in element.attrib or _XLINK_HREF in element.attrib
    if local == "style":
        return (
            len(element) == 0
            and element.get("type", "text/css").strip().lower() == "text/css"
            and _css_is_safe(element.text or "")
            and "<" not in (element.text or "")
        )
    return True


def _clean_attributes(element: Element, local: str) -> None:
    for name, value in list(element.attrib.items()):
        if not _attribute_is_safe(name, value, local):
            del element.attrib[name]
        elif name == "style":
            kept = [part for part in value.split(";") if ":" in part and _css_is_safe(part)]
            if kept:
                element.set(name, ";".join(part.strip() for part in kept))
            else:
                del element.attrib[name]


def _attribute_is_safe(name: str, value: str, local: str) -> bool:
    uri, attribute = split_tag(name)
    if uri == XML_NS:
        return attribute in ("space", "lang")
    if attribute == "href" and uri in (None, XLINK_NS):
        return _href_is_safe(value, local)
    if uri is not None or attribute.lower().startswith("on"):
        return False
    compact = _CONTROL_OR_SPACE.sub("", value).lower()
    if "javascript:" in compact or "vbscript:" in compact:
        return False
    return attribute == "style" or _css_is_safe(value)


def _href_is_safe(value: str, local: str) -> bool:
    value = value.strip()
    if _LOCAL_REFERENCE.fullmatch(value):
        return True
    return local in _IMAGE_ELEMENTS and _DATA_IMAGE.fullmatch(value) is not None


def _css_is_safe(css: str) -> bool:
    lowered = css.lower()
    if any(marker in lowered for marker in _CSS_FORBIDDEN):
        return False
    return all(lowered.startswith("#", match.end()) for match in _CSS_URL.finditer(lowered))


# --------------------------------------------------------------------------- SVG size

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


def svg_to_png(svg: bytes, *, width: int) -> bytes:
    """Render an SVG to a PNG `width` pixels wide (height keeps the aspect ratio).

    The SVG is sanitised first, so rendering never reads a file or the network whatever the
    input. Raises ValueError for a width outside 1..MAX_RENDER_SIDE and InvalidImage when
    the SVG is refused or cannot be rendered.
    """
    if not 1 <= width <= MAX_RENDER_SIDE:
        raise ValueError(f"width must be between 1 and {MAX_RENDER_SIDE}, not {width}")
    clean, info = sanitize_svg(svg, max_side=2**31)
    height = max(1, round(width * info.height / info.width))
    if height > MAX_RENDER_SIDE:
        raise InvalidImage(f"rendering this SVG {width} pixels wide would be {height} tall")
    try:
        png = resvg_py.svg_to_bytes(svg_string=clean.decode("utf-8"), width=width)
    except ValueError as exc:
        raise InvalidImage(f"SVG cannot be rendered ({exc})") from exc
    if not png.startswith(PNG_SIGNATURE):  # pragma: no cover - resvg always returns PNG
        raise InvalidImage("SVG cannot be rendered (the renderer returned no PNG)")
    return png


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
        f"{{{SVG_NS}}}svg", {"width": width, "height": height, "viewBox": f"0 0 {width} {height}"}
    )
    SubElement(
        root,
        f"{{{SVG_NS}}}image",
        {"width": width, "height": height, "href": uri, _XLINK_HREF: uri},
    )
    return serialize_svg(SvgTree(root))
