"""Photos (with their scan job state), sign candidates and the audit log.

Revision ID: 0001_initial
Revises:
Create Date: 2025-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001_initial"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "photos",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("original_filename", sa.String(255), nullable=False),
        sa.Column("stored_path", sa.String(255), nullable=False),
        sa.Column("content_type", sa.String(64), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("width_px", sa.Integer(), nullable=False),
        sa.Column("height_px", sa.Integer(), nullable=False),
        sa.Column("focal_px", sa.Float(), nullable=True),
        sa.Column("focal_source", sa.String(200), nullable=True),
        sa.Column("gps_lat_deg", sa.Float(), nullable=True),
        sa.Column("gps_lon_deg", sa.Float(), nullable=True),
        sa.Column("heading_deg", sa.Float(), nullable=True),
        sa.Column("taken_at", sa.DateTime(timezone=False), nullable=True),
        sa.Column("camera_make_model", sa.String(200), nullable=True),
        sa.Column("distance_m", sa.Float(), nullable=True),
        sa.Column("uploaded_by", sa.String(100), nullable=True),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("claim_token", sa.String(64), nullable=True),
        sa.Column("scan_started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("scanned_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("model_version", sa.String(100), nullable=True),
        sa.Column("board_found", sa.Boolean(), nullable=True),
        sa.UniqueConstraint("sha256", name="uq_photos_sha256"),
    )
    op.create_index("ix_photos_status_id", "photos", ["status", "id"])

    op.create_table(
        "candidates",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "photo_id",
            sa.Integer(),
            sa.ForeignKey("photos.id", ondelete="CASCADE", name="fk_candidates_photo_id"),
            nullable=False,
        ),
        sa.Column("index_in_photo", sa.Integer(), nullable=False),
        sa.Column("sign_class", sa.String(32), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("bbox_xyxy", sa.JSON(), nullable=False),
        sa.Column("corners_px", sa.JSON(), nullable=False),
        sa.Column("corners_source", sa.String(32), nullable=False),
        sa.Column("width_cm", sa.Float(), nullable=True),
        sa.Column("height_cm", sa.Float(), nullable=True),
        sa.Column("area_cm2", sa.Float(), nullable=True),
        sa.Column("area_ci95_low_cm2", sa.Float(), nullable=True),
        sa.Column("area_ci95_high_cm2", sa.Float(), nullable=True),
        sa.Column("measure_method", sa.String(32), nullable=True),
        sa.Column("scale_source", sa.String(200), nullable=True),
        sa.Column("measurement_missing_reason", sa.Text(), nullable=True),
        sa.Column("scripts", sa.JSON(), nullable=False),
        sa.Column("thai_below_foreign", sa.Boolean(), nullable=False),
        sa.Column("has_graphics", sa.Boolean(), nullable=False),
        sa.Column("moving", sa.Boolean(), nullable=False),
        sa.Column("content_confidence", sa.Float(), nullable=False),
        sa.Column("content_needs_review", sa.Boolean(), nullable=False),
        sa.Column("sign_type", sa.Integer(), nullable=False),
        sa.Column("tax_year", sa.Integer(), nullable=False),
        sa.Column("tax", sa.JSON(), nullable=False),
        sa.Column("tax_missing_reason", sa.Text(), nullable=True),
        sa.Column("due_baht", sa.Numeric(12, 2), nullable=True),
        sa.Column("baht_at_risk", sa.Numeric(12, 2), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_candidates_photo_id", "candidates", ["photo_id"])
    op.create_index(
        "ix_candidates_status_risk", "candidates", ["status", "baht_at_risk", "due_baht"]
    )

    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("entity", sa.String(32), nullable=False),
        sa.Column("entity_id", sa.String(64), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
    )
    op.create_index("ix_audit_events_entity", "audit_events", ["entity", "entity_id"])


def downgrade() -> None:
    op.drop_index("ix_audit_events_entity", table_name="audit_events")
    op.drop_table("audit_events")
    op.drop_index("ix_candidates_status_risk", table_name="candidates")
    op.drop_index("ix_candidates_photo_id", table_name="candidates")
    op.drop_table("candidates")
    op.drop_index("ix_photos_status_id", table_name="photos")
    op.drop_table("photos")
