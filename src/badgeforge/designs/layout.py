"""Placing a badge's icon, title and subtitle inside a design's text area, readable or refused.

Designs are drawn 512 units wide and checked as shown at the reference display size, 240
CSS px: the size of the badge on its public page (``.badge-image`` in pages.css). So one
drawing unit is 240/512 px. The title starts large and shrinks, rewrapping, until it fits;
it never goes below ``MIN_TITLE_PX`` at the reference size: a title that would need to is
refused (TextDoesNotFit) instead of being drawn too small to read.
"""

import math
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from badgeforge.designs.metrics import text_width

DRAWING_SIZE = 512
REFERENCE_DISPLAY_PX = 240
SCALE = REFERENCE_DISPLAY_PX / DRAWING_SIZE
"""CSS pixels shown per drawing unit at the reference display size."""
MIN_TITLE_PX = 16.0
MAX_TITLE_PX = 26.0
SUBTITLE_PX = 16.0
MAX_TITLE_LINES = 4
LINE_HEIGHT = 1.15
ICON_SIZE = 88.0
GAP = 14.0
CIRCLE_MARGIN = 12.0
"""Room kept between a line's ends and the round edge of a circular area."""
FONT_FAMILY = "DejaVu Sans, Verdana, Arial, sans-serif"


def units(px: float) -> float:
    """Drawing units for ``px`` CSS pixels at the reference display size."""
    return px / SCALE


@dataclass(frozen=True, slots=True)
class TextArea:
    """Where a design's content goes: a box, and optionally a circle lines must stay inside."""

    x: float
    y: float
    width: float
    height: float
    circle: tuple[float, float, float] | None = None

    @property
    def centre_x(self) -> float:
        """The horizontal middle, where every line is centred."""
        return self.x + self.width / 2

    def width_between(self, top: float, bottom: float) -> float:
        """The width free for a band of text from ``top`` to ``bottom``."""
        if self.circle is None:
            return self.width
        _, cy, radius = self.circle
        farthest = max(abs(top - cy), abs(bottom - cy))
        if farthest >= radius:
            return 0.0
        chord = 2 * math.sqrt(radius * radius - farthest * farthest) - 2 * CIRCLE_MARGIN
        return min(self.width, chord)


class TextDoesNotFit(Exception):
    """The title or subtitle cannot be drawn at a readable size in the design."""

    def __init__(self, field: str, detail: str) -> None:
        super().__init__(detail)
        self.field = field
        self.detail = detail


@dataclass(frozen=True, slots=True)
class Line:
    """One line of text and its baseline."""

    text: str
    y: float


@dataclass(frozen=True)
class Layout:
    """Where everything goes, in drawing units."""

    centre_x: float
    title_size: float
    title_lines: tuple[Line, ...]
    icon_box: tuple[float, float, float] | None = None  # x, y, size
    subtitle: Line | None = None
    subtitle_size: float = field(default_factory=lambda: units(SUBTITLE_PX))

    @property
    def title_px(self) -> float:
        """The title's size in CSS px at the reference display size."""
        return self.title_size * SCALE


