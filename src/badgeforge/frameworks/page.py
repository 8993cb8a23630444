"""The public page of a built-in framework: HTML (French or English) or JSON.

Alignments to built-in items point here (``/frameworks/rectec#C3``): wallets and
employers following a badge's alignment read what the competency is. Only built-in
frameworks are public; an organisation's own ones may hold descriptors it licensed.
"""

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Response
from fastapi.responses import JSONResponse
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, select_autoescape

from badgeforge.db import SessionDep
from badgeforge.deps import SettingsDep
from badgeforge.frameworks import service
from badgeforge.frameworks.models import CompetencyFramework, FrameworkItem
from badgeforge.frameworks.repository import built_in_by_slug, items_of
from badgeforge.pages.api import AcceptLanguage, LangQuery, page_response
from badgeforge.pages.i18n import LANGUAGE_NAMES, LANGUAGES, Language, negotiate, translate
from badgeforge.pages.templating import ENVIRONMENT as PAGES_ENVIRONMENT
from badgeforge.pages.templating import TEMPLATES_DIR, render
from badgeforge.problems import NotFound

router = APIRouter(include_in_schema=False)
CACHE = "public, max-age=300"
MESSAGES: dict[str, dict[Language, str]] = {
    "framework_kind": {"fr": "Type", "en": "Kind"},
    "framework_built_in": {
        "fr": "Référentiel de compétences intégré",
        "en": "Built-in competency framework",
    },
    "framework_source": {"fr": "Source", "en": "Source"},
    "framework_levels": {"fr": "Niveaux de maîtrise", "en": "Mastery levels"},
    "framework_items": {"fr": "Compétences ({count})", "en": "Competencies ({count})"},
}
_ENVIRONMENT = Environment(
    loader=ChoiceLoader(
        [FileSystemLoader(Path(__file__).parent / "templates"), FileSystemLoader(TEMPLATES_DIR)]
    ),
    autoescape=select_autoescape(["html"]),
    auto_reload=False,
    trim_blocks=True,
    lstrip_blocks=True,
)
_ENVIRONMENT.filters.update(PAGES_ENVIRONMENT.filters)
_ENVIRONMENT.globals.update(PAGES_ENVIRONMENT.globals)


@dataclass(frozen=True)
class LevelView:
    number: int
    name: str
    description: str | None


@dataclass(frozen=True)
class ItemView:
    code: str
    name: str
    description: str | None
    lang: str | None
    """The language of name and description when not the page's (no translation)."""


@dataclass(frozen=True)
class FrameworkView:
    """What the page shows, in the page's language where a translation exists."""

    name: str
    description: str | None
    url: str | None
    levels: list[LevelView]
    groups: list[tuple[str | None, list[ItemView]]]
    item_count: int
    source_lang: str | None
    """The framework's language when not the page's: its levels and groups are in it."""


def _translated(
    row: CompetencyFramework | FrameworkItem, language: str, source: str
) -> tuple[str, Any, str | None]:
    translation = row.translations.get(language)
    if translation:
        return translation["name"], translation.get("description") or row.description, None
    return row.name, row.description, None if source == language else source


def framework_view(
    framework: CompetencyFramework, items: list[FrameworkItem], language: Language
) -> FrameworkView:
    """The page's content for ``framework`` in ``language``."""
    source = framework.language.split("-")[0]
    groups: dict[str | None, list[ItemView]] = {}
    for item in items:
        view = ItemView(item.code, *_translated(item, language, source))
        groups.setdefault(item.group_name, []).append(view)
    name, description, _ = _translated(framework, language, source)
    levels = [LevelView(lv["level"], lv["name"], lv.get("description")) for lv in framework.levels]
    source_lang = None if source == language else framework.language
    return FrameworkView(
        name, description, framework.url, levels, list(groups.items()), len(items), source_lang
    )


def _t(language: Language) -> Any:
    def t(key: str, **values: Any) -> str:
        if key in MESSAGES:
            message = MESSAGES[key][language]
            return message.format(**values) if values else message
        return translate(language, key, **values)

    return t


def _json(framework: CompetencyFramework, items: list[FrameworkItem], base_url: str) -> Any:
    return {
        "id": str(framework.id),
        "slug": framework.slug,
        "name": framework.name,
        "description": framework.description,
        "url": framework.url,
        "language": framework.language,
        "levels": framework.levels,
        "translations": framework.translations,
        "items": [
            {
                "id": str(item.id),
                "code": item.code,
                "name": item.name,
                "description": item.description,
                "group": item.group_name,
                "translations": item.translations,
                "target_url": service.target_url(item, framework, base_url),
            }
            for item in items
        ],
    }


@router.get("/frameworks/{slug}")
def framework_page(
    slug: str,
    session: SessionDep,
    settings: SettingsDep,
    lang: LangQuery = None,
    accept_language: AcceptLanguage = None,
    accept: Annotated[str | None, Header()] = None,
    format: Annotated[str | None, Query(max_length=8)] = None,
) -> Response:
    """A built-in framework's levels and items; ``?format=json`` (or Accept) gives JSON."""
    language = negotiate(lang, accept_language)
    path = f"/frameworks/{slug}"
    wants_json = format == "json" or "application/json" in (accept or "").split(",")[0]
    try:
        framework = built_in_by_slug(session, slug[:64])
    except NotFound:
        if wants_json:
            raise
        body = render("not_found.html", language, path)
        return page_response(body, language, status_code=404, cache="no-cache")
    items = items_of(session, framework.id)
    if wants_json:
        headers = {"Cache-Control": CACHE, "Vary": "Accept"}
        return JSONResponse(_json(framework, items, settings.base_url), headers=headers)
    switch = [(code, LANGUAGE_NAMES[code], f"{path}?lang={code}") for code in LANGUAGES]
    body = _ENVIRONMENT.get_template("framework.html").render(
        lang=language,
        t=_t(language),
        languages=switch,
        framework=framework_view(framework, items, language),
    )
    return page_response(body, language, cache=CACHE)
