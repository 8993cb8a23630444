"""What rasterising a sanitised SVG may cost, estimated and bounded before the renderer runs.

A few hundred bytes of SVG can ask a renderer for minutes of CPU (``feTurbulence`` with 1000
octaves, ``feMorphology`` with a 500-pixel radius) or gigabytes of memory (a 16000x16000 PNG
in a ``data:`` URI), and ``<use>`` can expand a small tree exponentially (billion laughs
without entities). ``check_render_budget`` walks the tree the way the renderer will: every
``<use>``, ``href`` and ``url(#id)`` reference expanded (markers once per vertex, paint
servers once per shape, stylesheet references on every element), filter parameters scaled to
device pixels, and embedded rasters measured from their headers. It refuses, with a message
saying which limit, anything past ``RenderLimits``.

This is an estimate, not a renderer: some constructs are only approximated. The hard
guarantee is the platform's render worker (``badgeforge.rendering``), a separate process
with a memory limit and a wall-clock timeout; this check makes the common bombs fail fast
with a clear reason and keeps honest badges far from those limits.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from xml.etree.ElementTree import Element

from badgeforge.core.errors import ImageTooComplex, InvalidImage
from badgeforge.core.rasters import raster_size
from badgeforge.core.svg import MAX_SVG_DEPTH, XLINK_HREF, SvgTree, split_tag
from badgeforge.core.svg_filters import FilterCost, RenderLimits, filter_cost
from badgeforge.core.svg_units import (
    finite,
    first_number,
    nested_scale,
    root_scale,
    sheet_references,
    style_properties,
    transform_scale,
    url_reference,
    vertices,
)

__all__ = ["RenderLimits", "check_render_budget"]


@dataclass(slots=True)
class _Work:
    elements: int = 0
    path_data: int = 0
    text: int = 0
    raster_pixels: int = 0
    filter_runs: int = 0
    passes: float = 0.0

    def add(self, other: _Work, times: int = 1) -> None:
        self.elements += other.elements * times
        self.path_data += other.path_data * times
        self.text += other.text * times
        self.raster_pixels += other.raster_pixels * times
        self.filter_runs += other.filter_runs * times
        self.passes += other.passes * times


_DATA_URI = re.compile(r"\s*data:image/(png|jpeg);base64,(.*)", re.IGNORECASE | re.DOTALL)
_SHAPES = frozenset(
    {"path", "rect", "circle", "ellipse", "line", "polyline", "polygon", "text", "image"}
)
_TEXT = frozenset({"text", "tspan", "textPath"})
_PAINT = ("fill", "stroke")
_MARKERS = ("marker-start", "marker-mid", "marker-end", "marker")
_OWN = ("filter", "mask", "clip-path")
_NOT_DRAWN_IN_PLACE = frozenset({"filter", "style", "title", "desc"})


def check_render_budget(tree: SvgTree, *, width: int, height: int, limits: RenderLimits) -> None:
    """Refuse (ImageTooComplex, InvalidImage) an SVG whose render at width x height exceeds limits.

    `tree` must be sanitised: only local ``#id`` references and PNG/JPEG ``data:`` URIs are
    expected in it.
    """
    _Budget(tree, width, height, limits).check()


class _Budget:
    def __init__(self, tree: SvgTree, width: int, height: int, limits: RenderLimits) -> None:
        self.root, self.limits = tree.root, limits
        self.canvas = (width, height)
        self.ids: dict[str, list[Element]] = {}
        for element in self.root.iter():
            if element.get("id"):
                self.ids.setdefault(element.get("id", "").strip(), []).append(element)
        self.memo: dict[tuple[int, float, tuple[str, ...]], _Work] = {}
        self.active: set[int] = set()
        sheet_refs = sheet_references(self.root)
        self.sheet_paint = tuple(ref for prop, ref in sheet_refs if prop in (*_PAINT, *_MARKERS))
        self.sheet_own = tuple(ref for prop, ref in sheet_refs if prop in _OWN)

    def check(self) -> None:
        scale = root_scale(self.root, self.canvas)
        self._visit(self.root, scale, 1, self.sheet_paint)

    def _visit(self, element: Element, scale: float, depth: int, paint: tuple[str, ...]) -> _Work:
        if depth > MAX_SVG_DEPTH:
            raise ImageTooComplex(
                f"SVG elements and references are nested more than {MAX_SVG_DEPTH} deep"
            )
        local = split_tag(element.tag)[1]
        scale = finite(scale * transform_scale(element.get("transform")))
        if local == "svg" and element is not self.root:
            scale = finite(scale * nested_scale(element))
        properties = style_properties(element)
        paint = (*paint, *(url_reference(properties.get(name)) for name in (*_PAINT, *_MARKERS)))
        paint = tuple(ref for ref in paint if ref)
        key = (id(element), float(f"{scale:.3g}"), paint)
        if key in self.memo:
            return self.memo[key]
        if id(element) in self.active:
            raise ImageTooComplex(f"SVG element <{local}> refers to itself through a reference")
        self.active.add(id(element))
        work = self._own_work(element, local, scale, depth, paint, properties)
        self.active.discard(id(element))
        self._check(work)
        self.memo[key] = work
        return work

    def _own_work(
        self,
        element: Element,
        local: str,
        scale: float,
        depth: int,
        paint: tuple[str, ...],
        properties: dict[str, str],
    ) -> _Work:
        work = _Work(elements=1)
        work.path_data = len(element.get("d", "")) + len(element.get("points", ""))
        if local in _TEXT:
            work.text = len(element.text or "") + sum(len(c.tail or "") for c in element)
        if local == "pattern":
            self._check_pattern(element, scale)
        if local not in _NOT_DRAWN_IN_PLACE:
            for child in element:
                work.add(self._visit(child, scale, depth + 1, paint))
        href = (element.get("href") or element.get(XLINK_HREF) or "").strip()
        if href.startswith("#") and local != "filter":  # <use> passes its paint on
            inherited = paint if local == "use" else ()
            work.add(self._reference(href[1:], scale, depth, inherited, explicit=True))
        elif href and local == "image":
            work.add(self._raster(href))
        if local in _SHAPES:
            for ref in paint:
                times = vertices(element) if self._is_marker(ref) else 1
                work.add(self._reference(ref, scale, depth, ()), times)
        for name in _OWN:
            ref = url_reference(properties.get(name))
            if ref:
                work.add(self._reference(ref, scale, depth, (), as_filter=name == "filter"))
        for ref in self.sheet_own:
            work.add(self._reference(ref, scale, depth, (), as_filter=True))
        return work

    def _reference(
        self,
        ref: str,
        scale: float,
        depth: int,
        paint: tuple[str, ...],
        *,
        as_filter: bool = False,
        explicit: bool = False,
    ) -> _Work:
        # A painted or masked element inside its own paint server, mask or marker is not
        # drawn again by the renderer; only an explicit href cycle is refused.
        best = _Work()
        for target in self.ids.get(ref, []):
            if id(target) in self.active and not explicit:
                continue
            if as_filter or split_tag(target.tag)[1] == "filter":
                if split_tag(target.tag)[1] != "filter":
                    continue
                work = self._filter(target, scale, depth)
            else:
                work = self._visit(target, scale, depth + 1, paint)
            if work.elements + work.passes > best.elements + best.passes:
                best = work
        return best

    def _is_marker(self, ref: str) -> bool:
        return any(split_tag(e.tag)[1] == "marker" for e in self.ids.get(ref, []))

    def _filter(self, element: Element, scale: float, depth: int) -> _Work:
        primitives = [child for child in element if split_tag(child.tag)[1].startswith("fe")]
        href = (element.get("href") or element.get(XLINK_HREF) or "").strip()
        if not primitives and href.startswith("#"):
            for target in self.ids.get(href[1:], [])[:1]:
                if id(target) in self.active or target is element:
                    raise ImageTooComplex("SVG filter refers to itself through href")
                self.active.add(id(element))
                try:
                    return self._filter(target, scale, depth + 1)
                finally:
                    self.active.discard(id(element))
        if len(primitives) > self.limits.max_filter_primitives:
            raise ImageTooComplex(
                f"an SVG filter has {len(primitives)} primitives; "
                f"the limit is {self.limits.max_filter_primitives}"
            )
        units = element.get("primitiveUnits", "userSpaceOnUse").strip()
        unit = scale if units != "objectBoundingBox" else float(max(self.canvas))
        work = _Work(filter_runs=len(primitives), elements=1)
        pixels = self.canvas[0] * self.canvas[1]
        for primitive in primitives:
            cost: FilterCost = filter_cost(primitive, unit, self.limits)
            work.passes += cost.passes * pixels
            if cost.href.startswith("#"):
                work.add(self._reference(cost.href[1:], scale, depth + 1, ()))
            elif cost.href:
                work.add(self._raster(cost.href))
        return work

    def _raster(self, href: str) -> _Work:
        match = _DATA_URI.fullmatch(href)
        if match is None:
            raise InvalidImage("SVG embeds an image that is not a PNG or JPEG data: URI")
        declared, payload = match.group(1).upper(), re.sub(r"\s+", "", match.group(2))
        try:
            data = base64.b64decode(payload, validate=True)
        except binascii.Error as exc:
            raise InvalidImage("an image embedded in the SVG is not valid base64") from exc
        size = raster_size(data)
        if size is None:  # too short to declare a size: the renderer draws nothing
            return _Work()
        if size.kind != declared:
            raise InvalidImage(f"an image embedded as {declared} in the SVG is a {size.kind}")
        limits = self.limits
        if size.width > limits.max_raster_side or size.height > limits.max_raster_side:
            raise ImageTooComplex(
                f"an image embedded in the SVG is {size.width}x{size.height} pixels; "
                f"each side must be at most {limits.max_raster_side}"
            )
        if size.pixels > limits.max_raster_pixels:
            raise ImageTooComplex(
                f"an image embedded in the SVG is {size.width}x{size.height} = {size.pixels} "
                f"pixels; the limit is {limits.max_raster_pixels}"
            )
        return _Work(raster_pixels=size.pixels)

    def _check_pattern(self, element: Element, scale: float) -> None:
        if element.get("patternUnits", "objectBoundingBox").strip() == "userSpaceOnUse":
            size = [first_number(element.get(name)) * scale for name in ("width", "height")]
        else:  # a fraction of the bounding box: bounded by the canvas here
            size = [
                first_number(element.get(name)) * side
                for name, side in zip(("width", "height"), self.canvas, strict=True)
            ]
        tile = finite(abs(size[0] * size[1]))
        if tile > self.limits.max_pattern_pixels:
            raise ImageTooComplex(
                f"an SVG pattern tile would be {tile:.0f} pixels; "
                f"the limit is {self.limits.max_pattern_pixels}"
            )

    def _check(self, work: _Work) -> None:
        limits = self.limits
        for value, limit, what in (
            (work.elements, limits.max_elements, "elements drawn"),
            (work.path_data, limits.max_path_data, "characters of path data drawn"),
            (work.text, limits.max_text, "characters of text drawn"),
            (work.raster_pixels, limits.max_raster_total, "embedded image pixels decoded"),
            (work.filter_runs, limits.max_filter_runs, "filter primitives run"),
        ):
            if value > limit:
                raise ImageTooComplex(
                    f"rendering this SVG would mean more than {limit} {what} "
                    "(every <use> and url(#...) reference counted where it is used)"
                )
        if work.passes > limits.max_work:
            raise ImageTooComplex(
                f"the filters of this SVG would need about {work.passes:.2e} pixel operations "
                f"to render; the limit is {limits.max_work:.2e}"
            )
