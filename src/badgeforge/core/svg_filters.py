"""The limits of one render, and the cost of one SVG filter primitive with its parameters bounded.

Costs are in pixel passes: one simple operation on every pixel of the filter region. They
were measured on resvg at 512 px: a turbulence octave costs about 6 passes, a morphology
with radius r about (2r + 1)**2 / 4, a convolution of order n about n**2 / 2, a blur about
6 whatever its deviation (resvg uses box blurs). ``badgeforge.core.svg_budget`` adds them up.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from xml.etree.ElementTree import Element

from badgeforge.core.errors import ImageTooComplex
from badgeforge.core.svg import XLINK_HREF, split_tag

_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_FLAT_COST = {"feDisplacementMap": 2.0, "feImage": 2.0, "feTile": 2.0}
_LIGHTING = frozenset({"feDiffuseLighting", "feSpecularLighting"})


@dataclass(frozen=True, slots=True)
class RenderLimits:
    """What one rasterisation may ask of the renderer; the defaults fit badges at 512 px."""

    max_elements: int = 10_000
    """Elements drawn, counting every expansion of ``<use>`` and ``url(#id)`` references."""
    max_path_data: int = 2_000_000
    """Characters of path data (``d``, ``points``) drawn, references expanded."""
    max_text: int = 20_000
    """Characters of text drawn, references expanded."""
    max_filter_primitives: int = 16
    """Primitives in one ``<filter>``."""
    max_filter_runs: int = 64
    """Filter primitives run in one render (each filter times the elements using it)."""
    max_turbulence_octaves: int = 10
    max_morphology_radius: float = 32.0
    """Largest ``feMorphology`` radius, in device pixels."""
    max_blur_deviation: float = 512.0
    """Largest ``feGaussianBlur``/``feDropShadow`` standard deviation, in device pixels."""
    max_convolve_order: int = 9
    max_transfer_values: int = 256
    """Values in one ``tableValues`` list of ``feComponentTransfer``."""
    max_raster_side: int = 4096
    """Largest width or height of one embedded raster, read from its header."""
    max_raster_pixels: int = 4_194_304
    """Largest width x height of one embedded raster, read from its header."""
    max_raster_total: int = 16_777_216
    """Embedded raster pixels decoded in one render, references expanded."""
    max_pattern_pixels: int = 4_194_304
    """Largest pattern tile, in device pixels."""
    max_work: int = 100_000_000
    """Filter work in pixel passes (one pass: one simple operation on every pixel of the
    canvas, about 20 ns per pixel in resvg); the default is about two seconds."""


@dataclass(frozen=True, slots=True)
class FilterCost:
    """Pixel passes of one primitive, and what it draws by reference (``feImage``)."""

    passes: float
    href: str = ""


def filter_cost(primitive: Element, unit: float, limits: RenderLimits) -> FilterCost:
    """Return the cost of `primitive`, or raise ImageTooComplex when a parameter is too large.

    `unit` is the number of device pixels per user unit (the scale the filter renders at).
    """
    local = split_tag(primitive.tag)[1]
    if local == "feTurbulence":
        return FilterCost(6.0 * _octaves(primitive, limits))
    if local == "feMorphology":
        rx, ry = _pair(primitive.get("radius"), 0.0)
        rx, ry = rx * unit, ry * unit
        _at_most(max(rx, ry), limits.max_morphology_radius, "feMorphology radius", "pixels")
        return FilterCost((2 * max(rx, 0) + 1) * (2 * max(ry, 0) + 1) / 4)
    if local in ("feGaussianBlur", "feDropShadow"):
        deviation = max(_pair(primitive.get("stdDeviation"), 0.0)) * unit
        _at_most(deviation, limits.max_blur_deviation, f"{local} stdDeviation", "pixels")
        return FilterCost(6.0)
    if local == "feConvolveMatrix":
        return FilterCost(_convolution(primitive, limits) / 2)
    if local == "feComponentTransfer":
        for function in primitive:
            values = len(_NUMBER.findall(function.get("tableValues", "")))
            _at_most(values, limits.max_transfer_values, "feComponentTransfer tableValues", "")
        return FilterCost(1.0)
    if local in _LIGHTING:
        return FilterCost(8.0)
    href = (primitive.get("href") or primitive.get(XLINK_HREF) or "").strip()
    return FilterCost(_FLAT_COST.get(local, 1.0), href if local == "feImage" else "")


def _octaves(primitive: Element, limits: RenderLimits) -> int:
    first = _NUMBER.search(primitive.get("numOctaves") or "")
    octaves = int(min(float(first.group()), 1e9)) if first else 1
    _at_most(octaves, limits.max_turbulence_octaves, "feTurbulence numOctaves", "")
    return max(octaves, 1)


def _convolution(primitive: Element, limits: RenderLimits) -> int:
    order_x, order_y = _pair(primitive.get("order"), 3.0)
    for order in (order_x, order_y):
        _at_most(order, limits.max_convolve_order, "feConvolveMatrix order", "")
    kernel = len(_NUMBER.findall(primitive.get("kernelMatrix", "")))
    _at_most(kernel, limits.max_convolve_order**2, "feConvolveMatrix kernelMatrix values", "")
    return max(int(order_x), 1) * max(int(order_y), 1)


def _pair(value: str | None, default: float) -> tuple[float, float]:
    numbers = [float(number) for number in _NUMBER.findall(value or "")]
    if not numbers:
        return default, default
    first = numbers[0]
    second = numbers[1] if len(numbers) > 1 else first
    if not (math.isfinite(first) and math.isfinite(second)):
        raise ImageTooComplex("an SVG filter parameter is out of range")
    return first, second


def _at_most(value: float, limit: float, what: str, unit: str) -> None:
    if value > limit:
        if unit:
            raise ImageTooComplex(
                f"SVG {what} is {value:.0f} {unit} at this size; the limit is {limit:g} {unit}"
            )
        raise ImageTooComplex(f"SVG {what} is {value:g}; the limit is {limit:g}")
