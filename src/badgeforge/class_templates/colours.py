"""WCAG 2.2 colour contrast, to keep a badge's white title readable on its colours."""

WHITE = "#ffffff"
MIN_TEXT_CONTRAST = 4.5
"""WCAG 2.2 success criterion 1.4.3 (AA) for normal-size text."""


def _channel(value: int) -> float:
    srgb = value / 255
    return srgb / 12.92 if srgb <= 0.04045 else ((srgb + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: str) -> float:
    """The WCAG relative luminance (0 black to 1 white) of a ``#rrggbb`` colour."""
    red, green, blue = (int(colour[index : index + 2], 16) for index in (1, 3, 5))
    return 0.2126 * _channel(red) + 0.7152 * _channel(green) + 0.0722 * _channel(blue)


def contrast_ratio(first: str, second: str) -> float:
    """The WCAG contrast ratio of two ``#rrggbb`` colours, from 1 (same) to 21."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)
