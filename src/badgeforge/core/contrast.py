"""Colour contrast as WCAG 2.2 measures it: relative luminance, contrast ratio, large text.

Success criterion 1.4.3 (Contrast, Minimum, level AA) asks for a contrast ratio of at least
4.5:1 between text and the colour behind it, or 3:1 for *large* text: at least 18 pt
(24 CSS px), or 14 pt (18.66 CSS px) bold. Sizes here are CSS pixels as the text is shown;
the caller converts from its drawing units (a badge drawn 512 units wide shown 240 px wide
has text 240/512 the size of its font-size).
"""

import re
from dataclasses import dataclass

from badgeforge.core.errors import CoreError

NORMAL_TEXT_RATIO = 4.5
LARGE_TEXT_RATIO = 3.0
LARGE_TEXT_PX = 24.0
LARGE_BOLD_TEXT_PX = 18.66
"""14 pt is 18.666… px; WCAG's own wording rounds it to 18.66."""

_HEX_COLOUR = re.compile(r"#([0-9a-fA-F]{6})")


class InvalidColour(CoreError):
    """A colour is not written ``#rrggbb``."""


@dataclass(frozen=True, slots=True)
class ContrastCheck:
    """A measured contrast ratio and the minimum it had to reach."""

    ratio: float
    required: float

    @property
    def passed(self) -> bool:
        """Whether the ratio reaches the minimum (compared unrounded, as WCAG does)."""
        return self.ratio >= self.required


def parse_colour(colour: str) -> tuple[int, int, int]:
    """The red, green and blue channels (0 to 255) of ``#rrggbb``; raises InvalidColour."""
    match = _HEX_COLOUR.fullmatch(colour)
    if match is None:
        raise InvalidColour(f"colour {colour!r} is not of the form #RRGGBB")
    value = int(match.group(1), 16)
    return value >> 16, (value >> 8) & 0xFF, value & 0xFF


def _linear(channel: int) -> float:
    srgb = channel / 255
    # WCAG 2.x writes 0.03928, the sRGB standard 0.04045: no 8-bit value lies between them.
    return srgb / 12.92 if srgb <= 0.04045 else ((srgb + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: str) -> float:
    """WCAG relative luminance of ``#rrggbb``: 0 for black, 1 for white."""
    red, green, blue = (_linear(channel) for channel in parse_colour(colour))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first: str, second: str) -> float:
    """WCAG contrast ratio of two colours, from 1 (same luminance) to 21 (black on white)."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def is_large_text(size_px: float, *, bold: bool) -> bool:
    """Whether text of this displayed size counts as large for WCAG."""
    return size_px >= (LARGE_BOLD_TEXT_PX if bold else LARGE_TEXT_PX)


def required_ratio(size_px: float, *, bold: bool) -> float:
    """The AA minimum contrast ratio for text of this displayed size and weight."""
    return LARGE_TEXT_RATIO if is_large_text(size_px, bold=bold) else NORMAL_TEXT_RATIO


def check_text_contrast(text: str, background: str, *, size_px: float, bold: bool) -> ContrastCheck:
    """Measure text colour against background and the AA minimum for that text size."""
    return ContrastCheck(
        ratio=contrast_ratio(text, background), required=required_ratio(size_px, bold=bold)
    )
