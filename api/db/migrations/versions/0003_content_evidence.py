"""Candidates keep the evidence behind their tax type: the lines read and the content's note.

Revision ID: 0003_content_evidence
Revises: 0002_content_model_version
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_content_evidence"
down_revision: str | None = "0002_content_model_version"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Nullable: signs scanned before this revision had their lines read but not kept; null
    # says "not recorded", where an empty list would claim that nothing was legible.
    op.add_column("candidates", sa.Column("content_lines", sa.JSON(), nullable=True))
    op.add_column("candidates", sa.Column("content_note", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("candidates") as batch:  # SQLite drops a column by copying the table
        batch.drop_column("content_note")
        batch.drop_column("content_lines")
