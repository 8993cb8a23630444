"""Public human pages (HTML, French and English): award, print, badge class, issuer.

Server-rendered, no JavaScript. The language follows ``?lang=``, then ``Accept-Language``,
then French. These routes are for people and stay out of the OpenAPI contract.
"""

from collections.abc import Callable
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Header, Query, Response
from fastapi.responses import HTMLResponse

from badgeforge.db import SessionDep, utcnow
from badgeforge.deps import SettingsDep
from badgeforge.pages import award_html, service
from badgeforge.pages.i18n import Language, negotiate, translate
from badgeforge.pages.matrix import EASY_READ_QUERY
from badgeforge.pages.qr import qr_svg
from badgeforge.pages.templating import render
from badgeforge.problems import Gone, NotFound

router = APIRouter(include_in_schema=False)

PAGE_CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)
LangQuery = Annotated[str | None, Query(alias="lang", max_length=8)]
AcceptLanguage = Annotated[str | None, Header(alias="Accept-Language")]
VersionQuery = Annotated[str | None, Query(alias="version", max_length=8)]
"""``falc``: the easy-to-read French version of the badge's text (the page is in French)."""


def _language(lang: str | None, accept_language: str | None, easy: bool) -> Language:
    return "fr" if easy else negotiate(lang, accept_language)


def page_response(
    body: str, language: Language, *, status_code: int = 200, cache: str
) -> HTMLResponse:
    return HTMLResponse(
        body,
        status_code=status_code,
        headers={
            "Content-Language": language,
            "Vary": "Accept-Language",
            "Cache-Control": cache,
            "Content-Security-Policy": PAGE_CSP,
            "Referrer-Policy": "same-origin",
        },
    )


def _human(path: str, language: Language, build: Callable[[], str], *, cache: str) -> Response:
    """The page ``build`` renders, or the HTML "not found" page (never a JSON problem)."""
    try:
        return page_response(build(), language, cache=cache)
    except NotFound:
        body = render("not_found.html", language, path)
        return page_response(body, language, status_code=404, cache="no-cache")


def _uuid(value: str) -> UUID:
    try:
        return UUID(value)
    except ValueError:
        raise NotFound(f"No page for {value!r}.") from None


@router.get("/badges/{award_id}", response_class=HTMLResponse)
def award_page(
    award_id: str,
    session: SessionDep,
    lang: LangQuery = None,
    accept_language: AcceptLanguage = None,
    version: VersionQuery = None,
) -> Response:
    """The award page: the badge, its recipient (masked), its verdict, downloads, wallets."""
    easy = version == EASY_READ_QUERY
    language = _language(lang, accept_language, easy)
    path = f"/badges/{award_id}"

    def build() -> str:
        return award_html.award_page(session, _uuid(award_id), language, path, utcnow(), easy=easy)

    return _human(path, language, build, cache="no-cache")


@router.get("/badges/{award_id}/print", response_class=HTMLResponse)
def award_print_page(
    award_id: str,
    session: SessionDep,
    settings: SettingsDep,
    lang: LangQuery = None,
    accept_language: AcceptLanguage = None,
) -> Response:
    """A one-page printable award, with a QR code to the award page."""
    language = negotiate(lang, accept_language)
    path = f"/badges/{award_id}/print"

    def build() -> str:
        award = service.award_view(session, _uuid(award_id), utcnow())
        page_url = f"{settings.base_url}/badges/{award.id}"
        qr = qr_svg(page_url, translate(language, "qr_label", url=page_url))
        return render("print.html", language, path, award=award, page_url=page_url, qr=qr)

    return _human(path, language, build, cache="no-cache")


@router.get("/badges/{award_id}/assertion.json")
def award_assertion_download(award_id: UUID, session: SessionDep) -> Response:
    """The OB 2.0 assertion as a file to save (the hosted URL redirects browsers here)."""
    body = service.assertion_json(session, award_id)
    if body is None:
        raise Gone("This badge has been revoked.")
    disposition = f'attachment; filename="badge-{award_id}-ob2.json"'
    return Response(
        body.encode("utf-8"),
        media_type="application/json; charset=utf-8",
        headers={"Content-Disposition": disposition, "Cache-Control": "no-cache"},
    )


@router.get("/badge-classes/{badge_class_id}", response_class=HTMLResponse)
def badge_class_page(
    badge_class_id: str,
    session: SessionDep,
    lang: LangQuery = None,
    accept_language: AcceptLanguage = None,
    version: VersionQuery = None,
) -> Response:
    """The badge class (criteria) page; ``?lang=fr&version=falc`` in easy-to-read French."""
    easy = version == EASY_READ_QUERY
    language = _language(lang, accept_language, easy)
    path = f"/badge-classes/{badge_class_id}"

    def build() -> str:
        badge = service.badge_class_view(session, _uuid(badge_class_id), language, easy=easy)
        return render("badge_class.html", language, path, badge=badge, easy=easy)

    return _human(path, language, build, cache="public, max-age=60")


@router.get("/issuers/{issuer_id}", response_class=HTMLResponse)
def issuer_page(
    issuer_id: str,
    session: SessionDep,
    lang: LangQuery = None,
    accept_language: AcceptLanguage = None,
) -> Response:
    """The issuer page: its profile and the badges it issues."""
    language = negotiate(lang, accept_language)
    path = f"/issuers/{issuer_id}"

    def build() -> str:
        issuer = service.issuer_view(session, _uuid(issuer_id))
        return render("issuer.html", language, path, issuer=issuer)

    return _human(path, language, build, cache="public, max-age=60")
