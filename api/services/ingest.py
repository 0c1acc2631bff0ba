"""Accept a surveyor's photo: validate, store the bytes, queue the scan.

Order matters for crash safety: everything that can refuse the upload runs first, then the
file is written atomically, then the row (with its audit event) is committed in one
transaction. A crash in between leaves at most an unreferenced file, never a row without one.
"""

from __future__ import annotations

import hashlib
import logging
import math
import threading
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

from sqlalchemy.exc import IntegrityError

from api.db.engine import Database
from api.db.models import PhotoRow, PhotoStatus
from api.errors import UploadRejected, UploadTooLarge
from api.repository import audit, photos
from api.services.photo_store import PhotoStore, sniff_content_type
from vision.errors import InvalidImage
from vision.image import load_preview

log = logging.getLogger(__name__)

MAX_DISTANCE_M = 1000.0
MAX_SURVEYOR_CHARS = 100
MAX_FILENAME_CHARS = 255
# Thailand keeps UTC+7 all year; camera clocks there are local time.
THAI_TIME = timezone(timedelta(hours=7), "ICT")


@dataclass(frozen=True, slots=True)
class IngestResult:
    photo_id: int
    status: str
    duplicate: bool


def parse_distance_m(value: object) -> float | None:
    """The surveyor's camera-to-sign distance in metres; blank means not measured."""
    if value is None:
        return None
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise UploadRejected("distance_m must be a number of metres", code="invalid_distance")
    text = str(value).strip()
    if not text:
        return None
    try:
        distance = float(text)
    except ValueError:
        raise UploadRejected(
            f"distance_m must be a number of metres, got {text[:40]!r}", code="invalid_distance"
        ) from None
    if not math.isfinite(distance) or not 0 < distance <= MAX_DISTANCE_M:
        raise UploadRejected(
            f"distance_m must be more than 0 and at most {MAX_DISTANCE_M:g} m, got {text[:40]}",
            code="invalid_distance",
        )
    return distance


def parse_surveyor(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise UploadRejected("surveyor must be text", code="invalid_surveyor")
    name = " ".join(value.split())
    if not name:
        return None
    if len(name) > MAX_SURVEYOR_CHARS:
        raise UploadRejected(
            f"surveyor must be at most {MAX_SURVEYOR_CHARS} characters, got {len(name)}",
            code="invalid_surveyor",
        )
    return name


def clean_filename(name: str | None) -> str:
    """The client's file name without folders or control characters, for display only."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip()
    return base[:MAX_FILENAME_CHARS] or "upload"


def camera_local_time(taken_at: datetime | None) -> datetime | None:
    """Camera time as naive wall-clock; an aware time is converted to Thai time first."""
    if taken_at is None or taken_at.tzinfo is None:
        return taken_at
    return taken_at.astimezone(THAI_TIME).replace(tzinfo=None)


class IngestService:
    def __init__(
        self,
        db: Database,
        store: PhotoStore,
        *,
        max_upload_bytes: int,
        max_pixels: int,
        on_queued: Callable[[], None] = lambda: None,
        max_concurrent_decodes: int = 2,
    ) -> None:
        self._db = db
        self._store = store
        self.max_upload_bytes = max_upload_bytes
        self._max_pixels = max_pixels
        self._on_queued = on_queued
        # A 100 MP photo decodes to ~300 MB of pixels; bound how many are in memory at once.
        self._decode_slots = threading.BoundedSemaphore(max_concurrent_decodes)

    def check_size(self, size: int) -> None:
        if size == 0:
            raise UploadRejected("the file is empty", code="empty_upload")
        if size > self.max_upload_bytes:
            raise UploadTooLarge(too_large_message(self.max_upload_bytes))

    def ingest(
        self,
        data: bytes,
        *,
        filename: str | None,
        distance_m: object = None,
        surveyor: object = None,
    ) -> IngestResult:
        """Store one photo and queue its scan; the same bytes again return the first photo."""
        self.check_size(len(data))
        distance = parse_distance_m(distance_m)
        actor = parse_surveyor(surveyor)
        name = clean_filename(filename)
        sha256 = hashlib.sha256(data).hexdigest()

        with self._db.transaction() as session:
            existing = photos.by_sha256(session, sha256)
        if existing is not None:
            if not self._store.path(existing.stored_path).is_file():
                # Same hash, same bytes: restore a stored file that went missing.
                self._store.write(sha256, data)
            return IngestResult(existing.id, existing.status, duplicate=True)

        with self._decode_slots:
            try:
                # Validation needs every byte decoded, not every pixel kept: a JPEG read at its
                # smallest DCT scale still fails when truncated or corrupt, in a third of the
                # time and a 64th of the memory of a full decode (other formats decode in full).
                preview = load_preview(data, min_long_side_px=1, source_name=name,
                                       max_pixels=self._max_pixels)
            except InvalidImage as exc:
                raise UploadRejected(str(exc), code="invalid_image") from exc
        width_px, height_px = preview.full_size_wh
        camera = preview.camera
        del preview

        stored_path = self._store.write(sha256, data)
        row = PhotoRow(
            sha256=sha256,
            original_filename=name,
            stored_path=stored_path,
            content_type=sniff_content_type(data),
            size_bytes=len(data),
            width_px=width_px,
            height_px=height_px,
            focal_px=camera.focal_px,
            focal_source=camera.focal_source,
            gps_lat_deg=camera.gps_lat_deg,
            gps_lon_deg=camera.gps_lon_deg,
            heading_deg=camera.heading_deg,
            taken_at=camera_local_time(camera.taken_at),
            camera_make_model=camera.make_model,
            distance_m=distance,
            uploaded_by=actor,
            uploaded_at=datetime.now(UTC),
            status=PhotoStatus.QUEUED.value,
            attempts=0,
        )
        try:
            with self._db.transaction() as session:
                session.add(row)
                session.flush()
                audit.record(
                    session,
                    actor=actor or "anonymous",
                    action="photo.uploaded",
                    entity="photo",
                    entity_id=row.id,
                    detail={
                        "sha256": sha256,
                        "filename": name,
                        "size_bytes": len(data),
                        "size_wh": [width_px, height_px],
                        "distance_m": distance,
                    },
                )
        except IntegrityError:
            # The same bytes arrived concurrently and the other upload committed first.
            with self._db.transaction() as session:
                existing = photos.by_sha256(session, sha256)
            if existing is None:
                raise
            return IngestResult(existing.id, existing.status, duplicate=True)
        log.info("photo %s queued (%s, %d bytes)", row.id, name, len(data))
        self._on_queued()
        return IngestResult(row.id, row.status, duplicate=False)


def format_bytes(n: int) -> str:
    """``41943040`` → ``"40 MiB"``, ``4096`` → ``"4 KiB"`` (one decimal at most)."""
    for unit, size in (("GiB", 1024**3), ("MiB", 1024**2), ("KiB", 1024)):
        if n >= size:
            return f"{round(n / size, 1):g} {unit}"
    return f"{n} bytes"


def too_large_message(limit: int) -> str:
    return f"the file is larger than the {format_bytes(limit)} upload limit"
