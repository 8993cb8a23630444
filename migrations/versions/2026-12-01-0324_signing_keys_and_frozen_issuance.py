"""signing keys and frozen issuance: every format of an award is built once, at award time

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 03:24:03.616027+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "image_blob",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("media_type", sa.String(length=32), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_image_blob")),
    )
    op.create_table(
        "signing_key",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("issuer_id", sa.Uuid(), nullable=False),
        sa.Column(
            "algorithm",
            sa.Enum("Ed25519", "RSA", name="keyalgorithm", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum("active", "rotated", "retired", name="keystatus", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("public_key_pem", sa.Text(), nullable=False),
        sa.Column("public_key_multibase", sa.String(length=64), nullable=True),
        sa.Column("sealed_private_key", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("rotated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["issuer_id"],
            ["issuer.id"],
            name=op.f("fk_signing_key_issuer_id_issuer"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_signing_key_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signing_key")),
    )
    with op.batch_alter_table("signing_key", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_signing_key_issuer_id"), ["issuer_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_signing_key_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(
            "uq_signing_key_one_active",
            ["issuer_id", "algorithm"],
            unique=True,
            sqlite_where=sa.text("status = 'active'"),
            postgresql_where=sa.text("status = 'active'"),
        )

    op.create_table(
        "status_list",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("issuer_id", sa.Uuid(), nullable=False),
        sa.Column("purpose", sa.String(length=16), nullable=False),
        sa.Column("entries", sa.Integer(), nullable=False),
        sa.Column("base_url", sa.String(length=2048), nullable=False),
        sa.Column("credential", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["issuer_id"],
            ["issuer.id"],
            name=op.f("fk_status_list_issuer_id_issuer"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_status_list_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_status_list")),
    )
    with op.batch_alter_table("status_list", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_status_list_issuer_id"), ["issuer_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_status_list_organisation_id"), ["organisation_id"], unique=False
        )

    op.create_table(
        "badge_class_snapshot",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.String(length=64), nullable=False),
        sa.Column("badge_class_id", sa.Uuid(), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["badge_class_id"],
            ["badge_class.id"],
            name=op.f("fk_badge_class_snapshot_badge_class_id_badge_class"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_badge_class_snapshot_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_badge_class_snapshot")),
    )
    with op.batch_alter_table("badge_class_snapshot", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_badge_class_snapshot_badge_class_id"), ["badge_class_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_badge_class_snapshot_organisation_id"), ["organisation_id"], unique=False
        )

    op.create_table(
        "issued_award",
        sa.Column("award_id", sa.Uuid(), nullable=False),
        sa.Column("issuer_id", sa.Uuid(), nullable=False),
        sa.Column("base_url", sa.String(length=2048), nullable=False),
        sa.Column("badge_class_snapshot_id", sa.Uuid(), nullable=False),
        sa.Column("image_png_sha256", sa.String(length=64), nullable=False),
        sa.Column("image_svg_sha256", sa.String(length=64), nullable=False),
        sa.Column("ob2_assertion", sa.Text(), nullable=False),
        sa.Column("ob2_signed_id", sa.String(length=64), nullable=False),
        sa.Column("ob2_jws", sa.Text(), nullable=False),
        sa.Column("ob3_credential", sa.Text(), nullable=False),
        sa.Column("ob3_jwt", sa.Text(), nullable=False),
        sa.Column("ob3_default", sa.String(length=16), nullable=False),
        sa.Column("rsa_key_id", sa.Uuid(), nullable=False),
        sa.Column("ed25519_key_id", sa.Uuid(), nullable=False),
        sa.Column("status_list_id", sa.Uuid(), nullable=True),
        sa.Column("status_list_index", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["award_id"],
            ["award.id"],
            name=op.f("fk_issued_award_award_id_award"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["badge_class_snapshot_id"],
            ["badge_class_snapshot.id"],
            name=op.f("fk_issued_award_badge_class_snapshot_id_badge_class_snapshot"),
        ),
        sa.ForeignKeyConstraint(
            ["ed25519_key_id"],
            ["signing_key.id"],
            name=op.f("fk_issued_award_ed25519_key_id_signing_key"),
        ),
        sa.ForeignKeyConstraint(
            ["image_png_sha256"],
            ["image_blob.sha256"],
            name=op.f("fk_issued_award_image_png_sha256_image_blob"),
        ),
        sa.ForeignKeyConstraint(
            ["image_svg_sha256"],
            ["image_blob.sha256"],
            name=op.f("fk_issued_award_image_svg_sha256_image_blob"),
        ),
        sa.ForeignKeyConstraint(
            ["issuer_id"], ["issuer.id"], name=op.f("fk_issued_award_issuer_id_issuer")
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_issued_award_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["rsa_key_id"], ["signing_key.id"], name=op.f("fk_issued_award_rsa_key_id_signing_key")
        ),
        sa.ForeignKeyConstraint(
            ["status_list_id"],
            ["status_list.id"],
            name=op.f("fk_issued_award_status_list_id_status_list"),
        ),
        sa.PrimaryKeyConstraint("award_id", name=op.f("pk_issued_award")),
        sa.UniqueConstraint(
            "status_list_id",
            "status_list_index",
            name=op.f("uq_issued_award_status_list_id_status_list_index"),
        ),
    )
    with op.batch_alter_table("issued_award", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_issued_award_badge_class_snapshot_id"),
            ["badge_class_snapshot_id"],
            unique=False,
        )
        batch_op.create_index(batch_op.f("ix_issued_award_issuer_id"), ["issuer_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_issued_award_organisation_id"), ["organisation_id"], unique=False
        )

    with op.batch_alter_table("badge_class", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ob3_proof", sa.String(length=16), nullable=True))

    with op.batch_alter_table("issuer", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "identifier_style", sa.String(length=16), nullable=False, server_default="url"
            )
        )
        batch_op.add_column(
            sa.Column(
                "ob3_proof", sa.String(length=16), nullable=False, server_default="data-integrity"
            )
        )
        batch_op.add_column(
            sa.Column(
                "ob3_status", sa.String(length=16), nullable=False, server_default="bitstring"
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("issuer", schema=None) as batch_op:
        batch_op.drop_column("ob3_status")
        batch_op.drop_column("ob3_proof")
        batch_op.drop_column("identifier_style")

    with op.batch_alter_table("badge_class", schema=None) as batch_op:
        batch_op.drop_column("ob3_proof")

    with op.batch_alter_table("issued_award", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_issued_award_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_issued_award_issuer_id"))
        batch_op.drop_index(batch_op.f("ix_issued_award_badge_class_snapshot_id"))

    op.drop_table("issued_award")
    with op.batch_alter_table("badge_class_snapshot", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_badge_class_snapshot_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_badge_class_snapshot_badge_class_id"))

    op.drop_table("badge_class_snapshot")
    with op.batch_alter_table("status_list", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_status_list_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_status_list_issuer_id"))

    op.drop_table("status_list")
    with op.batch_alter_table("signing_key", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_signing_key_one_active",
            sqlite_where=sa.text("status = 'active'"),
            postgresql_where=sa.text("status = 'active'"),
        )
        batch_op.drop_index(batch_op.f("ix_signing_key_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_signing_key_issuer_id"))

    op.drop_table("signing_key")
    op.drop_table("image_blob")
