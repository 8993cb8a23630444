"""revoked awards by badge class (a partial index: revocation lists read only revoked rows)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 09:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REVOKED = sa.text("revoked_at IS NOT NULL")


def upgrade() -> None:
    # The OB 2.0 and 1EdTech revocation lists of an issuer went through every award it ever
    # issued (30 ms at 20,000 awards, on every fetch by a verifier); with this index they
    # read the issuer's badge classes, then only their revoked awards.
    op.create_index(
        "ix_award_revoked_by_badge_class",
        "award",
        ["badge_class_id", "revoked_at"],
        sqlite_where=REVOKED,
        postgresql_where=REVOKED,
    )


def downgrade() -> None:
    op.drop_index("ix_award_revoked_by_badge_class", table_name="award")
