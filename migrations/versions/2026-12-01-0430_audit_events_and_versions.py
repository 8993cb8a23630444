"""audit events (who did what, when, through which key) and row versions (ETag/If-Match)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 04:30:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "audit_event",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("object_type", sa.String(length=64), nullable=False),
        sa.Column("object_id", sa.Uuid(), nullable=True),
        sa.Column("api_key_id", sa.Uuid(), nullable=True),
        sa.Column("api_key_name", sa.String(length=200), nullable=True),
        sa.Column("api_key_prefix", sa.String(length=32), nullable=True),
        sa.Column("request_id", sa.String(length=128), nullable=True),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_audit_event_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_event")),
    )
    op.create_index(
        op.f("ix_audit_event_organisation_id"), "audit_event", ["organisation_id"], unique=False
    )
    op.create_index(
        "ix_audit_event_organisation_time",
        "audit_event",
        ["organisation_id", "created_at"],
        unique=False,
    )
    for table in ("issuer", "badge_class"):  # plain ALTER TABLE, also on SQLite (no copy)
        op.add_column(table, sa.Column("version", sa.Integer(), server_default="1", nullable=False))


def downgrade() -> None:
    for table in ("badge_class", "issuer"):  # SQLite >= 3.35 drops a column in place
        op.drop_column(table, "version")
    op.drop_index("ix_audit_event_organisation_time", table_name="audit_event")
    op.drop_index(op.f("ix_audit_event_organisation_id"), table_name="audit_event")
    op.drop_table("audit_event")
