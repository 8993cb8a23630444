"""Reading a framework's items and levels from a spreadsheet's CSV export.

UTF-8 (a byte order mark is accepted), ``;``, ``,`` or tab separated, one header line, then
one row per item, per level or per level of an item (``docs/frameworks.md``):

- ``code`` and ``name`` (and ``description``, ``url``, ``group``), no ``level``: an item;
- no ``code``, a ``level`` and its ``name`` (and ``description``): a level of the framework;
- a ``code`` and a ``level``: what that item looks like at that level (``description``).

``name_en``/``description_en`` (any language tag) give an item's name in another language.
French headers are understood (``nom``, ``niveau``, ``pôle``…). Every bad row is reported
with its line number and nothing is returned unless every row is good.
"""

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field

from badgeforge.core.frameworks import (
    MAX_LEVELS,
    MAX_ROWS,
    CsvItems,
    FrameworkImportError,
    ImportProblem,
    Item,
    Level,
    LevelDescriptor,
    Translation,
    text_problem,
)

DELIMITERS = (";", ",", "\t")
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "code": ("code", "identifiant", "id", "reference", "ref", "code_competence"),
    "name": ("name", "nom", "intitule", "libelle", "titre", "title", "competence"),
    "description": ("description", "descriptif", "descripteur", "descriptor"),
    "url": ("url", "lien", "link", "uri", "adresse"),
    "group": ("group", "groupe", "pole", "domaine", "domain", "categorie", "category", "bloc"),
    "level": ("level", "niveau", "cercle", "circle"),
}
_FIELD_OF = {alias: name for name, aliases in HEADER_ALIASES.items() for alias in aliases}
_TRANSLATED = re.compile(r"^(name|nom|description|descriptif)_([a-z]{2,3})$")


