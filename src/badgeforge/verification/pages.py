"""The ``/verify`` page: drop a file or paste a link, read the verdict (no JavaScript)."""

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from badgeforge.db import SessionDep, utcnow
from badgeforge.deps import SettingsDep
from badgeforge.pages.api import AcceptLanguage, LangQuery, page_response
from badgeforge.pages.i18n import Language, negotiate
from badgeforge.pages.templating import render
from badgeforge.ratelimit import VerifyRateLimit
from badgeforge.verification import service
from badgeforge.verification.api import MAX_UPLOAD_BYTES

router = APIRouter(include_in_schema=False)
ERRORS = {
    "nothing": {
        "fr": "Choisissez un fichier de badge ou collez un lien.",
        "en": "Choose a badge file or paste a link.",
    },
    "too_large": {
        "fr": "Ce fichier est trop volumineux (1 Mo au plus).",
        "en": "This file is too large (1 MB at most).",
    },
    "recipient": {
        "fr": "L'adresse e-mail du destinataire n'est pas valide.",
        "en": "The recipient's email address is not valid.",
    },
}


def _render(language: Language, **context: object) -> Response:
    body = render("verify.html", language, "/verify", **context)
    return page_response(body, language, cache="no-store")


@router.get("/verify")
def verify_form(lang: LangQuery = None, accept_language: AcceptLanguage = None) -> Response:
    """The verification form."""
    return _render(negotiate(lang, accept_language))


@router.post("/verify")
async def verify_submitted(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    _quota: VerifyRateLimit,
    lang: LangQuery = None,
    accept_language: AcceptLanguage = None,
) -> Response:
    """Verify the submitted file or link and show the report in the person's language."""
    language = negotiate(lang, accept_language)
    form = await request.form(max_files=1, max_fields=4)
    url = str(form.get("url") or "").strip()[:2048]
    recipient = str(form.get("recipient") or "").strip()[:320] or None
    upload = form.get("file")
    data: bytes | str = url
    if isinstance(upload, UploadFile) and upload.filename:
        data = await upload.read(MAX_UPLOAD_BYTES + 1)
        if len(data) > MAX_UPLOAD_BYTES:
            return _render(language, error=ERRORS["too_large"], url=url)
    if not data:
        return _render(language, error=ERRORS["nothing"], url=url)
    if recipient is not None and ("@" not in recipient or any(c.isspace() for c in recipient)):
        return _render(language, error=ERRORS["recipient"], url=url)
    report = await run_in_threadpool(
        service.verify_badge,
        session,
        settings.base_url,
        request.app.state.fetcher,
        data,
        recipient=recipient,
        now=utcnow(),
    )
    return _render(language, report=report, url=url)
