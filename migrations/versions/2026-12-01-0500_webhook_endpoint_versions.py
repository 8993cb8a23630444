"""webhook endpoint versions (ETag/If-Match on endpoint updates and secret rotations)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 05:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # plain ALTER TABLE, also on SQLite (no copy)
    op.add_column(
        "webhook_endpoint",
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
    )


def downgrade() -> None:
    op.drop_column("webhook_endpoint", "version")  # SQLite >= 3.35 drops a column in place
