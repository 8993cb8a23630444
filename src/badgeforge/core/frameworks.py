"""Competency frameworks (RECTEC, RNCP blocks…) and their CSV and JSON import formats.

A framework has ordered mastery levels and items (competencies) with a code. Imports are
checked here, without HTTP or a database: every bad CSV row is reported with its line and
every bad JSON field with its path, and nothing is returned unless the whole file is good.
"""

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID, uuid5

from badgeforge.core.errors import CoreError
from badgeforge.core.text import describe_character, forbidden_character

MAX_ITEMS = 1000
MAX_LEVELS = 10
MAX_ROWS = MAX_ITEMS * (MAX_LEVELS + 1)
MAX_PROBLEMS = 100
SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._/-]*$"
LANGUAGE_PATTERN = r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8}){0,3}$"
_URL = re.compile(r"^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?([/?#][^\s<>\"{}|\\^`]*)?$")
_LIMITS = {"slug": 64, "code": 64, "name": 200, "group": 200, "url": 2048, "language": 35}
_DESCRIPTION_LIMIT = 20_000
BUILTIN_NAMESPACE = UUID("5b0c7a0e-6a4d-5d0e-9f59-3c2f1b7f0a11")
"""uuid5 namespace of built-in frameworks: their ids (and their items') never change."""


class FrameworkImportError(CoreError):
    """A framework file with problems; ``problems`` lists each one (nothing is imported)."""

    def __init__(self, problems: list["ImportProblem"]) -> None:
        self.problems = tuple(problems[:MAX_PROBLEMS])
        first = problems[0]
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(f"{first.where}: {first.message}{more}")


@dataclass(frozen=True)
class ImportProblem:
    """One problem: where (``line 4`` or ``items[2].code``), the CSV line if any, and what."""

    where: str
    message: str
    line: int | None = None


@dataclass(frozen=True)
class Translation:
    """A name (and description) in another language."""

    name: str
    description: str | None = None


@dataclass(frozen=True)
class Level:
    """A mastery level of a framework, lowest first (RECTEC: cercle 1 to 4)."""

    number: int
    name: str
    description: str | None = None


@dataclass(frozen=True)
class LevelDescriptor:
    """What one item looks like at one level (the per-level descriptor)."""

    number: int
    description: str


@dataclass(frozen=True)
class Item:
    """A competency of a framework, with its code and its pole or block (``group``)."""

    code: str
    name: str
    description: str | None = None
    url: str | None = None
    group: str | None = None
    levels: tuple[LevelDescriptor, ...] = ()
    translations: Mapping[str, Translation] = field(default_factory=dict)


@dataclass(frozen=True)
class Framework:
    """A whole framework as imported: what it is, its levels and its items."""

    slug: str
    name: str
    url: str | None = None
    description: str | None = None
    language: str = "fr"
    levels: tuple[Level, ...] = ()
    items: tuple[Item, ...] = ()
    translations: Mapping[str, Translation] = field(default_factory=dict)


@dataclass(frozen=True)
class CsvItems:
    """The items and levels read from a CSV file (the framework's fields come apart)."""

    items: tuple[Item, ...]
    levels: tuple[Level, ...]


def builtin_framework_id(slug: str) -> UUID:
    """The stable id of the built-in framework ``slug``."""
    return uuid5(BUILTIN_NAMESPACE, f"framework:{slug}")


def builtin_item_id(slug: str, code: str) -> UUID:
    """The stable id of item ``code`` of the built-in framework ``slug``."""
    return uuid5(builtin_framework_id(slug), f"item:{code}")


def text_problem(value: object, name: str, *, required: bool = False) -> str | None:
    """Why ``value`` cannot be the field ``name``, or None when it can."""
    if value is None or value == "":
        return f"'{name}' is required." if required else None
    if not isinstance(value, str):
        return f"'{name}' must be text."
    limit = _LIMITS.get(name, _DESCRIPTION_LIMIT)
    if not value.strip():
        return f"'{name}' must not be blank."
    if len(value) > limit:
        return f"'{name}' is longer than {limit} characters."
    found = forbidden_character(value)
    if found is not None:
        return f"'{name}' must not contain {describe_character(found[1])}."
    patterns = {"slug": SLUG_PATTERN, "code": CODE_PATTERN, "language": LANGUAGE_PATTERN}
    if name in patterns and re.fullmatch(patterns[name], value) is None:
        return f"'{name}' {_PATTERN_HELP[name]}"
    if name == "url" and _URL.fullmatch(value) is None:
        return "'url' must be an absolute http:// or https:// URL without spaces."
    return None


_PATTERN_HELP = {
    "slug": "must be lower-case letters and digits joined by single hyphens (e.g. 'rectec').",
    "code": "must start with a letter or digit and hold only letters, digits and . _ / -.",
    "language": "must be a BCP 47 language tag such as 'fr' or 'en'.",
}


