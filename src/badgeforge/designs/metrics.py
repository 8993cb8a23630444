# ruff: noqa: RUF001  (the width table lists look-alike characters on purpose)
"""How wide badge text is drawn: advance widths of DejaVu Sans Bold, the badges' font.

Measured from the font (``fonts-dejavu-core``, which the image installs) and rounded *up* to
1/40 em, so a line measured to fit does fit. Characters not listed (other scripts, emoji)
count as 1 em, wider than almost any glyph; combining marks count as nothing. Kerning is
ignored: it only makes lines narrower. A viewer that falls back to another font (Arial,
the generic sans-serif) draws narrower text still.
"""

import unicodedata

_BY_WIDTH: dict[int, str] = {
    325: "'",
    350: " ijlìíîïĩīĭįıĵĺļ",
    375: "/IJ\\|¦ÌÍÎÏĨĪĬĮİĴł",
    400: ",.:;·‘’",
    425: "-",
    450: "f²³¹ſ",
    475: "!()[]¡",
    500: "_`rt§¨¯°´¸ľŕŗřţťŧ–",
    525: '"*',
    575: "ªºŀ",
    600: "?csz¿çćĉċčśŝşšźżž",
    650: "Lx¤«¶»ĹĻĽĿŁ•",
    675: "akvyàáâãäåýÿāăąķĸŷ“”",
    700: "$0123456789EFTeo¢£¥ÈÉÊËèéêëðòóôõöøĒēĔĕĖėĘęĚěĳōŏőŢŤŦ€",
    725: "SYbdghnpqu{}ÝßñùúûüþďđĝğġģĥńņňŋŚŜŞŠũūŭůűųŶŸ",
    750: "CPZµÇÞĆĈĊČĲŹŻŽ",
    775: "ABKRVXÀÁÂÃÄÅĀĂĄĶŔŖŘ",
    800: "ħ",
    825: "GUÙÚÛÜĜĞĠĢŨŪŬŮŰŲ",
    850: "#+<=>DHN^~¬±ÐÑ×÷ĎĐĤŃŅŇŊ",
    875: "&OQÒÓÔÕÖØŌŎŐ",
    925: "wŵ",
    975: "Ħ",
    1000: "@M©®ŉ—…",
    1025: "%",
    1050: "m¼½¾æ",
    1100: "Æœ",
    1125: "WŴ",
    1175: "Œ",
}
"""Characters by advance width in thousandths of an em."""

WIDTHS: dict[str, float] = {
    character: width / 1000 for width, characters in _BY_WIDTH.items() for character in characters
}
UNKNOWN_WIDTH = 1.0


def character_width(character: str) -> float:
    """Advance width of one character, in em."""
    if unicodedata.combining(character):
        return 0.0
    return WIDTHS.get(character, UNKNOWN_WIDTH)


def text_width(text: str, font_size: float) -> float:
    """Width of ``text`` drawn at ``font_size`` (same unit as the size)."""
    return sum(character_width(character) for character in text) * font_size
