"""The catalogue of ready-made badge class templates, read once from ``badge_templates/``.

Each template is one JSON file of ``badge_templates/badge-classes/``, named after its key.
The files ship with the release: a file that does not validate is a bug of the release,
reported with the file's name, never served in part.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pydantic import ValidationError

from badgeforge.class_templates.schemas import BadgeClassTemplate
from badgeforge.problems import NotFound
from badgeforge.settings import Settings

FOLDER = "badge-classes"
MAX_FILE_BYTES = 256 * 1024


class TemplateFileError(Exception):
    """A shipped template file is missing its key, too big or does not validate."""


@dataclass(frozen=True)
class Catalogue:
    """The templates by key, in natural key order (``rectec-c2`` before ``rectec-c10``)."""

    templates: Mapping[str, BadgeClassTemplate]

    def list(self) -> list[BadgeClassTemplate]:
        """Every template, in catalogue order."""
        return list(self.templates.values())

    def get(self, key: str) -> BadgeClassTemplate:
        """The template ``key``; ``NotFound`` if the catalogue has none by that key."""
        template = self.templates.get(key)
        if template is None:
            raise NotFound(
                f"No badge class template has the key {key!r}; "
                "GET /api/v1/badge-class-templates lists them.",
                key=key,
            )
        return template


def catalogue_folder(settings: Settings) -> Path:
    """Where the template files of this deployment are."""
    return settings.badge_templates_dir / FOLDER


def catalogue(settings: Settings) -> Catalogue:
    """The catalogue of this deployment (read once per folder, then cached)."""
    return load_catalogue(catalogue_folder(settings))


@lru_cache(maxsize=4)
def load_catalogue(folder: Path) -> Catalogue:
    """Read and validate every ``*.json`` template of ``folder`` (none if it is missing)."""
    paths = sorted(folder.glob("*.json"), key=lambda path: _natural(path.stem))
    templates = [read_template(path) for path in paths]
    return Catalogue({template.key: template for template in templates})


def read_template(path: Path) -> BadgeClassTemplate:
    """One template file, validated; ``TemplateFileError`` names the file and the fault."""
    data = path.read_bytes()
    if len(data) > MAX_FILE_BYTES:
        raise TemplateFileError(f"{path.name} is larger than {MAX_FILE_BYTES} bytes")
    try:
        template = BadgeClassTemplate.model_validate_json(data, strict=True)
    except ValidationError as error:
        message = f"{path.name} is not a valid badge class template: {error}"
        raise TemplateFileError(message) from error
    if template.key != path.stem:
        raise TemplateFileError(f"{path.name} holds the key {template.key!r}, not {path.stem!r}")
    return template


def _natural(text: str) -> list[int | str]:
    """Sort key that orders the numbers inside ``text`` by value."""
    parts = re.split(r"(\d+)", text)
    return [int(part) if part.isdigit() else part for part in parts]
