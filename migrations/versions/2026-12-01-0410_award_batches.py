"""award batches: one badge class awarded to a list of recipients, row by row

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 04:10:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ROW_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "award_batch",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("badge_class_id", sa.Uuid(), nullable=False),
        sa.Column("source", sa.String(length=8), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=True),
        sa.Column("ob3_proof", sa.String(length=20), nullable=True),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["badge_class_id"],
            ["badge_class.id"],
            name=op.f("fk_award_batch_badge_class_id_badge_class"),
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_award_batch_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_award_batch")),
    )
    op.create_index(
        op.f("ix_award_batch_badge_class_id"), "award_batch", ["badge_class_id"], unique=False
    )
    op.create_index(op.f("ix_award_batch_created_at"), "award_batch", ["created_at"], unique=False)
    op.create_index(
        op.f("ix_award_batch_organisation_id"), "award_batch", ["organisation_id"], unique=False
    )
    op.create_table(
        "award_batch_row",
        sa.Column("id", ROW_ID, autoincrement=True, nullable=False),
        sa.Column("batch_id", sa.Uuid(), nullable=False),
        sa.Column("row_number", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("award_id", sa.Uuid(), nullable=True),
        sa.Column("processed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["award_id"],
            ["award.id"],
            name=op.f("fk_award_batch_row_award_id_award"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["award_batch.id"],
            name=op.f("fk_award_batch_row_batch_id_award_batch"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_award_batch_row")),
        sa.UniqueConstraint("award_id", name=op.f("uq_award_batch_row_award_id")),
        sa.UniqueConstraint(
            "batch_id", "row_number", name=op.f("uq_award_batch_row_batch_id_row_number")
        ),
    )
    op.create_index("ix_award_batch_row_state_id", "award_batch_row", ["state", "id"])
    op.create_index("ix_award_batch_row_batch_id_state", "award_batch_row", ["batch_id", "state"])


def downgrade() -> None:
    op.drop_index("ix_award_batch_row_batch_id_state", table_name="award_batch_row")
    op.drop_index("ix_award_batch_row_state_id", table_name="award_batch_row")
    op.drop_table("award_batch_row")
    op.drop_index(op.f("ix_award_batch_organisation_id"), table_name="award_batch")
    op.drop_index(op.f("ix_award_batch_created_at"), table_name="award_batch")
    op.drop_index(op.f("ix_award_batch_badge_class_id"), table_name="award_batch")
    op.drop_table("award_batch")
