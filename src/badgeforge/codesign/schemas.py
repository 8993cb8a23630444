"""Request and response shapes of the invitation and comment endpoints."""

from datetime import datetime
from typing import Annotated, Any, Literal, Self
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from badgeforge.badge_classes.schemas import ChangeAuthor
from badgeforge.codesign.invitations import DEFAULT_DAYS, MAX_DAYS, status
from badgeforge.codesign.models import Comment, Invitation, MatrixField, Role
from badgeforge.fields import TEXT_PATTERN, Name, RequestModel, SchemaPattern

CommentBody = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=2000),
    SchemaPattern(TEXT_PATTERN),
]


class InvitationCreate(RequestModel):
    """Invite one person to co-design this badge class, by a link."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"name": "Léa, travailleuse", "role": "editor", "expires_in_days": 30}]
        }
    )

    name: Name = Field(description="The invitee, as comments and the history will name them.")
    role: Role = Field(
        default=Role.EDITOR,
        description="`editor`: edit the draft's matrix, comment, submit for review; "
        "`commenter`: read and comment.",
    )
    expires_in_days: int = Field(
        default=DEFAULT_DAYS, ge=1, le=MAX_DAYS, description="The link stops working after."
    )


_INVITATION: dict[str, Any] = {
    "id": "5d2f8a1c-7b3e-4c9d-a6f0-1e2d3c4b5a69",
    "badge_class_id": "0b9d5f7e-2c4a-4e8b-8f1d-6a3c9e2b7d40",
    "name": "Léa, travailleuse",
    "role": "editor",
    "status": "active",
    "prefix": "7c1e9a3b5d2f",
    "created_at": "2026-12-01T07:00:00Z",
    "expires_at": "2026-12-31T07:00:00Z",
    "revoked_at": None,
    "last_used_at": None,
}


class InvitationRead(BaseModel):
    """An invitation, without its token."""

    model_config = ConfigDict(json_schema_extra={"examples": [_INVITATION]})

    id: UUID
    badge_class_id: UUID
    name: str
    role: Role
    status: Literal["active", "expired", "revoked"]
    prefix: str = Field(description="The visible part of the token: bfi_<prefix>_…")
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None = Field(description="When the link was last opened.")

    @classmethod
    def from_model(cls, invitation: Invitation, now: datetime) -> Self:
        return cls(
            id=invitation.id,
            badge_class_id=invitation.badge_class_id,
            name=invitation.name,
            role=Role(invitation.role),
            status=status(invitation, now),
            prefix=invitation.prefix,
            created_at=invitation.created_at,
            expires_at=invitation.expires_at,
            revoked_at=invitation.revoked_at,
            last_used_at=invitation.last_used_at,
        )


class InvitationCreated(InvitationRead):
    """A new invitation; ``token`` and ``url`` are shown this once."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    **_INVITATION,
                    "token": "bfi_7c1e9a3b5d2f_Qm4…(43 characters)",
                    "url": "http://localhost:8000/co-design/bfi_7c1e9a3b5d2f_Qm4…",
                }
            ]
        }
    )

    token: str = Field(description="The secret of the link. It is never shown again.")
    url: str = Field(description="The link to send to the invitee (it contains the token).")


class CommentCreate(RequestModel):
    """A comment on one field of the matrix (or `general`)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"field": "audience", "body": "Et les stagiaires ? Ils sont aussi concernés."}
            ]
        }
    )

    field: MatrixField = Field(default=MatrixField.GENERAL, description="What it is about.")
    body: CommentBody = Field(description="Markdown, 2,000 characters at most.")


class CommentRead(BaseModel):
    """A comment on one field of a badge class's matrix."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "2e4f6a8b-1c3d-4e5f-8a9b-0c1d2e3f4a5b",
                    "badge_class_id": "0b9d5f7e-2c4a-4e8b-8f1d-6a3c9e2b7d40",
                    "version_number": 1,
                    "field": "audience",
                    "author": {
                        "kind": "invitation",
                        "id": "5d2f8a1c-7b3e-4c9d-a6f0-1e2d3c4b5a69",
                        "name": "Léa, travailleuse",
                    },
                    "body": "Et les stagiaires ? Ils sont aussi concernés.",
                    "created_at": "2026-12-01T07:10:00Z",
                }
            ]
        }
    )

    id: UUID
    badge_class_id: UUID
    version_number: int = Field(description="The version being designed when it was written.")
    field: MatrixField
    author: ChangeAuthor
    body: str
    created_at: datetime

    @classmethod
    def from_model(cls, comment: Comment) -> Self:
        author = ChangeAuthor(
            kind=comment.author_kind, id=comment.author_id, name=comment.author_name
        )
        return cls(
            id=comment.id,
            badge_class_id=comment.badge_class_id,
            version_number=comment.version_number,
            field=MatrixField(comment.field),
            author=author,
            body=comment.body,
            created_at=comment.created_at,
        )
