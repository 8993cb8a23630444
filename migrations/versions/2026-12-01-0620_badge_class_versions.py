"""badge class versions: the design matrix moves to immutable versions; awards name theirs

Every existing badge class becomes a published version 1 (its content as it is now) and
its awards point at that version.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 06:20:00+00:00
"""

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CONTENT_COLUMNS = (
    sa.Column("description", sa.Text(), nullable=True),
    sa.Column("criteria_narrative", sa.Text(), nullable=True),
    sa.Column("criteria_url", sa.String(length=2048), nullable=True),
    sa.Column("alignments", sa.JSON(), nullable=True),
    sa.Column("tags", sa.JSON(), nullable=True),
    sa.Column("language", sa.String(length=35), nullable=True),
    sa.Column("expires_after_days", sa.Integer(), nullable=True),
    sa.Column("image_media_type", sa.String(length=32), nullable=True),
    sa.Column("image_template", sa.JSON(), nullable=True),
    sa.Column("image_png", sa.LargeBinary(), nullable=True),
    sa.Column("image_svg", sa.LargeBinary(), nullable=True),
    sa.Column("ob3_proof", sa.String(length=16), nullable=True),
)
_NAMES = [column.name for column in CONTENT_COLUMNS]
OPTIONAL = {
    "criteria_narrative",
    "criteria_url",
    "expires_after_days",
    "image_template",
    "ob3_proof",
}


def _content(row: Any) -> dict[str, Any]:
    criteria = {"narrative": row.criteria_narrative, "url": row.criteria_url}
    return {
        "name": row.name,
        "description": row.description,
        "criteria": criteria,
        "alignments": row.alignments or [],
        "tags": row.tags or [],
        "language": row.language or "fr",
        "expires_after_days": row.expires_after_days,
        "ob3_proof": row.ob3_proof,
    }


