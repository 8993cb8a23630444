"""Comments on the fields of a badge class's matrix; each one is also a step of its history."""

from collections import defaultdict
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.orm import Session

from badgeforge.badge_classes import history
from badgeforge.badge_classes.history import Author
from badgeforge.badge_classes.models import BadgeClass
from badgeforge.codesign.models import Comment, MatrixField
from badgeforge.pagination import PageParams, Slice, keyset_page

PAGE_THREAD_LIMIT = 200
"""At most this many comments per field on the co-design page (the newest ones)."""


def add(
    session: Session, badge_class: BadgeClass, author: Author, field: MatrixField, body: str
) -> Comment:
    """Comment on ``field`` of the version being designed, and record it in the history."""
    comment = Comment(
        organisation_id=badge_class.organisation_id,
        badge_class_id=badge_class.id,
        version_number=badge_class.latest_number,
        field=field,
        author_kind=author.kind,
        author_id=author.id,
        author_name=author.name,
        body=body,
    )
    session.add(comment)
    session.flush()
    change = history.record(
        session,
        badge_class,
        author,
        "comment",
        version_number=badge_class.latest_number,
        changes={field.value: {"comment": str(comment.id)}},
    )
    comment.author_name = change.author_name  # an API key's name, looked up by the history
    session.flush()
    return comment


def page(
    session: Session, badge_class: BadgeClass, params: PageParams, field: MatrixField | None
) -> Slice[Comment]:
    """The badge class's comments, oldest first, optionally on one field only."""
    statement = select(Comment).where(Comment.badge_class_id == badge_class.id)
    if field is not None:
        statement = statement.where(Comment.field == field)
    return keyset_page(
        session,
        statement,
        params,
        created_at=Comment.created_at,
        id=Comment.id,
        list_key=f"comments:{badge_class.id}",
        filters={"field": field},
    )


def threads(session: Session, badge_class_id: UUID) -> dict[str, list[Comment]]:
    """Each field's comments, oldest first (the newest ``PAGE_THREAD_LIMIT`` per field)."""
    rows = session.scalars(
        select(Comment)
        .where(Comment.badge_class_id == badge_class_id)
        .order_by(Comment.created_at.desc(), Comment.id.desc())
        .limit(PAGE_THREAD_LIMIT * len(MatrixField))
    ).all()
    by_field: dict[str, list[Comment]] = defaultdict(list)
    for row in rows:
        if len(by_field[row.field]) < PAGE_THREAD_LIMIT:
            by_field[row.field].append(row)
    return {field: list(reversed(found)) for field, found in by_field.items()}