class _Checker:
    """Collects problems while a JSON framework is read field by field."""

    def __init__(self) -> None:
        self.problems: list[ImportProblem] = []

    def fail(self, where: str, message: str) -> None:
        self.problems.append(ImportProblem(where, message))

    def text(
        self, data: Mapping[str, Any], name: str, where: str, *, required: bool = False
    ) -> Any:
        value = data.get(name)
        problem = text_problem(value, name, required=required)
        if problem is not None:
            self.fail(f"{where}{name}", problem)
            return None
        return value.strip() if isinstance(value, str) else None

    def mapping(self, value: Any, where: str) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            self.fail(where or "document", "must be a JSON object.")
            return {}
        return value

    def array(self, data: Mapping[str, Any], name: str, where: str, limit: int) -> list[Any]:
        value = data.get(name) or []
        if not isinstance(value, list):
            self.fail(f"{where}{name}", "must be a JSON array.")
            return []
        if len(value) > limit:
            self.fail(f"{where}{name}", f"holds more than {limit} entries.")
            return []
        return value

    def number(self, data: Mapping[str, Any], where: str) -> int:
        value = data.get("level")
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_LEVELS:
            self.fail(f"{where}level", f"must be a whole number from 1 to {MAX_LEVELS}.")
            return 0
        return value

    def translations(self, data: Mapping[str, Any], where: str) -> dict[str, Translation]:
        found: dict[str, Translation] = {}
        value = self.mapping(data.get("translations") or {}, f"{where}translations")
        for tag, entry in list(value.items())[:20]:
            here = f"{where}translations.{tag}."
            if text_problem(tag, "language", required=True) is not None:
                self.fail(f"{where}translations", f"{tag!r} is not a BCP 47 language tag.")
            entry = self.mapping(entry, here.rstrip("."))
            name = self.text(entry, "name", here, required=True)
            if name is not None:
                found[tag] = Translation(name, self.text(entry, "description", here))
        return found


def _read_level(check: _Checker, value: Any, where: str) -> Level | None:
    data = check.mapping(value, where.rstrip("."))
    number, name = check.number(data, where), check.text(data, "name", where, required=True)
    return Level(number, name, check.text(data, "description", where)) if number and name else None


def _read_item(check: _Checker, value: Any, where: str) -> Item | None:
    data = check.mapping(value, where.rstrip("."))
    descriptors = []
    for index, entry in enumerate(check.array(data, "levels", where, MAX_LEVELS)):
        here = f"{where}levels[{index}]."
        level = check.mapping(entry, here.rstrip("."))
        number = check.number(level, here)
        description = check.text(level, "description", here, required=True)
        if number and description:
            descriptors.append(LevelDescriptor(number, description))
    item = Item(
        code=check.text(data, "code", where, required=True),
        name=check.text(data, "name", where, required=True),
        description=check.text(data, "description", where),
        url=check.text(data, "url", where),
        group=check.text(data, "group", where),
        levels=tuple(descriptors),
        translations=check.translations(data, where),
    )
    return item if item.code and item.name else None


def framework_from_mapping(data: Any) -> Framework:
    """A framework from its JSON form (see ``docs/frameworks.md``), or FrameworkImportError."""
    check = _Checker()
    document = check.mapping(data, "")
    levels = [
        _read_level(check, value, f"levels[{index}].")
        for index, value in enumerate(check.array(document, "levels", "", MAX_LEVELS))
    ]
    items = [
        _read_item(check, value, f"items[{index}].")
        for index, value in enumerate(check.array(document, "items", "", MAX_ITEMS))
    ]
    framework = Framework(
        slug=check.text(document, "slug", "", required=True),
        name=check.text(document, "name", "", required=True),
        url=check.text(document, "url", ""),
        description=check.text(document, "description", ""),
        language=check.text(document, "language", "") or "fr",
        levels=tuple(level for level in levels if level is not None),
        items=tuple(item for item in items if item is not None),
        translations=check.translations(document, ""),
    )
    check.problems.extend(consistency_problems(framework))
    if check.problems:
        raise FrameworkImportError(check.problems)
    return framework


def parse_json(data: bytes) -> Framework:
    """A framework from a UTF-8 JSON file, or FrameworkImportError listing every problem."""
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as error:
        raise FrameworkImportError(
            [ImportProblem("document", f"not UTF-8 JSON ({error}).")]
        ) from None
    return framework_from_mapping(document)


def consistency_problems(framework: Framework) -> list[ImportProblem]:
    """Rules across fields: unique level numbers and codes, descriptors of known levels."""
    problems: list[ImportProblem] = []
    numbers = [level.number for level in framework.levels]
    for index, number in enumerate(numbers):
        if number in numbers[:index]:
            problems.append(ImportProblem(f"levels[{index}].level", f"level {number} is twice."))
    codes: dict[str, int] = {}
    for index, item in enumerate(framework.items):
        if item.code in codes:
            message = f"code {item.code!r} is already used by items[{codes[item.code]}]."
            problems.append(ImportProblem(f"items[{index}].code", message))
        codes.setdefault(item.code, index)
        problems.extend(_descriptor_problems(item, set(numbers), f"items[{index}]"))
    return problems


def _descriptor_problems(item: Item, numbers: set[int], where: str) -> list[ImportProblem]:
    problems = []
    seen: set[int] = set()
    for index, descriptor in enumerate(item.levels):
        here = f"{where}.levels[{index}].level"
        if descriptor.number not in numbers:
            problems.append(
                ImportProblem(here, f"level {descriptor.number} is not a level of the framework.")
            )
        elif descriptor.number in seen:
            problems.append(ImportProblem(here, f"level {descriptor.number} is described twice."))
        seen.add(descriptor.number)
    return problems
