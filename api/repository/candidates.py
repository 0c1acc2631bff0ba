"""Sign candidates found in photos, and the review queue ordered by baht at risk."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from api.db.models import CandidateRow


def replace_for_photo(session: Session, photo_id: int, rows: Iterable[CandidateRow]) -> int:
    """Drop a photo's previous candidates (from an interrupted scan) and add ``rows``."""
    session.execute(
        delete(CandidateRow)
        .where(CandidateRow.photo_id == photo_id)
        .execution_options(synchronize_session=False)
    )
    n = 0
    for row in rows:
        row.photo_id = photo_id
        session.add(row)
        n += 1
    return n


def by_status(
    session: Session, *, status: str, limit: int, offset: int = 0
) -> Sequence[CandidateRow]:
    """Candidates with ``status``, most baht at risk first, then most tax due.

    Unpriced signs (no measurement, so no money figure) sort last on both databases; among
    equals the more confident detection comes first, then the older one.
    """
    stmt = (
        select(CandidateRow)
        .where(CandidateRow.status == status)
        .order_by(
            CandidateRow.baht_at_risk.desc().nulls_last(),
            CandidateRow.due_baht.desc().nulls_last(),
            CandidateRow.confidence.desc(),
            CandidateRow.id,
        )
        .limit(limit)
        .offset(offset)
    )
    return session.scalars(stmt).all()


def count_by_status(session: Session, *, status: str) -> int:
    stmt = select(func.count()).select_from(CandidateRow).where(CandidateRow.status == status)
    return session.scalar(stmt) or 0
