"""What the co-design page shows: the matrix, each field's comments, the history, in words."""

import base64
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from markupsafe import Markup, escape
from sqlalchemy.orm import Session

from badgeforge.badge_classes import history
from badgeforge.badge_classes import service as badge_classes
from badgeforge.badge_classes.content import EASY_READ, BadgeClassContent, stored_content
from badgeforge.badge_classes.models import BadgeClass, BadgeClassChange, BadgeClassState
from badgeforge.codesign import comments
from badgeforge.codesign.messages import (
    ACTIONS,
    FIELD_HELP,
    FIELD_LABELS,
    MESSAGES,
    NEXT_STEPS,
    STATES,
)
from badgeforge.codesign.models import Comment, Invitation, MatrixField, Role
from badgeforge.pages.i18n import LANGUAGE_NAMES, Language, format_date

EDITABLE = ("name", "audience", "description", "criteria", "evidence_expectations",
            "endorsement_expectations")  # fmt: skip
"""The fields a co-designer edits on the page; the others are set by staff through the API."""
ORDER = (*EDITABLE, *(f.value for f in MatrixField if f.value not in EDITABLE))
"""The matrix in the order people fill it in: for whom, what, how, proofs, who vouches."""
REQUIRED = frozenset({"name", "description", "criteria"})
MAX_LENGTH = {"name": 200}
TEXT_MAX = 20_000
HISTORY_SHOWN = 100
IMAGE_INLINE_MAX = 1_000_000
_KEY_SUFFIX = re.compile(r" \([0-9a-f]{12}\)$")


def word(language: Language, key: str, **values: object) -> str:
    """A message of the co-design page in ``language``."""
    message = MESSAGES[key][language]
    return message.format(**values) if values else message


def moment(language: Language, at: datetime) -> str:
    """``1er décembre 2026 à 07:10 (UTC)``."""
    return word(language, "at", date=format_date(language, at), time=at.strftime("%H:%M"))


def max_length(name: str) -> int:
    """How long the text of an editable field may be."""
    return MAX_LENGTH.get(name, TEXT_MAX)


@dataclass(frozen=True)
class CommentView:
    author: str
    when: str
    body: str


@dataclass
class FieldView:
    """One part of the matrix: its words, its value, its errors and its comment thread."""

    name: str
    label: str
    help: str
    value: str = ""
    items: list[str] = field(default_factory=list)
    editable: bool = False
    required: bool = False
    max_length: int = TEXT_MAX
    error: str | None = None
    comments: list[CommentView] = field(default_factory=list)
    comment_value: str = ""
    comment_error: str | None = None


@dataclass(frozen=True)
class ErrorLink:
    target: str
    label: str
    message: str


@dataclass(frozen=True)
class Submitted:
    """What the person sent and what was wrong with it, to show the form again."""

    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    comment_field: str | None = None
    comment_body: str = ""
    comment_error: str | None = None
    alert: str | None = None


def field_values(content: BadgeClassContent) -> dict[str, str]:
    """The editable fields' text as the form shows it."""
    return {
        "name": content.name,
        "audience": content.audience or "",
        "description": content.description,
        "criteria": content.criteria.narrative or "",
        "evidence_expectations": content.evidence_expectations or "",
        "endorsement_expectations": content.endorsement_expectations or "",
    }


def _items(content: BadgeClassContent, name: str, language: Language) -> list[str]:
    if name == "alignments":
        return [
            " · ".join(part for part in (a.target_name, a.target_framework, a.target_code) if part)
            for a in content.alignments
        ]
    if name == "levels":
        return [level.name for level in content.levels]
    if name == "translations":
        return [
            f"{_language_name(tag, language)}{MESSAGES_COLON[language]} {item.name}"
            for tag, item in sorted(content.translations.items())
        ]
    return []


MESSAGES_COLON: dict[Language, str] = {"fr": "\u00a0:", "en": ":"}


def _language_name(tag: str, language: Language) -> str:
    if tag == EASY_READ:
        return word(language, "easy_read")
    return LANGUAGE_NAMES.get(tag, tag)


def _comment(comment: Comment, language: Language) -> CommentView:
    author = author_name(comment.author_kind, comment.author_name, language)
    return CommentView(author, moment(language, comment.created_at), comment.body)


def author_name(kind: str, name: str, language: Language) -> str:
    """An invitee by the name they were invited under; staff as "the team (key name)"."""
    if kind == "invitation":
        return name
    return word(language, "staff", name=_KEY_SUFFIX.sub("", name))