def header_key(text: str) -> str:
    """A header as compared with the aliases: no accents, case, spaces or punctuation."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "_", plain).strip("_")


def _column(cell: str) -> str | None:
    key = header_key(cell)
    translated = _TRANSLATED.fullmatch(key)
    if translated:
        kind = "name" if translated.group(1) in ("name", "nom") else "description"
        return f"{kind}_{translated.group(2)}"
    return _FIELD_OF.get(key)


@dataclass
class _Reading:
    """What the rows said so far, and what was wrong with them."""

    problems: list[ImportProblem] = field(default_factory=list)
    items: dict[str, tuple[int, Item]] = field(default_factory=dict)
    level_names: dict[int, tuple[int, str, str | None]] = field(default_factory=dict)
    descriptors: dict[tuple[str, int], tuple[int, str]] = field(default_factory=dict)

    def fail(self, line: int, message: str) -> None:
        self.problems.append(ImportProblem(f"line {line}", message, line))


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        message = f"not UTF-8 text (byte {error.start + 1}); export it as 'CSV UTF-8'."
        raise FrameworkImportError([ImportProblem("file", message)]) from None


def _header(reader_line: list[str]) -> dict[int, str]:
    columns: dict[int, str] = {}
    problems = []
    for index, cell in enumerate(reader_line):
        name = _column(cell)
        if name is None:
            known = ", ".join(HEADER_ALIASES)
            problems.append(f"column {cell.strip()!r} is not known (known: {known}).")
        elif name in columns.values():
            problems.append(f"two columns give {name!r} (the second is {cell.strip()!r}).")
        else:
            columns[index] = name
    for needed in ("code", "name"):
        if needed not in columns.values():
            problems.append(f"the header has no {needed!r} column.")
    if problems:
        raise FrameworkImportError([ImportProblem("line 1", p, 1) for p in problems])
    return columns


def _level(text: str) -> int | None:
    digits = re.sub(r"^(niveau|level|cercle|circle)\s*", "", text.strip(), flags=re.IGNORECASE)
    if digits.isdigit() and 1 <= int(digits) <= MAX_LEVELS:
        return int(digits)
    return None


def _translations(values: dict[str, str], reading: _Reading, line: int) -> dict[str, Translation]:
    found: dict[str, Translation] = {}
    tags = {name.split("_", 1)[1] for name in values if "_" in name}
    for tag in sorted(tags):
        name, description = values.get(f"name_{tag}"), values.get(f"description_{tag}")
        if not name:
            if description:
                reading.fail(line, f"'description_{tag}' needs 'name_{tag}' on the same row.")
            continue
        found[tag] = Translation(name, description or None)
    return found


def _checked(values: dict[str, str], reading: _Reading, line: int) -> bool:
    bad = False
    for name, value in values.items():
        problem = text_problem(value, name.split("_", 1)[0] if "_" in name else name)
        if problem is not None and name != "level":
            reading.fail(line, problem)
            bad = True
    return not bad


def _row(values: dict[str, str], reading: _Reading, line: int) -> None:
    code, level_text = values.get("code", ""), values.get("level", "")
    number = _level(level_text) if level_text else None
    if level_text and number is None:
        reading.fail(line, f"'level' must be a whole number from 1 to {MAX_LEVELS}.")
        return
    if not _checked(values, reading, line):
        return
    if number is None:
        _item_row(values, reading, line)
    elif not code:
        _level_row(values, number, reading, line)
    else:
        _descriptor_row(values, number, reading, line)


def _item_row(values: dict[str, str], reading: _Reading, line: int) -> None:
    code, name = values.get("code", ""), values.get("name", "")
    if not code or not name:
        missing = "a 'code'" if not code else "a 'name'"
        reading.fail(line, f"an item needs {missing} (a level row needs a 'level').")
        return
    if code in reading.items:
        reading.fail(line, f"code {code!r} is already on line {reading.items[code][0]}.")
        return
    item = Item(
        code=code,
        name=name,
        description=values.get("description") or None,
        url=values.get("url") or None,
        group=values.get("group") or None,
        translations=_translations(values, reading, line),
    )
    reading.items[code] = (line, item)


def _level_row(values: dict[str, str], number: int, reading: _Reading, line: int) -> None:
    name = values.get("name", "")
    if values.get("url") or values.get("group"):
        reading.fail(line, "a level row takes no 'url' nor 'group'.")
    elif not name:
        reading.fail(line, f"level {number} needs a 'name' (e.g. 'Cercle {number}').")
    elif number in reading.level_names and reading.level_names[number][0] != 0:
        reading.fail(line, f"level {number} is already on line {reading.level_names[number][0]}.")
    else:
        reading.level_names[number] = (line, name, values.get("description") or None)


def _descriptor_row(values: dict[str, str], number: int, reading: _Reading, line: int) -> None:
    code, description = values["code"], values.get("description", "")
    key = (code, number)
    if values.get("url") or values.get("group"):
        reading.fail(line, "a row describing an item's level takes no 'url' nor 'group'.")
    elif not description:
        reading.fail(line, f"describe what {code} looks like at level {number} in 'description'.")
    elif key in reading.descriptors:
        first = reading.descriptors[key][0]
        reading.fail(line, f"level {number} of {code} is already described on line {first}.")
    else:
        reading.descriptors[key] = (line, description)
        name = values.get("name")
        if name and number not in reading.level_names:
            reading.level_names[number] = (0, name, None)  # named in passing: line 0


def _finish(reading: _Reading) -> CsvItems:
    by_code: dict[str, list[LevelDescriptor]] = {}
    for (code, number), (line, description) in reading.descriptors.items():
        if code not in reading.items:
            reading.fail(line, f"no item has the code {code!r} (add a row for it).")
        elif number not in reading.level_names:
            reading.fail(
                line,
                f"level {number} has no name: add a row with no code, level {number} and its name.",
            )
        else:
            by_code.setdefault(code, []).append(LevelDescriptor(number, description))
    if not reading.items and not reading.problems:
        reading.fail(1, "the file has no item (a row with a code and a name).")
    if reading.problems:
        reading.problems.sort(key=lambda problem: problem.line or 0)
        raise FrameworkImportError(reading.problems)
    items = tuple(
        Item(**{**item.__dict__, "levels": tuple(sorted(by_code.get(code, []), key=_number))})
        for code, (_, item) in reading.items.items()
    )
    levels = tuple(
        Level(number, name, description)
        for number, (_, name, description) in sorted(reading.level_names.items())
    )
    return CsvItems(items, levels)


def _number(descriptor: LevelDescriptor) -> int:
    return descriptor.number


def parse_csv(data: bytes) -> CsvItems:
    """The items and levels of a CSV file, or FrameworkImportError listing every bad row."""
    text = _decode(data)
    first_line = text.split("\n", 1)[0].rstrip("\r")
    if not first_line.strip():
        raise FrameworkImportError([ImportProblem("line 1", "the header line is blank.", 1)])
    delimiter = max(
        DELIMITERS, key=lambda d: sum(_column(c) is not None for c in first_line.split(d))
    )
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = next(reader)
    columns = _header(header)
    reading = _Reading()
    line = reader.line_num + 1
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                if line > MAX_ROWS + 1:
                    reading.fail(line, f"the file has more than {MAX_ROWS} rows.")
                    break
                if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
                    reading.fail(line, f"{len(cells)} cells, but the header has {len(header)}.")
                else:
                    values = {
                        columns[i]: cell.strip() for i, cell in enumerate(cells) if i in columns
                    }
                    _row({k: v for k, v in values.items() if v}, reading, line)
            line = reader.line_num + 1
    except csv.Error as error:
        reading.fail(line, f"the CSV is malformed ({error}).")
    return _finish(reading)
