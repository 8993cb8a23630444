"""Reading a recipients list exported by a spreadsheet: UTF-8 CSV, ``;`` or ``,``.

French spreadsheets export CSV with ``;`` (the comma is the decimal separator), often with a
byte order mark, and headers in French. This module finds the delimiter, maps French or
English headers to award fields, turns spreadsheet dates (``26/11/2026``) into timestamps
and keeps each record's line number in the file, so errors can point at it.
"""

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from badgeforge.problems import UnprocessableContent

DELIMITERS = (";", ",", "\t")
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "recipient_email": (
        "recipient_email",
        "email",
        "e_mail",
        "mail",
        "courriel",
        "adresse_email",
        "adresse_e_mail",
        "adresse_mail",
        "adresse_courriel",
    ),
    "narrative": ("narrative", "recit", "commentaire", "observation", "observations"),
    "evidence_url": ("evidence_url", "evidence", "preuve_url", "url_preuve", "preuve", "lien"),
    "evidence_name": ("evidence_name", "preuve_nom", "nom_preuve", "titre_preuve"),
    "issued_on": (
        "issued_on",
        "date",
        "date_obtention",
        "date_d_obtention",
        "date_attribution",
        "date_remise",
        "date_de_remise",
    ),
    "expires": ("expires", "expiration", "date_expiration", "date_d_expiration"),
    "level": ("level", "niveau", "cercle", "niveau_atteint"),
}
_FIELD_OF = {alias: name for name, aliases in HEADER_ALIASES.items() for alias in aliases}
_DAY_FIRST = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class CsvRecord:
    """One recipient: its line in the file, the award fields read, or why it is unreadable."""

    line: int
    data: dict[str, Any]
    error: str | None = None


@dataclass(frozen=True)
class CsvList:
    """The records of a file and, for messages, the header each field was read from."""

    records: list[CsvRecord]
    labels: dict[str, str] = field(default_factory=dict)


def header_key(text: str) -> str:
    """A header as compared with the aliases: no accents, case, spaces or punctuation."""
    decomposed = unicodedata.normalize("NFKD", text.strip().strip('"').lower())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "_", plain).strip("_")


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UnprocessableContent(
            f"The file is not UTF-8 text (byte {error.start + 1}). Export it from the "
            "spreadsheet as 'CSV UTF-8'."
        ) from error


def _delimiter(first_line: str) -> str:
    def score(delimiter: str) -> tuple[int, int]:
        cells = next(csv.reader([first_line], delimiter=delimiter), [])
        return sum(header_key(cell) in _FIELD_OF for cell in cells), len(cells)

    return max(DELIMITERS, key=score)


def _columns(header: list[str]) -> dict[int, str]:
    columns: dict[int, str] = {}
    for index, cell in enumerate(header):
        name = _FIELD_OF.get(header_key(cell))
        if name is None:
            continue  # other columns (name, first name, group...) are left aside
        if name in columns.values():
            raise UnprocessableContent(f"Two columns give '{name}' (the second is '{cell}').")
        columns[index] = name
    if "recipient_email" not in columns.values():
        found = ", ".join(repr(cell) for cell in header) or "none"
        raise UnprocessableContent(
            f"The header has no email column ('email' or 'courriel'); columns found: {found}."
        )
    return columns


def spreadsheet_date(text: str) -> str:
    """``26/11/2026`` or ``2026-11-26`` as midnight UTC; anything else is left as it is."""
    day_first = _DAY_FIRST.match(text)
    if day_first:
        day, month, year = day_first.groups()
        return f"{year}-{int(month):02d}-{int(day):02d}T00:00:00Z"
    if _ISO_DATE.match(text):
        return f"{text}T00:00:00Z"
    return text


def _record(line: int, cells: list[str], columns: dict[int, str], width: int) -> CsvRecord:
    values = {name: cells[index].strip() for index, name in columns.items() if index < len(cells)}
    extra = [cell for cell in cells[width:] if cell.strip()]
    if extra:
        return CsvRecord(line, {}, f"{len(cells)} cells, but the header has {width} columns.")
    data: dict[str, Any] = {}
    for name in ("recipient_email", "narrative"):
        if values.get(name):
            data[name] = values[name]
    if not values.get("recipient_email"):
        return CsvRecord(line, data, "The email is missing.")
    for name in ("issued_on", "expires"):
        if values.get(name):
            data[name] = spreadsheet_date(values[name])
    if values.get("level"):
        level = values["level"]
        data["level"] = int(level) if level.isdecimal() else level
    if values.get("evidence_url") or values.get("evidence_name"):
        evidence = {"url": values.get("evidence_url") or None, "name": values.get("evidence_name")}
        data["evidence"] = [{k: v for k, v in evidence.items() if v}]
    return CsvRecord(line, data)


def parse_csv(data: bytes) -> CsvList:
    """The recipients of a CSV file; blank lines are skipped. UnprocessableContent if the
    file itself is unreadable (not UTF-8, no header, no email column)."""
    text = _decode(data)
    first_line = text.split("\n", 1)[0].rstrip("\r")
    if not first_line.strip():
        raise UnprocessableContent("The file is empty or its first line (the header) is blank.")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line))
    header = next(reader)
    columns = _columns(header)
    labels = {name: header[index].strip() for index, name in columns.items()}
    records: list[CsvRecord] = []
    line = reader.line_num + 1
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                records.append(_record(line, cells, columns, len(header)))
            line = reader.line_num + 1
    except csv.Error as error:
        raise UnprocessableContent(f"Line {line}: the CSV is malformed ({error}).") from error
    return CsvList(records, labels)
