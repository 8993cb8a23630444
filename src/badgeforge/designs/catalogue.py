"""What badge images can be made of: designs and icons from ``badge_templates/``, colour schemes.

A design is an SVG in the templates folder with ``{{PRIMARY}}``, ``{{SECONDARY}}``,
``{{TEXT}}`` (colours), ``{{TITLE}}`` (its accessible name) and ``{{CONTENT}}`` (where the
icon, title and subtitle go) placeholders, described by comments before its root:
``design-title: FR | EN``, ``design-description: FR | EN``, ``design-text-area: X Y W H``
(where the content may go, over the primary colour) and optionally ``design-text-circle:
CX CY R`` (a round area: each line must also fit inside the circle); without a text area, the
middle ``DEFAULT_AREA`` of a 512-unit drawing is used. An icon is an SVG in ``icons/``
drawn in ``currentColor``, with an ``icon-title: FR | EN`` comment. Nothing here touches
the network or a database.
"""

import re
from dataclasses import dataclass
from pathlib import Path

from badgeforge.designs.layout import TextArea

NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
ICONS_FOLDER = "icons"
DEFAULT_AREA = (96.0, 96.0, 320.0, 320.0)


@dataclass(frozen=True, slots=True)
class Localised:
    """A short text in French and English."""

    fr: str
    en: str


@dataclass(frozen=True, slots=True)
class Design:
    """A badge shape: its SVG template and where its content goes."""

    name: str
    title: Localised
    description: Localised
    area: TextArea
    path: Path


@dataclass(frozen=True, slots=True)
class Scheme:
    """A named colour scheme whose text colour passes WCAG AA on its primary colour."""

    name: str
    title: Localised
    primary: str
    secondary: str
    text: str


@dataclass(frozen=True, slots=True)
class Icon:
    """A simple line icon drawn above the title."""

    name: str
    title: Localised
    path: Path


SCHEMES: dict[str, Scheme] = {
    scheme.name: scheme
    for scheme in (
        Scheme("bleu-nuit", Localised("Bleu nuit", "Night blue"), "#1d4e89", "#f2a541", "#ffffff"),
        Scheme(
            "vert-foret", Localised("Vert forêt", "Forest green"), "#1e6b3a", "#9fd8b0", "#ffffff"
        ),
        Scheme("bordeaux", Localised("Bordeaux", "Burgundy"), "#7a1f3d", "#e9c46a", "#ffffff"),
        Scheme("violet", Localised("Violet", "Violet"), "#5b2a86", "#c9a7eb", "#ffffff"),
        Scheme("ardoise", Localised("Ardoise", "Slate"), "#2f3e46", "#84a98c", "#ffffff"),
        Scheme("soleil", Localised("Soleil", "Sunshine"), "#ffd166", "#c2410c", "#1b1b1b"),
    )
}
"""The named schemes; ``bleu-nuit`` is the default (the colours badge images always had)."""
DEFAULT_SCHEME = "bleu-nuit"

_COMMENT = re.compile(r"<!--\s*([a-z-]+):\s*(.*?)\s*-->", re.DOTALL)


def _comments(path: Path) -> dict[str, str]:
    text = path.read_text(encoding="utf-8")
    head = text[: text.find("<svg")] if "<svg" in text else text
    return dict(_COMMENT.findall(head))


def _localised(value: str | None, fallback: str) -> Localised:
    french, _, english = (value or fallback).partition("|")
    return Localised(french.strip(), (english or french).strip())


def _numbers(value: str | None, count: int) -> tuple[float, ...] | None:
    try:
        numbers = tuple(float(part) for part in (value or "").split())
    except ValueError:
        return None
    return numbers if len(numbers) == count and all(n >= 0 for n in numbers) else None


def _design(path: Path) -> Design:
    meta = _comments(path)
    box = _numbers(meta.get("design-text-area"), 4) or DEFAULT_AREA
    circle = _numbers(meta.get("design-text-circle"), 3)
    return Design(
        name=path.stem,
        title=_localised(meta.get("design-title"), path.stem),
        description=_localised(meta.get("design-description"), ""),
        area=TextArea(
            x=box[0],
            y=box[1],
            width=box[2],
            height=box[3],
            circle=(circle[0], circle[1], circle[2]) if circle else None,
        ),
        path=path,
    )


def designs(folder: Path) -> list[Design]:
    """Every design in ``folder``, sorted by name."""
    return [_design(path) for path in sorted(folder.glob("*.svg")) if NAME.match(path.stem)]


def find_design(folder: Path, name: str) -> Design | None:
    """The design called ``name``, if there is one."""
    path = folder / f"{name}.svg"
    return _design(path) if NAME.match(name) and path.is_file() else None


def _icon(path: Path) -> Icon:
    return Icon(path.stem, _localised(_comments(path).get("icon-title"), path.stem), path)


def icons(folder: Path) -> list[Icon]:
    """Every icon in ``folder``/icons, sorted by name."""
    paths = sorted((folder / ICONS_FOLDER).glob("*.svg"))
    return [_icon(path) for path in paths if NAME.match(path.stem)]


def find_icon(folder: Path, name: str) -> Icon | None:
    """The icon called ``name``, if there is one."""
    path = folder / ICONS_FOLDER / f"{name}.svg"
    return _icon(path) if NAME.match(name) and path.is_file() else None
