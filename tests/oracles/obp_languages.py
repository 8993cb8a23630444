"""Test oracle: which language versions of a BadgeClass Open Badge Passport stores.

Written from salava's ``parse.clj`` (``badge-content :v2.0``), independent of badgeforge:

- ``default-language`` is the BadgeClass's ``@language`` (``""`` when absent);
- every ``related`` entry's ``id`` is fetched with ``json-get`` (``Accept: application/json``)
  and the fetched document is **kept only if it has** ``@language``;
- the BadgeClass and each kept document go through the same ``parser``: one ``content``
  row (``language_code``, ``name``, ``image_file``, ``description``, ``alignment``,
  ``tags``), one ``criteria`` row (``url`` = ``(str criteria-id)``, ``markdown_text`` =
  the criteria ``narrative``) and one ``issuer`` row, merged by concatenation;
- the ``valid-badge`` schema then wants strings for ``language_code``, ``name``,
  ``image_file`` and ``description`` of every content row, and for the issuer's ``name``
  and ``url`` (a failure rejects the whole import).
"""

from dataclasses import dataclass
from typing import Any

import httpx

from .obp_import import ImportRejected


@dataclass(frozen=True)
class StoredLanguage:
    """One language of a badge as salava stores it (content, criteria and issuer rows)."""

    language_code: str
    name: str
    description: str
    image_file: str
    criteria_url: str
    criteria_markdown: str | None
    issuer_name: str
    alignment: list[Any]


def _json_get(url: str) -> dict[str, Any]:
    response = httpx.get(url, headers={"Accept": "application/json"}, follow_redirects=True)
    if response.status_code >= 400:
        raise ImportRejected(f"related {url} answered HTTP {response.status_code}")
    document: dict[str, Any] = response.json()
    return document


def _string(document: dict[str, Any], key: str, where: str) -> str:
    value = document.get(key)
    if not isinstance(value, str):
        raise ImportRejected(f"schema: {where} {key} is not a string")
    return value


def _parse(badge: dict[str, Any]) -> StoredLanguage:
    """salava's ``parser`` on one BadgeClass document, then the ``valid-badge`` checks."""
    language = badge.get("@language", "")
    issuer = badge["issuer"] if isinstance(badge["issuer"], dict) else _json_get(badge["issuer"])
    criteria = badge.get("criteria")
    criteria_url = criteria.get("id") if isinstance(criteria, dict) else criteria
    markdown = criteria.get("narrative") if isinstance(criteria, dict) else None
    if not isinstance(language, str):
        raise ImportRejected("schema: language_code is not a string")
    _string(issuer, "url", "issuer")
    return StoredLanguage(
        language_code=language,
        name=_string(badge, "name", "content"),
        description=_string(badge, "description", "content"),
        image_file=_string(badge, "image", "content"),
        criteria_url="" if criteria_url is None else str(criteria_url),
        criteria_markdown=markdown,
        issuer_name=_string(issuer, "name", "issuer"),
        alignment=list(badge.get("alignment", [])),
    )


def stored_languages(badge_class: dict[str, Any]) -> tuple[str, list[StoredLanguage]]:
    """The default language code and every stored language row, the BadgeClass's first."""
    related = [_json_get(str(item["id"])) for item in badge_class.get("related", [])]
    kept = [document for document in related if document.get("@language") is not None]
    return badge_class.get("@language", ""), [_parse(badge_class), *map(_parse, kept)]