def upgrade() -> None:
    op.create_table(
        "badge_class_version",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("badge_class_id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("image_media_type", sa.String(length=32), nullable=False),
        sa.Column("image_template", sa.JSON(), nullable=True),
        sa.Column("image_png", sa.LargeBinary(), nullable=False),
        sa.Column("image_svg", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("hosted_version", sa.String(length=64), nullable=True),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["badge_class_id"],
            ["badge_class.id"],
            name=op.f("fk_badge_class_version_badge_class_id_badge_class"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_badge_class_version_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_badge_class_version")),
        sa.UniqueConstraint(
            "badge_class_id", "number", name=op.f("uq_badge_class_version_badge_class_id_number")
        ),
    )
    op.create_index(
        op.f("ix_badge_class_version_badge_class_id"),
        "badge_class_version",
        ["badge_class_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_badge_class_version_organisation_id"),
        "badge_class_version",
        ["organisation_id"],
        unique=False,
    )
    op.create_table(
        "badge_class_change",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("badge_class_id", sa.Uuid(), nullable=False),
        sa.Column("version_number", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("author_kind", sa.String(length=16), nullable=False),
        sa.Column("author_id", sa.Uuid(), nullable=False),
        sa.Column("author_name", sa.String(length=200), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["badge_class_id"],
            ["badge_class.id"],
            name=op.f("fk_badge_class_change_badge_class_id_badge_class"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_badge_class_change_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_badge_class_change")),
    )
    for column in ("badge_class_id", "organisation_id"):
        op.create_index(
            op.f(f"ix_badge_class_change_{column}"), "badge_class_change", [column], unique=False
        )
    op.add_column(
        "badge_class",
        sa.Column("state", sa.String(length=16), server_default="published", nullable=False),
    )
    op.add_column("badge_class", sa.Column("published_number", sa.Integer(), nullable=True))
    op.add_column(
        "badge_class",
        sa.Column("latest_number", sa.Integer(), server_default="1", nullable=False),
    )
    op.add_column("badge_class_snapshot", sa.Column("translations", sa.JSON(), nullable=True))
    op.add_column("award", sa.Column("badge_class_version_id", sa.Uuid(), nullable=True))
    op.add_column("award", sa.Column("level", sa.Integer(), nullable=True))
    _versions_from_badge_classes()
    with op.batch_alter_table("award") as batch:
        batch.alter_column("badge_class_version_id", existing_type=sa.Uuid(), nullable=False)
        batch.create_foreign_key(
            batch.f("fk_award_badge_class_version_id_badge_class_version"),
            "badge_class_version",
            ["badge_class_version_id"],
            ["id"],
        )
        batch.create_index(
            batch.f("ix_award_badge_class_version_id"), ["badge_class_version_id"], unique=False
        )
    with op.batch_alter_table("badge_class") as batch:
        for name in _NAMES:
            batch.drop_column(name)


def _versions_from_badge_classes() -> None:
    connection = op.get_bind()
    old = sa.table(
        "badge_class",
        sa.column("id", sa.Uuid()),
        sa.column("organisation_id", sa.Uuid()),
        sa.column("name", sa.String()),
        sa.column("created_at", sa.DateTime(timezone=True)),
        sa.column("updated_at", sa.DateTime(timezone=True)),
        sa.column("published_number", sa.Integer()),
        *(sa.column(column.name, column.type) for column in CONTENT_COLUMNS),
    )
    version = sa.table(
        "badge_class_version",
        *(
            sa.column(name, kind)
            for name, kind in (
                ("id", sa.Uuid()),
                ("badge_class_id", sa.Uuid()),
                ("organisation_id", sa.Uuid()),
                ("number", sa.Integer()),
                ("content", sa.JSON()),
                ("image_media_type", sa.String()),
                ("image_template", sa.JSON()),
                ("image_png", sa.LargeBinary()),
                ("image_svg", sa.LargeBinary()),
                ("created_at", sa.DateTime(timezone=True)),
                ("updated_at", sa.DateTime(timezone=True)),
                ("published_at", sa.DateTime(timezone=True)),
            )
        ),
    )
    award = sa.table(
        "award",
        sa.column("badge_class_id", sa.Uuid()),
        sa.column("badge_class_version_id", sa.Uuid()),
    )
    for row in connection.execute(sa.select(old)).all():
        version_id = uuid.uuid4()
        connection.execute(
            version.insert().values(
                id=version_id,
                badge_class_id=row.id,
                organisation_id=row.organisation_id,
                number=1,
                content=_content(row),
                image_media_type=row.image_media_type,
                image_template=row.image_template,
                image_png=row.image_png,
                image_svg=row.image_svg,
                created_at=row.created_at,
                updated_at=row.updated_at,
                published_at=row.updated_at or datetime.now(UTC),
            )
        )
        connection.execute(old.update().where(old.c.id == row.id).values(published_number=1))
        connection.execute(
            award.update()
            .where(award.c.badge_class_id == row.id)
            .values(badge_class_version_id=version_id)
        )


def downgrade() -> None:
    with op.batch_alter_table("badge_class") as batch:
        for column in CONTENT_COLUMNS:
            batch.add_column(column._copy())
    _badge_classes_from_versions()
    with op.batch_alter_table("badge_class") as batch:
        for column in CONTENT_COLUMNS:
            if column.name not in OPTIONAL:
                batch.alter_column(column.name, existing_type=column.type, nullable=False)
        batch.drop_column("latest_number")
        batch.drop_column("published_number")
        batch.drop_column("state")
    with op.batch_alter_table("award") as batch:
        batch.drop_index(batch.f("ix_award_badge_class_version_id"))
        batch.drop_constraint(
            batch.f("fk_award_badge_class_version_id_badge_class_version"), type_="foreignkey"
        )
        batch.drop_column("level")
        batch.drop_column("badge_class_version_id")
    op.drop_column("badge_class_snapshot", "translations")
    for column in ("badge_class_id", "organisation_id"):
        op.drop_index(op.f(f"ix_badge_class_change_{column}"), table_name="badge_class_change")
    op.drop_table("badge_class_change")
    op.drop_index(op.f("ix_badge_class_version_organisation_id"), table_name="badge_class_version")
    op.drop_index(op.f("ix_badge_class_version_badge_class_id"), table_name="badge_class_version")
    op.drop_table("badge_class_version")


def _badge_classes_from_versions() -> None:
    """Each badge class gets back the content of its published (else newest) version."""
    connection = op.get_bind()
    rows = connection.execute(
        sa.text(
            "SELECT v.badge_class_id, v.content, v.image_media_type, v.image_template, "
            "v.image_png, v.image_svg FROM badge_class_version v JOIN badge_class b "
            "ON b.id = v.badge_class_id "
            "AND v.number = COALESCE(b.published_number, b.latest_number)"
        ).columns(
            sa.column("badge_class_id", sa.Uuid()),
            sa.column("content", sa.JSON()),
            sa.column("image_media_type", sa.String()),
            sa.column("image_template", sa.JSON()),
            sa.column("image_png", sa.LargeBinary()),
            sa.column("image_svg", sa.LargeBinary()),
        )
    ).all()
    old = sa.table(
        "badge_class",
        sa.column("id", sa.Uuid()),
        *(sa.column(c.name, c.type) for c in CONTENT_COLUMNS),
    )
    for row in rows:
        content = row.content
        criteria = content.get("criteria") or {}
        connection.execute(
            old.update()
            .where(old.c.id == row.badge_class_id)
            .values(
                description=content["description"],
                criteria_narrative=criteria.get("narrative"),
                criteria_url=criteria.get("url"),
                alignments=content.get("alignments", []),
                tags=content.get("tags", []),
                language=content.get("language", "fr"),
                expires_after_days=content.get("expires_after_days"),
                image_media_type=row.image_media_type,
                image_template=row.image_template,
                image_png=row.image_png,
                image_svg=row.image_svg,
                ob3_proof=content.get("ob3_proof"),
            )
        )
