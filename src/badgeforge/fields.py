"""Constrained field types shared by the request schemas: every size and format is bounded."""

from typing import Annotated
from urllib.parse import urlsplit

from pydantic import AfterValidator, EmailStr, Field, StringConstraints

_LANGUAGE_TAG = r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8}){0,3}$"
_E164 = r"^\+[1-9][0-9]{6,14}$"


def _check_web_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("must be an absolute http:// or https:// URL")
    if any(character.isspace() for character in value):
        raise ValueError("must not contain spaces")
    return value


Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
Markdown = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20_000)]
WebUrl = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=8, max_length=2048),
    AfterValidator(_check_web_url),
]
LanguageTag = Annotated[
    str, StringConstraints(strip_whitespace=True, pattern=_LANGUAGE_TAG, max_length=35)
]
Telephone = Annotated[str, StringConstraints(strip_whitespace=True, pattern=_E164)]
Email = Annotated[EmailStr, Field(max_length=320)]
Tag = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
