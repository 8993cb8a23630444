"""Numbers, transforms and style properties of SVG elements, read the way renderers do.

Helpers of ``badgeforge.core.svg_budget``: scales (device pixels per user unit) from
``transform``, ``viewBox`` and nested ``<svg>``, and ``url(#id)`` references from attributes,
``style`` and stylesheets.
"""

from __future__ import annotations

import math
import re
from xml.etree.ElementTree import Element

from badgeforge.core.errors import ImageTooComplex
from badgeforge.core.svg import split_tag

NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_URL_REFERENCE = re.compile(r"url\(\s*['\"]?\s*#([^'\")\s]+)", re.IGNORECASE)
_TRANSFORM = re.compile(r"([A-Za-z]+)\s*\(([^)]*)\)")


def style_properties(element: Element) -> dict[str, str]:
    properties = dict(element.attrib)
    for declaration in element.get("style", "").split(";"):
        name, _, value = declaration.partition(":")
        if value:
            properties[name.strip().lower()] = value.strip()
    return properties


def sheet_references(root: Element) -> list[tuple[str, str]]:
    references = []
    for element in root.iter():
        if split_tag(element.tag)[1] == "style":
            for declaration in re.split(r"[;{}]", element.text or ""):
                name, _, value = declaration.partition(":")
                ref = url_reference(value)
                if ref:
                    references.append((name.strip().lower(), ref))
    return references


def url_reference(value: str | None) -> str:
    match = _URL_REFERENCE.search(value or "")
    return match.group(1) if match else ""


def vertices(element: Element) -> int:
    data = element.get("d", "") + " " + element.get("points", "")
    return max(3, len(NUMBER.findall(data)) // 2 + 1)


def first_number(value: str | None) -> float:
    match = NUMBER.search(value or "")
    return float(match.group()) if match else 0.0


def _numbers(value: str) -> list[float]:
    return [float(number) for number in NUMBER.findall(value)]


def finite(value: float) -> float:
    if not math.isfinite(value):
        raise ImageTooComplex("SVG transforms or sizes are out of range")
    return value


def transform_scale(value: str | None) -> float:
    scale = 1.0
    for name, arguments in _TRANSFORM.findall(value or ""):
        numbers = _numbers(arguments)
        if name == "scale" and numbers:
            scale *= max(abs(n) for n in numbers[:2])
        elif name == "matrix" and len(numbers) >= 4:
            a, b, c, d = numbers[:4]
            scale *= max(math.hypot(a, b), math.hypot(c, d))
        elif name in ("skewX", "skewY") and numbers:
            scale *= 1 + abs(math.tan(math.radians(numbers[0])))
    return scale


def user_size(element: Element) -> tuple[float, float] | None:
    box = _numbers(element.get("viewBox", ""))
    if len(box) == 4 and box[2] > 0 and box[3] > 0:
        return box[2], box[3]
    return None


def root_scale(root: Element, canvas: tuple[int, int]) -> float:
    size = user_size(root) or (first_number(root.get("width")), first_number(root.get("height")))
    if size[0] <= 0 or size[1] <= 0:
        return 1.0
    return finite(max(canvas[0] / size[0], canvas[1] / size[1]))


def nested_scale(element: Element) -> float:
    box = user_size(element)
    width, height = first_number(element.get("width")), first_number(element.get("height"))
    if box is None or width <= 0 or height <= 0:
        return 1.0
    return max(width / box[0], height / box[1])
