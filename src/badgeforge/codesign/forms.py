"""The co-design page's forms: what was sent, checked field by field in plain words."""

from typing import Any

from pydantic import ConfigDict, ValidationError

from badgeforge.badge_classes.content import BadgeClassContent
from badgeforge.badge_classes.schemas import BadgeClassUpdate
from badgeforge.codesign.schemas import CommentCreate
from badgeforge.codesign.view import EDITABLE, REQUIRED, max_length, word
from badgeforge.fields import RequestModel
from badgeforge.pages.i18n import Language

COMMENT_MAX = 2000
READ_AT_MOST = 25_000
"""Longer text is cut before checking (the request size limit bounds it anyway)."""


class PageForm(RequestModel):
    """Every field any form of the page sends; each form sends some of them (unknown ones,
    like a button's name, are ignored; characters nobody can publish are refused)."""

    model_config = ConfigDict(extra="ignore")

    action: str = ""
    concurrency: str = ""
    field: str = ""
    body: str = ""
    name: str | None = None
    audience: str | None = None
    description: str | None = None
    criteria: str | None = None
    evidence_expectations: str | None = None
    endorsement_expectations: str | None = None


def _clean(text: str | None) -> str:
    return (text or "")[:READ_AT_MOST].replace("\r\n", "\n").replace("\r", "\n").strip()


def _message(language: Language, error_type: str, limit: int) -> str:
    if error_type in ("string_too_short", "missing", "value_error"):
        return word(language, "error_required")
    if error_type == "string_too_long":
        return word(language, "error_too_long", max=limit)
    return word(language, "error_invalid")


def matrix(
    form: PageForm, current: BadgeClassContent, language: Language
) -> tuple[dict[str, str], dict[str, str], BadgeClassUpdate | None]:
    """The texts sent, the errors by field, and the update when there is none."""
    values = {name: _clean(getattr(form, name)) for name in EDITABLE}
    errors: dict[str, str] = {}
    for name, text in values.items():
        if name in REQUIRED and not text and not (name == "criteria" and current.criteria.url):
            errors[name] = word(language, "error_required")
        elif len(text) > max_length(name):
            errors[name] = word(language, "error_too_long", max=max_length(name))
    if errors:
        return values, errors, None
    changes: dict[str, Any] = {name: values[name] or None for name in EDITABLE}
    changes["criteria"] = {"narrative": values["criteria"] or None, "url": current.criteria.url}
    try:
        return values, {}, BadgeClassUpdate(**changes)
    except ValidationError as error:
        for problem in error.errors():
            name = str(problem["loc"][0]) if problem["loc"] else "description"
            limit = max_length(name) if name in EDITABLE else COMMENT_MAX
            errors.setdefault(name, _message(language, problem["type"], limit))
        return values, errors, None


def comment(form: PageForm, language: Language) -> tuple[str, str | None, CommentCreate | None]:
    """The comment sent, its error if any, and the checked comment."""
    body = _clean(form.body)
    if not body:
        return body, word(language, "error_required"), None
    if len(body) > COMMENT_MAX:
        return body, word(language, "error_too_long", max=COMMENT_MAX), None
    try:
        return body, None, CommentCreate(field=form.field, body=body)
    except ValidationError as error:
        return body, _message(language, error.errors()[0]["type"], COMMENT_MAX), None
