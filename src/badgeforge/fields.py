"""Constrained field types and the base of every request schema: every input is bounded.

Every request body model derives from :class:`RequestModel`, which refuses unknown fields
and, in every string it receives (nested lists and dicts included), the characters that
``core.text`` refuses, so a new field cannot forget the check.
"""

import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Annotated, Any, ClassVar, Self
from urllib.parse import urlsplit

from email_validator import SPECIAL_USE_DOMAIN_NAMES
from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    EmailStr,
    Field,
    GetJsonSchemaHandler,
    SerializationInfo,
    SerializerFunctionWrapHandler,
    Strict,
    StringConstraints,
    ValidationInfo,
    WrapSerializer,
    field_validator,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError

from badgeforge.core.text import describe_character, forbidden_character

_LANGUAGE_TAG = r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8}){0,3}$"
LANGUAGE_TAG_PATTERN = _LANGUAGE_TAG
"""A BCP 47 language tag (language, then up to three subtags)."""
_E164 = r"^\+[1-9][0-9]{6,14}$"


def _check_web_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("must be an absolute http:// or https:// URL")
    if any(character.isspace() for character in value):
        raise ValueError("must not contain spaces")
    if re.fullmatch(WEB_URL_PATTERN, value) is None:
        raise ValueError(
            "must be http(s):// then a host name (letters, digits, dots, hyphens), an optional "
            'port, and a path, query or fragment without any of < > " { } | \\ ^ `'
        )
    return value


class SchemaPattern:
    """Say in the JSON Schema what a validator checks in code: ``pattern`` for generators."""

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern

    def __get_pydantic_json_schema__(
        self, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        schema = handler(core_schema)
        schema["pattern"] = self.pattern
        return schema


_ASTRAL_NON_CHARACTERS = "".join(chr(p << 16 | e) for p in range(1, 17) for e in (0xFFFE, 0xFFFF))
FORBIDDEN_CLASS = (
    r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufdd0-\ufdef\ufffe\uffff"
    + _ASTRAL_NON_CHARACTERS
)
"""What ``core.text`` refuses, as a regular-expression class for JSON Schema (lone
surrogates aside: no schema regex engine can name them, and JSON generators never make them)."""
SPACE_CLASS = r"\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
"""What trimming removes (``str.strip``, Unicode White_Space), spelled out: ``\\s`` differs
between Python and the ECMA-262 regular expressions of JSON Schema."""
TEXT_PATTERN = f"^[^{FORBIDDEN_CLASS}]*[^{FORBIDDEN_CLASS}{SPACE_CLASS}][^{FORBIDDEN_CLASS}]*$"
"""Some visible character (text is trimmed), and none that ``core.text`` refuses."""
_NOT_IN_IRI = r'<>"{}|\\^`'
"""ASCII characters an IRI cannot hold (RFC 3987), which JSON-LD canonicalization refuses
(a regular-expression class: one backslash among them)."""
WEB_URL_PATTERN = (
    "^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?"
    f"([/?#][^{FORBIDDEN_CLASS}{SPACE_CLASS}{_NOT_IN_IRI}]*)?$"
)
"""What ``_check_web_url`` accepts: a URL that is also an IRI N-Quads can write."""

Name = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
    SchemaPattern(TEXT_PATTERN),
]
ShortText = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=500),
    SchemaPattern(TEXT_PATTERN),
]
Markdown = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=20_000),
    SchemaPattern(TEXT_PATTERN),
]
WebUrl = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=8, max_length=2048),
    AfterValidator(_check_web_url),
    SchemaPattern(WEB_URL_PATTERN),
]
LanguageTag = Annotated[
    str, StringConstraints(strip_whitespace=True, pattern=_LANGUAGE_TAG, max_length=35)
]
Telephone = Annotated[str, StringConstraints(strip_whitespace=True, pattern=_E164)]
CANONICAL = "canonical"
"""Serialisation context flag: dump each field in a form equal for equivalent requests."""


def canonical_form(normalise: Callable[[str], str]) -> WrapSerializer:
    """Annotate a string type with its canonical form, used when dumping with ``CANONICAL``.

    Idempotent retries compare requests this way, so a retry that differs only in, say,
    an email's case is the same request.
    """

    def serialise(
        value: str, handler: SerializerFunctionWrapHandler, info: SerializationInfo
    ) -> Any:
        dumped = handler(value)
        context = info.context
        if isinstance(context, Mapping) and context.get(CANONICAL) and isinstance(dumped, str):
            return normalise(dumped)
        return dumped

    return WrapSerializer(serialise)


