"""Constrained field types shared by the request schemas: every size and format is bounded."""

from typing import Annotated, ClassVar, Self
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, EmailStr, Field, StringConstraints, model_validator

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


class PartialUpdate(BaseModel):
    """A PATCH body: absent fields stay as they are; required fields cannot be set to null."""

    required_fields: ClassVar[tuple[str, ...]] = ()

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
