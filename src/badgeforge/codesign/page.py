"""The co-design page ``/co-design/{token}``: server-rendered, no JavaScript, FR/EN.

The token in the URL is the invitee's credential, so every answer is ``no-store`` and
sends no referrer. Forms post back to the same URL and are answered with a redirect
(303) and a status message; a form with mistakes is shown again with each error next to
its field. Edits and comments go through the badge class services under the invitee's
name (``Author("invitation", …)``), so the design history records them.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy.orm import Session

from badgeforge.badge_classes import service as badge_classes
from badgeforge.badge_classes.content import stored_content
from badgeforge.badge_classes.models import BadgeClass, BadgeClassState
from badgeforge.badge_classes.workflow import Action
from badgeforge.codesign import comments, forms, invitations
from badgeforge.codesign.forms import PageForm
from badgeforge.codesign.messages import MESSAGES, STATES
from badgeforge.codesign.models import Invitation, MatrixField, Role
from badgeforge.codesign.view import Submitted, field_values, page_context, word
from badgeforge.db import SessionDep, utcnow
from badgeforge.deps import SettingsDep
from badgeforge.etags import entity_tag
from badgeforge.pages.api import PAGE_CSP, AcceptLanguage, LangQuery
from badgeforge.pages.i18n import LANGUAGE_NAMES, LANGUAGES, Language, negotiate, translate
from badgeforge.pages.templating import ENVIRONMENT
from badgeforge.problems import Conflict, PreconditionFailed
from badgeforge.ratelimit import Policy, rate_limited
from badgeforge.settings import Settings

PATH = "/co-design"
NOTICES = {"saved", "unchanged", "commented", "submitted"}
HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex, nofollow",
    "Content-Security-Policy": PAGE_CSP,
    "Vary": "Accept-Language",
}


def page_policy(settings: Settings, with_key: bool) -> Policy:
    """Per client address, the same quota as the public verification page."""
    return Policy.parse("co-design", settings.rate_limit_verify)


router = APIRouter(include_in_schema=False, dependencies=[Depends(rate_limited(page_policy))])


def render(template: str, language: Language, path: str, **context: Any) -> str:
    """A page template with the co-design words, then the public pages' words."""

    def t(key: str, **values: Any) -> str:
        if key in MESSAGES:
            return word(language, key, **values)
        return translate(language, key, **values)

    switch = [(code, LANGUAGE_NAMES[code], f"{path}?lang={code}") for code in LANGUAGES]
    return ENVIRONMENT.get_template(template).render(
        lang=language, t=t, languages=switch, **context
    )


def _html(body: str, language: Language, status_code: int = 200) -> HTMLResponse:
    return HTMLResponse(
        body, status_code=status_code, headers={**HEADERS, "Content-Language": language}
    )


def _ended(error: invitations.InvitationUnknown | invitations.InvitationEnded, token: str,
           language: Language) -> HTMLResponse:  # fmt: skip
    kind = "unknown" if isinstance(error, invitations.InvitationUnknown) else "ended"
    body = render("codesign_ended.html", language, f"{PATH}/{token}", kind=kind)
    return _html(body, language, 404 if kind == "unknown" else 410)