def wrap(text: str, width: float, size: float) -> list[str] | None:
    """Greedy word wrap to ``width`` at ``size``; None when one word alone is too wide."""
    lines: list[str] = []
    for word in text.split():
        if text_width(word, size) > width:
            return None
        if lines and text_width(f"{lines[-1]} {word}", size) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def _title_sizes() -> list[float]:
    largest, smallest = units(MAX_TITLE_PX), units(MIN_TITLE_PX)
    sizes = [largest - 2 * step for step in range(int((largest - smallest) // 2) + 1)]
    return [*sizes, smallest] if sizes[-1] > smallest else sizes


def fit(title: str, area: TextArea, *, icon: bool, subtitle: str | None) -> Layout:
    """The largest readable layout of ``title`` (and icon, subtitle); raises TextDoesNotFit."""
    for size in _title_sizes():
        for count in range(1, MAX_TITLE_LINES + 1):
            layout = _try(title, area, size, count, icon=icon, subtitle=subtitle)
            if layout is not None:
                _check_subtitle(layout, area)
                return layout
    raise TextDoesNotFit("title", _too_long(title, area, icon=icon, subtitle=subtitle))


def _extras(icon: bool, subtitle: str | None) -> tuple[float, float]:
    above = ICON_SIZE + GAP if icon else 0.0
    below = GAP + units(SUBTITLE_PX) * LINE_HEIGHT if subtitle else 0.0
    return above, below


def _try(
    title: str, area: TextArea, size: float, count: int, *, icon: bool, subtitle: str | None
) -> Layout | None:
    above, below = _extras(icon, subtitle)
    line_height = size * LINE_HEIGHT
    block = above + count * line_height + below
    if block > area.height:
        return None
    top = area.y + (area.height - block) / 2
    title_top = top + above
    width = area.width_between(title_top, title_top + count * line_height)
    lines = wrap(title, width, size)
    if not lines or len(lines) > count:
        return None
    return _place(lines, area, size, icon=icon, subtitle=subtitle)


def _place(
    lines: list[str], area: TextArea, size: float, *, icon: bool, subtitle: str | None
) -> Layout:
    above, below = _extras(icon, subtitle)
    line_height = size * LINE_HEIGHT
    top = area.y + (area.height - (above + len(lines) * line_height + below)) / 2
    title_top = top + above
    placed = tuple(
        Line(text, _baseline(title_top + index * line_height, line_height, size))
        for index, text in enumerate(lines)
    )
    icon_box = (area.centre_x - ICON_SIZE / 2, top, ICON_SIZE) if icon else None
    subtitle_line = None
    if subtitle:
        sub_size = units(SUBTITLE_PX)
        sub_top = title_top + len(lines) * line_height + GAP
        subtitle_line = Line(subtitle, _baseline(sub_top, sub_size * LINE_HEIGHT, sub_size))
    return Layout(area.centre_x, size, placed, icon_box, subtitle_line)


def _baseline(top: float, line_height: float, size: float) -> float:
    # Centre the capitals (0.73 em tall in DejaVu Sans) in the line box.
    return top + line_height / 2 + 0.365 * size


def _check_subtitle(layout: Layout, area: TextArea) -> None:
    if layout.subtitle is None:
        return
    size = layout.subtitle_size
    top = layout.subtitle.y - 0.365 * size - size * LINE_HEIGHT / 2
    width = area.width_between(top, top + size * LINE_HEIGHT)
    if text_width(layout.subtitle.text, size) > width:
        raise TextDoesNotFit(
            "subtitle",
            f"The subtitle {layout.subtitle.text!r} is too long to fit on one line of this "
            f"design at {SUBTITLE_PX:g} px (badge shown {REFERENCE_DISPLAY_PX} px wide); "
            "shorten it (a level such as 'Cercle 2' fits).",
        )


def _too_long(title: str, area: TextArea, *, icon: bool, subtitle: str | None) -> str:
    size = units(MIN_TITLE_PX)
    widest = max(title.split(), key=lambda word: text_width(word, size), default="")
    extras = " with an icon" if icon else ""
    extras += " and a subtitle" if subtitle and icon else " with a subtitle" if subtitle else ""
    if text_width(widest, size) > area.width:
        return (
            f"The word {widest!r} in the title is too wide for this design even at the "
            f"smallest readable size ({MIN_TITLE_PX:g} px on a badge shown "
            f"{REFERENCE_DISPLAY_PX} px wide); shorten or split it."
        )
    return (
        f"The title ({len(title)} characters) does not fit in this design{extras} at the "
        f"smallest readable size ({MIN_TITLE_PX:g} px on a badge shown "
        f"{REFERENCE_DISPLAY_PX} px wide, at most {MAX_TITLE_LINES} lines); shorten it, "
        "or leave out the icon or subtitle, instead of making the text unreadable."
    )


def title_svg(layout: Layout, colour: str) -> str:
    """The ``<text>`` elements of the title and subtitle, in ``colour``."""
    common = f'font-family="{FONT_FAMILY}" fill="{colour}" text-anchor="middle"'
    x = f"{layout.centre_x:g}"
    spans = "".join(
        f'<tspan x="{x}" y="{line.y:.1f}">{escape(line.text)}</tspan>'
        for line in layout.title_lines
    )
    parts = [
        f'<text {common} font-size="{layout.title_size:.1f}" font-weight="bold">{spans}</text>'
    ]
    if layout.subtitle is not None:
        parts.append(
            f'<text {common} font-size="{layout.subtitle_size:.1f}" x="{x}" '
            f'y="{layout.subtitle.y:.1f}">{escape(layout.subtitle.text)}</text>'
        )
    return "".join(parts)