def fields(
    content: BadgeClassContent,
    threads: dict[str, list[Comment]],
    language: Language,
    *,
    editing: bool,
    submitted: Submitted,
) -> list[FieldView]:
    """Every part of the matrix, in the order people fill it in."""
    values = {**field_values(content), **submitted.values}
    views = []
    for name in ORDER:
        view = FieldView(
            name=name,
            label=FIELD_LABELS[name][language],
            help=FIELD_HELP[name][language],
            value=values.get(name, ""),
            items=_items(content, name, language),
            editable=editing and name in EDITABLE,
            required=name in REQUIRED,
            max_length=max_length(name),
            error=submitted.errors.get(name),
            comments=[_comment(c, language) for c in threads.get(name, [])],
        )
        if submitted.comment_field == name:
            view.comment_value = submitted.comment_body
            view.comment_error = submitted.comment_error
        views.append(view)
    return views


def _what(change: BadgeClassChange, language: Language) -> str:
    labels = []
    for key in change.changes:
        label = FIELD_LABELS.get(key, {}).get(language) or word(language, "other_settings")
        if label not in labels:
            labels.append(label)
    template = ACTIONS.get(change.action, {}).get(language, change.action)
    return template.format(fields=", ".join(labels), number=change.version_number)


def history_lines(session: Session, badge_class: BadgeClass, language: Language) -> list[str]:
    """The newest steps of the design first, each as one sentence: when, who, what."""
    steps = history.history(session, badge_class)[-HISTORY_SHOWN:]
    return [
        f"{moment(language, step.created_at)} — "
        f"{author_name(step.author_kind, step.author_name, language)} {_what(step, language)}"
        for step in reversed(steps)
    ]


def error_links(views: list[FieldView]) -> list[ErrorLink]:
    """The error summary: one link to each field or comment box that needs fixing."""
    links = [ErrorLink(f"f-{v.name}", v.label, v.error) for v in views if v.error]
    links += [ErrorLink(f"c-{v.name}", v.label, v.comment_error) for v in views if v.comment_error]
    return links


def _image(session: Session, badge_class: BadgeClass) -> str | None:
    version = badge_classes.version(
        session, badge_class, badge_class.latest_number, with_images=True
    )
    if not version.image_png or len(version.image_png) > IMAGE_INLINE_MAX:
        return None
    return "data:image/png;base64," + base64.b64encode(version.image_png).decode()


def _heading(content: BadgeClassContent, language: Language) -> Markup:
    """The page's title, the badge's name marked with its language when it differs."""
    name: Markup = escape(content.name)
    if content.language != language:
        name = Markup('<span lang="{}">{}</span>').format(content.language, content.name)
    return escape(word(language, "codesign_title", name="\x00")).replace("\x00", name)


def page_context(
    session: Session,
    invitation: Invitation,
    badge_class: BadgeClass,
    language: Language,
    *,
    submitted: Submitted,
    notice: str | None,
) -> dict[str, Any]:
    """Everything the template needs."""
    newest = badge_classes.latest(session, badge_class)
    content = stored_content(newest.content, version_id=newest.id)
    state = BadgeClassState(badge_class.state)
    editor = invitation.role == Role.EDITOR
    editable_state = state in (BadgeClassState.DRAFT, BadgeClassState.PUBLISHED)
    threads = comments.threads(session, badge_class.id)
    views = fields(
        content, threads, language, editing=editor and editable_state, submitted=submitted
    )
    blocked = None
    if editor and state is BadgeClassState.IN_REVIEW:
        blocked = "not_editable_review"
    elif editor and state is BadgeClassState.ARCHIVED:
        blocked = "not_editable_archived"
    return {
        "invitation": invitation,
        "badge_name": content.name,
        "content_lang": content.language,
        "heading": _heading(content, language),
        "state_word": STATES[state.value][language],
        "next_step": NEXT_STEPS[state.value][language],
        "version_number": newest.number,
        "editor": editor,
        "editing": editor and editable_state,
        "can_submit": editor and state is BadgeClassState.DRAFT,
        "blocked": word(language, blocked) if blocked else None,
        "expires": format_date(language, invitation.expires_at),
        "concurrency": badge_class.version,
        "fields": views,
        "errors": error_links(views),
        "alert": submitted.alert,
        "notice": notice,
        "history": history_lines(session, badge_class, language),
        "image": _image(session, badge_class),
    }
