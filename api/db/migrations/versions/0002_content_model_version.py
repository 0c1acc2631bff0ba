"""Photos record the content network that read their signs, beside the detector.

Revision ID: 0002_content_model_version
Revises: 0001_initial
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_content_model_version"
down_revision: str | None = "0001_initial"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Nullable, no default: photos scanned before this revision do not say which content
    # network read them, and null says so rather than guessing.
    op.add_column("photos", sa.Column("content_model_version", sa.String(100), nullable=True))


def downgrade() -> None:
    # In place, never by copying the table as batch mode would on SQLite: dropping the old
    # photos table cascades to every candidate (foreign keys are on). SQLite has dropped
    # columns itself since 3.35 (2021).
    with op.batch_alter_table("photos", recreate="never") as batch:
        batch.drop_column("content_model_version")
