"""Jinja2 environment of the pages: autoescaped templates, translation and date helpers."""

import re
from datetime import datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from badgeforge.pages.i18n import LANGUAGE_NAMES, LANGUAGES, Language, format_date, translate

TEMPLATES_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"
STATIC_PATH = "/static/pages"
_BULLET = re.compile(r"^\s*[-*+]\s+")


def safe_href(url: str | None) -> str | None:
    """``url`` if it is an http(s) URL or a site path, else None (never ``javascript:``)."""
    if not url:
        return None
    lowered = url.strip().lower()
    if lowered.startswith(("https://", "http://")) or (url.startswith("/") and url[1:2] != "/"):
        return url.strip()
    return None


def simple_markdown(text: str | None) -> Markup:
    """Paragraphs and bullet lists of a Markdown narrative, everything else as escaped text."""
    if not text:
        return Markup("")
    html: list[str] = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = [line for line in block.splitlines() if line.strip()]
        if lines and all(_BULLET.match(line) for line in lines):
            items = "".join(f"<li>{escape(_BULLET.sub('', line))}</li>" for line in lines)
            html.append(f"<ul>{items}</ul>")
        else:
            html.append(f"<p>{Markup('<br>').join(escape(line) for line in lines)}</p>")
    return Markup("".join(html))  # noqa: S704 - every piece of text above is escaped


def _environment() -> Environment:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(["html"]),
        auto_reload=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["markdown"] = simple_markdown
    environment.filters["href"] = safe_href
    environment.globals["static"] = STATIC_PATH
    return environment


ENVIRONMENT = _environment()


def render(template: str, language: Language, path: str, **context: Any) -> str:
    """Render ``template`` in ``language`` for the page at ``path`` (for the language links)."""

    def t(key: str, **values: Any) -> str:
        filled = {
            name: format_date(language, value) if isinstance(value, datetime) else value
            for name, value in values.items()
        }
        return translate(language, key, **filled)

    def date(moment: datetime) -> str:
        return format_date(language, moment)

    switch = [(code, LANGUAGE_NAMES[code], f"{path}?lang={code}") for code in LANGUAGES]
    return ENVIRONMENT.get_template(template).render(
        lang=language, t=t, date=date, languages=switch, **context
    )
