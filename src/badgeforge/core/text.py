"""Which characters a badge's text may hold: those every format we publish can carry.

Text we accept ends up in JSON-LD documents, in baked SVG (XML) and in PostgreSQL ``text``
columns. XML 1.0 (§2.2, production ``Char``) admits only TAB, LF, CR, U+0020..U+D7FF,
U+E000..U+FFFD and U+10000..U+10FFFF, so a NUL, another C0 control, a lone surrogate or
U+FFFE/U+FFFF can never be baked into an SVG; PostgreSQL refuses NUL in text; a lone
surrogate cannot be encoded as UTF-8 at all. The same section asks authors to avoid DEL and
the C1 controls (except U+0085 NEXT LINE) and the Unicode non-characters (U+FDD0..U+FDEF and
the last two code points of every plane): we refuse those too, as they are never meaningful
in a badge and usually betray text decoded with the wrong character set.
"""

import re
import unicodedata

_PLANE_ENDS = "".join(f"{chr(p << 16 | 0xFFFE)}{chr(p << 16 | 0xFFFF)}" for p in range(17))
_FORBIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufdd0-\ufdef"
    + re.escape(_PLANE_ENDS)
    + "]"
)


def forbidden_character(text: str) -> tuple[int, str] | None:
    """The position and code point of the first character we refuse in ``text``, if any."""
    match = _FORBIDDEN.search(text)
    if match is None:
        return None
    return match.start(), match.group()


def describe_character(character: str) -> str:
    """``U+0000 (NULL)``-style name of a single character, for error messages."""
    name = unicodedata.name(character, "")
    if not name:
        name = _category_name(character)
    return f"U+{ord(character):04X} ({name})"


def _category_name(character: str) -> str:
    category = unicodedata.category(character)
    return {"Cc": "control character", "Cs": "lone surrogate", "Cn": "non-character"}.get(
        category, category
    )
