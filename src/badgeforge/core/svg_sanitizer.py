"""The allow-list SVG sanitiser: what may stay in a badge SVG, and removing everything else.

``badgeforge.core.images.sanitize_svg`` parses, cleans with ``sanitize_svg_tree``, measures
and re-serialises; the rules themselves live here.
"""

from __future__ import annotations

import re

# Element is only a type here; every parse goes through defusedxml.
from xml.etree.ElementTree import Element

from badgeforge.core.errors import InvalidImage
from badgeforge.core.svg import (
    SVG_NS,
    SVG_ROOT_TAG,
    XLINK_HREF,
    XLINK_NS,
    XML_NS,
    SvgTree,
    split_tag,
)

_FILTER_PRIMITIVES = (
    "feBlend feColorMatrix feComponentTransfer feComposite feConvolveMatrix "
    "feDiffuseLighting feDisplacementMap feDistantLight feDropShadow feFlood feFuncA feFuncB "
    "feFuncG feFuncR feGaussianBlur feImage feMerge feMergeNode feMorphology feOffset "
    "fePointLight feSpecularLighting feSpotLight feTile feTurbulence"
)
ALLOWED_ELEMENTS = frozenset(
    (
        "svg g defs symbol use title desc style "
        "path rect circle ellipse line polyline polygon text tspan textPath "
        "linearGradient radialGradient stop pattern clipPath mask marker image filter "
        + _FILTER_PRIMITIVES
    ).split()
)
"""Local names of the SVG elements a sanitised badge may contain."""

_IMAGE_ELEMENTS = frozenset({"image", "feImage"})
_REFERENCE_ELEMENTS = _IMAGE_ELEMENTS | {"use"}  # useless without a (safe) href
_TEXT_ELEMENTS = frozenset({"text", "tspan", "textPath"})
_LINK_ONLY_ATTRIBUTES = frozenset(
    {"href", "target", "download", "ping", "rel", "hreflang", "type", "referrerpolicy"}
)
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


def sanitize_svg_tree(tree: SvgTree) -> None:
    """Remove in place everything from `tree` that could run script or load anything external.

    Kept: the ALLOWED_ELEMENTS with their text, local ``#id`` references, PNG/JPEG
    ``data:`` URIs on ``<image>``/``<feImage>``, ``url(#id)`` paints, and ``<style>``
    sheets that contain no ``url()`` to elsewhere, ``@import`` or CSS escapes. ``<a>``
    becomes ``<g>`` (``<tspan>`` inside text). Everything else (script, foreignObject,
    animation, unknown or foreign-namespace elements, ``on*`` attributes, external links)
    is removed. Raises InvalidImage when the root is not an SVG ``<svg>`` element.
    """
    root = tree.root
    if root.tag != SVG_ROOT_TAG:
        raise InvalidImage(f'the root element must be <svg> with xmlns="{SVG_NS}"')
    _clean_attributes(root, "svg")
    _clean_children(root)


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
        for name in [*_LINK_ONLY_ATTRIBUTES, XLINK_HREF]:
            element.attrib.pop(name, None)
    return local if local in ALLOWED_ELEMENTS else None


def _element_is_safe(element: Element, local: str) -> bool:
    if local in _REFERENCE_ELEMENTS:
        return "href" in element.attrib or XLINK_HREF in element.attrib
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
