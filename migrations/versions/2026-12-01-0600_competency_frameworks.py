"""competency frameworks: the catalogue of frameworks and items, with RECTEC built in

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 06:00:00+00:00
"""

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from alembic import op

from badgeforge.core.frameworks import Framework, builtin_framework_id, builtin_item_id
from badgeforge.frameworks.builtin import load_builtins

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)
SEEDED_AT = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)


def _translations(values: Any) -> dict[str, Any]:
    return {
        tag: {"name": t.name, **({"description": t.description} if t.description else {})}
        for tag, t in values.items()
    }


def _framework_row(framework: Framework) -> dict[str, Any]:
    return {
        "id": builtin_framework_id(framework.slug),
        "organisation_id": None,
        "slug": framework.slug,
        "name": framework.name,
        "description": framework.description,
        "url": framework.url,
        "language": framework.language,
        "levels": [
            {"level": level.number, "name": level.name, "description": level.description}
            for level in framework.levels
        ],
        "translations": _translations(framework.translations),
        "extends_id": None,
        "created_at": SEEDED_AT,
        "updated_at": SEEDED_AT,
        "version": 1,
    }


def _item_rows(framework: Framework) -> list[dict[str, Any]]:
    return [
        {
            "id": builtin_item_id(framework.slug, item.code),
            "framework_id": builtin_framework_id(framework.slug),
            "code": item.code,
            "name": item.name,
            "description": item.description,
            "url": item.url,
            "group_name": item.group,
            "levels": [{"level": d.number, "description": d.description} for d in item.levels],
            "translations": _translations(item.translations),
            "created_at": SEEDED_AT + timedelta(microseconds=position),
        }
        for position, item in enumerate(framework.items)
    ]


def upgrade() -> None:
    frameworks = op.create_table(
        "competency_framework",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=True),
        sa.Column("slug", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("url", sa.String(length=2048), nullable=True),
        sa.Column("language", sa.String(length=35), nullable=False),
        sa.Column("levels", sa.JSON(), nullable=False),
        sa.Column("translations", sa.JSON(), nullable=False),
        sa.Column("extends_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_competency_framework_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["extends_id"],
            ["competency_framework.id"],
            name=op.f("fk_competency_framework_extends_id_competency_framework"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_competency_framework")),
        sa.UniqueConstraint(
            "organisation_id", "slug", name=op.f("uq_competency_framework_organisation_id_slug")
        ),
    )
    for column in ("organisation_id", "extends_id"):
        op.create_index(op.f(f"ix_competency_framework_{column}"), "competency_framework", [column])
    items = op.create_table(
        "competency_framework_item",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("framework_id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("url", sa.String(length=2048), nullable=True),
        sa.Column("group_name", sa.String(length=200), nullable=True),
        sa.Column("levels", sa.JSON(), nullable=False),
        sa.Column("translations", sa.JSON(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.ForeignKeyConstraint(
            ["framework_id"],
            ["competency_framework.id"],
            name=op.f("fk_competency_framework_item_framework_id_competency_framework"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_competency_framework_item")),
        sa.UniqueConstraint(
            "framework_id", "code", name=op.f("uq_competency_framework_item_framework_id_code")
        ),
    )
    op.create_index(
        op.f("ix_competency_framework_item_framework_id"),
        "competency_framework_item",
        ["framework_id"],
    )
    builtins = load_builtins()
    op.bulk_insert(frameworks, [_framework_row(framework) for framework in builtins])
    op.bulk_insert(items, [row for framework in builtins for row in _item_rows(framework)])


def downgrade() -> None:
    op.drop_table("competency_framework_item")
    op.drop_table("competency_framework")
