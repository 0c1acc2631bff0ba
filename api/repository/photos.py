"""Photos and their scan-job state."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, selectinload

from api.db.models import PhotoRow, PhotoStatus
from api.db.types import utcnow


def get(session: Session, photo_id: int, *, with_candidates: bool = False) -> PhotoRow | None:
    options = (selectinload(PhotoRow.candidates),) if with_candidates else ()
    return session.get(PhotoRow, photo_id, options=options)


def by_sha256(session: Session, sha256: str) -> PhotoRow | None:
    return session.scalar(select(PhotoRow).where(PhotoRow.sha256 == sha256))


def recent(session: Session, *, limit: int, offset: int = 0) -> Sequence[PhotoRow]:
    stmt = select(PhotoRow).order_by(PhotoRow.id.desc()).limit(limit).offset(offset)
    return session.scalars(stmt).all()


def count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(PhotoRow)) or 0


def next_queued_id(session: Session) -> int | None:
    """The oldest queued photo (first in, first out)."""
    stmt = (
        select(PhotoRow.id)
        .where(PhotoRow.status == PhotoStatus.QUEUED.value)
        .order_by(PhotoRow.id)
        .limit(1)
    )
    return session.scalar(stmt)


def claim(session: Session, photo_id: int, token: str) -> bool:
    """Move one queued photo to processing under ``token``; False if someone else got it first.

    A conditional UPDATE is atomic on both SQLite and PostgreSQL, so no row lock is needed.
    """
    result = session.execute(
        update(PhotoRow)
        .where(PhotoRow.id == photo_id, PhotoRow.status == PhotoStatus.QUEUED.value)
        .values(
            status=PhotoStatus.PROCESSING.value,
            claim_token=token,
            attempts=PhotoRow.attempts + 1,
            scan_started_at=utcnow(),
            error=None,
        )
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def get_claimed(session: Session, photo_id: int, token: str) -> PhotoRow | None:
    """The photo if it is still processing under ``token`` (not requeued or finished since)."""
    stmt = select(PhotoRow).where(
        PhotoRow.id == photo_id,
        PhotoRow.status == PhotoStatus.PROCESSING.value,
        PhotoRow.claim_token == token,
    )
    return session.scalar(stmt)


def interrupted(session: Session) -> Sequence[PhotoRow]:
    """Photos left ``processing``: their scan was cut short by a crash or a hard stop."""
    stmt = (
        select(PhotoRow)
        .where(PhotoRow.status == PhotoStatus.PROCESSING.value)
        .order_by(PhotoRow.id)
    )
    return session.scalars(stmt).all()