def _page(
    session: Session,
    invitation: Invitation,
    token: str,
    language: Language,
    *,
    submitted: Submitted | None = None,
    notice: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    badge_class = invitations.badge_class_of(session, invitation)
    context = page_context(
        session,
        invitation,
        badge_class,
        language,
        submitted=submitted or Submitted(),
        notice=word(language, f"done_{notice}") if notice in NOTICES else None,
    )
    path = f"{PATH}/{token}"
    body = render("codesign.html", language, path, action=f"{path}?lang={language}", **context)
    return _html(body, language, status_code)


@router.get(PATH + "/{token}", response_class=HTMLResponse)
def codesign_page(
    token: str,
    session: SessionDep,
    lang: LangQuery = None,
    accept_language: AcceptLanguage = None,
    done: str | None = None,
) -> Response:
    """The badge class's matrix, its comments and history, for the invitee."""
    language = negotiate(lang, accept_language)
    try:
        invitation = invitations.resolve(session, token, utcnow())
    except (invitations.InvitationUnknown, invitations.InvitationEnded) as error:
        return _ended(error, token, language)
    return _page(session, invitation, token, language, notice=done)


@router.post(PATH + "/{token}", response_class=HTMLResponse)
def codesign_action(
    token: str,
    form: Annotated[PageForm, Form()],
    session: SessionDep,
    settings: SettingsDep,
    lang: LangQuery = None,
    accept_language: AcceptLanguage = None,
) -> Response:
    """Save the matrix, add a comment, or submit the draft for review."""
    language = negotiate(lang, accept_language)
    try:
        invitation = invitations.resolve(session, token, utcnow())
    except (invitations.InvitationUnknown, invitations.InvitationEnded) as error:
        return _ended(error, token, language)
    handler = {"save": _save, "comment": _comment, "submit": _submit}.get(form.action)
    if handler is None:
        alert = Submitted(alert=word(language, "error_action"))
        return _page(session, invitation, token, language, submitted=alert, status_code=400)
    return handler(session, settings, invitation, token, language, form)


def _done(token: str, language: Language, notice: str, anchor: str = "status") -> Response:
    url = f"{PATH}/{token}?lang={language}&done={notice}#{anchor}"
    return RedirectResponse(url, status_code=303, headers=HEADERS)


def _refused(
    session: Session, invitation: Invitation, token: str, language: Language, message: str,
    status_code: int, submitted: Submitted | None = None,
) -> Response:  # fmt: skip
    base = submitted or Submitted()
    shown = Submitted(base.values, base.errors, alert=message)
    return _page(session, invitation, token, language, submitted=shown, status_code=status_code)


def _state_word(badge_class: BadgeClass, language: Language) -> str:
    return STATES[badge_class.state][language].lower()


def _save(
    session: Session, settings: Settings, invitation: Invitation, token: str,
    language: Language, form: PageForm,
) -> Response:  # fmt: skip
    if invitation.role != Role.EDITOR:
        return _refused(session, invitation, token, language, word(language, "error_role"), 403)
    badge_class = invitations.badge_class_of(session, invitation)
    state = BadgeClassState(badge_class.state)
    if state in (BadgeClassState.IN_REVIEW, BadgeClassState.ARCHIVED):
        message = word(language, "error_not_editable", state=_state_word(badge_class, language))
        return _refused(session, invitation, token, language, message, 409)
    newest = badge_classes.latest(session, badge_class)
    current = stored_content(newest.content, version_id=newest.id)
    values, errors, update = forms.matrix(form, current, language)
    if update is None:
        submitted = Submitted(values, errors)
        return _page(session, invitation, token, language, submitted=submitted, status_code=422)
    if values == field_values(current):
        return _done(token, language, "unchanged")
    seen = form.concurrency
    if_match = entity_tag(badge_class.id, int(seen)) if seen.isdigit() else None
    try:
        badge_classes.update(
            session,
            invitations.scoping_principal(invitation),
            badge_class.id,
            update,
            settings,
            if_match=if_match,
            author=invitations.author(invitation),
        )
    except PreconditionFailed:
        session.rollback()
        message = word(language, "error_changed")
        return _refused(session, invitation, token, language, message, 409, Submitted(values))
    except Conflict:
        session.rollback()
        message = word(language, "error_not_editable", state=_state_word(badge_class, language))
        return _refused(session, invitation, token, language, message, 409, Submitted(values))
    return _done(token, language, "saved")


def _comment(
    session: Session, settings: Settings, invitation: Invitation, token: str,
    language: Language, form: PageForm,
) -> Response:  # fmt: skip
    if form.field not in MatrixField._value2member_map_:
        return _refused(session, invitation, token, language, word(language, "error_action"), 400)
    body, error, checked = forms.comment(form, language)
    if checked is None:
        submitted = Submitted(comment_field=form.field, comment_body=body, comment_error=error)
        return _page(session, invitation, token, language, submitted=submitted, status_code=422)
    badge_class = invitations.badge_class_of(session, invitation)
    author = invitations.author(invitation)
    comments.add(session, badge_class, author, checked.field, checked.body)
    return _done(token, language, "commented", f"comments-{checked.field.value}")


def _submit(
    session: Session, settings: Settings, invitation: Invitation, token: str,
    language: Language, form: PageForm,
) -> Response:  # fmt: skip
    if invitation.role != Role.EDITOR:
        return _refused(session, invitation, token, language, word(language, "error_role"), 403)
    badge_class = invitations.badge_class_of(session, invitation)
    if badge_class.state != BadgeClassState.DRAFT:
        message = word(language, "error_not_submittable", state=_state_word(badge_class, language))
        return _refused(session, invitation, token, language, message, 409)
    try:
        badge_classes.transition(
            session,
            invitations.scoping_principal(invitation),
            badge_class.id,
            Action.SUBMIT,
            base_url=settings.base_url,
            author=invitations.author(invitation),
        )
    except Conflict:  # it changed meanwhile: nothing of this request is kept
        session.rollback()
        return _page(session, invitation, token, language, status_code=409)
    return _done(token, language, "submitted")
