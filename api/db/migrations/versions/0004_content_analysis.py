"""Photos record the fingerprint of the whole content analysis that read their signs.

The content network's version alone does not say how a sign's type was reached: the reading
code, the fusion policy, the calibration and Tesseract's language data change the types the
same network gives (vision.content.fingerprint).

Revision ID: 0004_content_analysis
Revises: 0003_content_evidence
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_content_analysis"
down_revision: str | None = "0003_content_evidence"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Nullable, no default: photos scanned before this revision were read by an analysis
    # nobody fingerprinted, and null says so rather than guessing.
    op.add_column("photos", sa.Column("content_analysis", sa.String(64), nullable=True))


def downgrade() -> None:
    # In place, never by copying the table as batch mode would on SQLite: dropping the old
    # photos table cascades to every candidate (foreign keys are on). SQLite has dropped
    # columns itself since 3.35 (2021).
    with op.batch_alter_table("photos", recreate="never") as batch:
        batch.drop_column("content_analysis")