_SPECIAL_USE = "|".join(
    "".join(f"[{c.upper()}{c}]" for c in name) for name in SPECIAL_USE_DOMAIN_NAMES
)
Email = Annotated[
    EmailStr,
    Field(max_length=320),
    canonical_form(str.lower),
    SchemaPattern(f"^(?!.*[.@]({_SPECIAL_USE})\\.?$)"),
]
"""An address whose domain is not special-use (``.test``, ``.local``…): nobody reads those."""
Tag = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=64),
    SchemaPattern(TEXT_PATTERN),
]


def json_integer(value: object) -> object:
    """A JSON integer as Python's ``int``: ``10.0`` is 10; strings and booleans are refused."""
    if isinstance(value, bool | str):
        raise ValueError("must be a JSON number, not a string or a boolean")
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


StrictInt = Annotated[int, BeforeValidator(json_integer), Strict()]
"""A JSON integer: ``"10"`` and ``true`` are refused, not converted; ``10.0`` is the number
10 (JSON Schema's ``integer`` includes it), ``10.5`` is refused."""
Days = Annotated[int, Strict(), Field(ge=1, le=36_500), BeforeValidator(json_integer)]
"""A number of days, 1 to 100 years, a JSON integer like ``StrictInt``. (Bounds given with
``Field`` next to a ``StrictInt`` would land outside its validator and in the JSON Schema
as unknown ``ge``/``le`` keywords; inside the type they are ``minimum``/``maximum``.)"""

EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
LATEST = datetime(2200, 1, 1, tzinfo=UTC)


def _date_time_text(value: object) -> object:
    """Refuse numbers, and text that is not a date (``"0.5"`` would be read as a Unix time)."""
    if isinstance(value, int | float) or (
        isinstance(value, str) and re.match("[0-9]{4}-", value) is None
    ):
        raise ValueError("must be an ISO 8601 date-time string with a time zone")
    return value


def _within_range(value: datetime) -> datetime:
    if not EARLIEST <= value < LATEST:
        raise ValueError("must be between 1900-01-01T00:00:00Z and 2199-12-31T23:59:59Z")
    return value


Timestamp = Annotated[
    AwareDatetime,
    BeforeValidator(_date_time_text),
    AfterValidator(_within_range),
    SchemaPattern("^(19[0-9]{2}|2[01][0-9]{2})-"),
]
"""An instant with its time zone (naive ones are refused), from 1900 to 2199.

The range holds every real award (and the expiry of one awarded today with the longest
policy, 100 years); it keeps every published year at four digits, and keeps converting to
UTC or adding days far from ``datetime``'s limits (years 1 and 9999), where they overflow.
"""


def _refuse_forbidden(value: object, path: str) -> None:
    if isinstance(value, str):
        found = forbidden_character(value)
        if found is not None:
            position, character = found
            raise PydanticCustomError(
                "forbidden_character",
                "{path} must not contain {character} (found at character {position})",
                {"path": path, "character": describe_character(character), "position": position},
            )
    elif isinstance(value, BaseModel):
        for name, item in value.__dict__.items():
            _refuse_forbidden(item, f"{path}.{name}")
    elif isinstance(value, Mapping):
        for key, item in value.items():
            _refuse_forbidden(key, f"a key of {path}")
            _refuse_forbidden(item, f"{path}[{key!r}]")
    elif isinstance(value, list | tuple | set | frozenset):
        for index, item in enumerate(value):
            _refuse_forbidden(item, f"{path}[{index}]")


class RequestModel(BaseModel):
    """The base of every request schema: no unknown fields, no character we cannot publish."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _publishable_text(cls, value: Any, info: ValidationInfo) -> Any:
        _refuse_forbidden(value, info.field_name or "text")
        return value


class PartialUpdate(RequestModel):
    """A PATCH body: absent fields stay as they are; required fields cannot be set to null."""

    required_fields: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        """Required fields may be left out but not set to null: the schema says so."""
        schema = handler(core_schema)
        properties = handler.resolve_ref_schema(schema).get("properties", {})
        for name in cls.required_fields:
            field = properties.get(name, {})
            choices = [choice for choice in field.get("anyOf", []) if choice != {"type": "null"}]
            if len(choices) == 1 and "anyOf" in field:
                del field["anyOf"]
                field.update(choices[0])
        return schema

    @model_validator(mode="after")
    def _required_not_removed(self) -> Self:
        removed = [
            name
            for name in self.required_fields
            if name in self.model_fields_set and getattr(self, name) is None
        ]
        if removed:
            raise ValueError(f"{', '.join(removed)} cannot be removed, only changed")
        return self
