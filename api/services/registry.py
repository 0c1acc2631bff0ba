"""Read side of the registry: photos with their candidates, and the review queue."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from api.db.engine import Database
from api.db.models import CandidateRow, CandidateStatus, PhotoRow, PhotoStatus
from api.errors import ApiError, Conflict, NotFound
from api.repository import audit, candidates, photos
from api.services.photo_store import PhotoStore

MAX_PAGE = 200


@dataclass(frozen=True, slots=True)
class Page:
    items: Sequence[CandidateRow]
    total: int
    limit: int
    offset: int


@dataclass(frozen=True, slots=True)
class PhotoSummary:
    photo: PhotoRow
    candidate_count: int


@dataclass(frozen=True, slots=True)
class StoredImage:
    path: Path
    content_type: str
    sha256: str


class RegistryService:
    def __init__(
        self, db: Database, store: PhotoStore, *, on_queued: Callable[[], None] = lambda: None
    ) -> None:
        self._db = db
        self._store = store
        self._on_queued = on_queued

    def photo(self, photo_id: int) -> PhotoRow:
        """The photo with its candidates loaded; ``NotFound`` if there is none."""
        with self._db.transaction() as session:
            row = photos.get(session, photo_id, with_candidates=True)
            if row is None:
                raise NotFound(f"photo {photo_id} does not exist", code="photo_not_found")
            return row

    def recent_photos(self, *, limit: int = 20, offset: int = 0) -> list[PhotoSummary]:
        limit = _check_page(limit, offset)
        with self._db.transaction() as session:
            rows = photos.recent(session, limit=limit, offset=offset)
            ids = [r.id for r in rows]
            counts: dict[int, int] = {}
            if ids:
                stmt = (
                    select(CandidateRow.photo_id, func.count())
                    .where(CandidateRow.photo_id.in_(ids))
                    .group_by(CandidateRow.photo_id)
                )
                counts = {pid: n for pid, n in session.execute(stmt)}
            return [PhotoSummary(r, counts.get(r.id, 0)) for r in rows]

    def image(self, photo_id: int) -> StoredImage:
        with self._db.transaction() as session:
            row = photos.get(session, photo_id)
            if row is None:
                raise NotFound(f"photo {photo_id} does not exist", code="photo_not_found")
            rel, content_type, sha = row.stored_path, row.content_type, row.sha256
        path = self._store.path(rel)
        if not path.is_file():
            raise NotFound(
                f"the file of photo {photo_id} is missing from the photo store",
                code="photo_file_missing",
            )
        return StoredImage(path, content_type, sha)

    def signs(
        self,
        *,
        status: CandidateStatus = CandidateStatus.CANDIDATE,
        limit: int = 50,
        offset: int = 0,
    ) -> Page:
        """Signs with ``status``, most baht at risk first (see ``repository.candidates``)."""
        limit = _check_page(limit, offset)
        with self._db.transaction() as session:
            items = candidates.by_status(session, status=status.value, limit=limit, offset=offset)
            total = candidates.count_by_status(session, status=status.value)
        return Page(items=items, total=total, limit=limit, offset=offset)

    def rescan(self, photo_id: int, *, actor: str) -> PhotoRow:
        """Queue a failed photo again (e.g. after the model or the file was fixed)."""
        with self._db.transaction() as session:
            row = photos.get(session, photo_id)
            if row is None:
                raise NotFound(f"photo {photo_id} does not exist", code="photo_not_found")
            if row.status != PhotoStatus.FAILED.value:
                raise Conflict(
                    f"photo {photo_id} is {row.status}; only a failed photo can be rescanned",
                    code="photo_not_failed",
                )
            row.status = PhotoStatus.QUEUED.value
            row.attempts = 0
            audit.record(
                session,
                actor=actor,
                action="photo.rescan_requested",
                entity="photo",
                entity_id=photo_id,
                detail={"previous_error": row.error},
            )
        self._on_queued()
        return row


def _check_page(limit: int, offset: int) -> int:
    # Routes validate these already; services are also called from elsewhere (CLI, tests).
    if offset < 0:
        raise ApiError(f"offset must be >= 0, got {offset}", code="invalid_page", status=422)
    if not 1 <= limit <= MAX_PAGE:
        raise ApiError(
            f"limit must be between 1 and {MAX_PAGE}, got {limit}", code="invalid_page", status=422
        )
    return limit
