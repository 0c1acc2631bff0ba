"""Scan jobs: a DB-backed queue (the ``photos.status`` column) and the in-process worker.

Life of a job: ``queued`` → (claimed with a fresh token) ``processing`` → ``done`` | ``failed``.
The scan runs outside any transaction; its result is written only if the row is still
``processing`` under the same token, so a run that was requeued meanwhile cannot overwrite a
newer one. At startup, rows left ``processing`` (the process died mid-scan) are requeued, or
failed once they have been interrupted ``max_attempts`` times.

The in-process worker assumes one service process per database (the embedded default).
Several processes would each requeue the others' running scans at startup; scale-out uses
separate workers instead.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from api.db.engine import Database
from api.db.models import CandidateRow, PhotoStatus
from api.pricing import text_lines_to_dicts
from api.repository import audit, candidates, photos
from api.services.photo_store import PhotoStore
from api.services.pricing import Pricer, SignPrice
from api.services.scanning import ModelUnavailable, ScannerProvider
from vision.errors import InvalidImage
from vision.types import PhotoScan, SignObservation

log = logging.getLogger(__name__)

WORKER_ACTOR = "worker"
DEFAULT_MAX_ATTEMPTS = 3


@dataclass(frozen=True, slots=True)
class ResumeReport:
    requeued: tuple[int, ...]
    given_up: tuple[int, ...]


def resume_interrupted(db: Database, *, max_attempts: int = DEFAULT_MAX_ATTEMPTS) -> ResumeReport:
    """Requeue photos left ``processing`` by a crash; fail those interrupted too often."""
    requeued: list[int] = []
    given_up: list[int] = []
    with db.transaction() as session:
        for row in photos.interrupted(session):
            row.claim_token = None
            if row.attempts >= max_attempts:
                row.status = PhotoStatus.FAILED.value
                row.error = (
                    f"the scan was interrupted {row.attempts} times (the service stopped during "
                    "it); not retrying automatically"
                )
                action = "photo.scan_abandoned"
                given_up.append(row.id)
            else:
                row.status = PhotoStatus.QUEUED.value
                action = "photo.requeued"
                requeued.append(row.id)
            audit.record(
                session,
                actor=WORKER_ACTOR,
                action=action,
                entity="photo",
                entity_id=row.id,
                detail={"attempts": row.attempts, "reason": "interrupted scan found at startup"},
            )
    if requeued or given_up:
        log.warning("resumed interrupted scans: requeued %s, gave up on %s", requeued, given_up)
    return ResumeReport(tuple(requeued), tuple(given_up))


class ScanJobs:
    """Claims queued photos and scans them, one at a time. Thread-agnostic; see ``ScanWorker``."""

    def __init__(
        self,
        db: Database,
        store: PhotoStore,
        scanner: ScannerProvider,
        pricer: Pricer,
        *,
        tax_year: int,
        max_pixels: int,
    ) -> None:
        self._db = db
        self._store = store
        self._scanner = scanner
        self._pricer = pricer
        self._tax_year = tax_year
        self._max_pixels = max_pixels

    def warm_up(self) -> None:
        """Load the model now (in the worker thread) so the first upload does not wait for it."""
        try:
            self._scanner.get()
        except ModelUnavailable:
            pass  # logged by the provider; retried when a job needs it

    def run_next(self) -> bool:
        """Scan the oldest queued photo. False when there was nothing to do (or no model)."""
        with self._db.transaction() as session:
            photo_id = photos.next_queued_id(session)
        if photo_id is None:
            return False
        try:
            self._scanner.get()  # load before claiming, so a missing model leaves jobs queued
        except ModelUnavailable:
            return False
        token = uuid.uuid4().hex
        with self._db.transaction() as session:
            if not photos.claim(session, photo_id, token):
                return True  # taken by someone else in between; look again
        self.scan_claimed(photo_id, token)
        return True

    def scan_claimed(self, photo_id: int, token: str) -> None:
        started = time.monotonic()
        with self._db.transaction() as session:
            row = photos.get_claimed(session, photo_id, token)
            if row is None:
                return
            stored_path, filename, distance_m = (
                row.stored_path,
                row.original_filename,
                row.distance_m,
            )
        try:
            scan, priced = self._scan(stored_path, filename, distance_m)
        except Exception as exc:  # one bad photo must never stop the worker
            message = _failure_message(exc)
            if not isinstance(exc, InvalidImage | OSError):
                log.exception("scan of photo %s failed", photo_id)
            self._finish_failed(photo_id, token, message)
            return
        self._finish_done(photo_id, token, scan, priced, time.monotonic() - started)

    def _scan(
        self, stored_path: str, filename: str, distance_m: float | None
    ) -> tuple[PhotoScan, list[tuple[SignObservation, SignPrice]]]:
        data = self._store.read(stored_path)
        scan = self._scanner.scan_data(data, source_name=filename, max_pixels=self._max_pixels,
                                       distance_m=distance_m)
        priced = [(obs, self._pricer(obs, tax_year=self._tax_year)) for obs in scan.observations]
        return scan, priced

    def _finish_done(
        self,
        photo_id: int,
        token: str,
        scan: PhotoScan,
        priced: list[tuple[SignObservation, SignPrice]],
        duration_s: float,
    ) -> None:
        rows = [
            candidate_row(obs, price, index=i, tax_year=self._tax_year)
            for i, (obs, price) in enumerate(priced)
        ]
        with self._db.transaction() as session:
            row = photos.get_claimed(session, photo_id, token)
            if row is None:
                log.warning("photo %s was requeued during its scan; result discarded", photo_id)
                return
            candidates.replace_for_photo(session, photo_id, rows)
            row.status = PhotoStatus.DONE.value
            row.error = None
            row.claim_token = None
            row.scanned_at = datetime.now(UTC)
            row.model_version = scan.detector_version
            row.content_model_version = scan.content_version
            row.content_analysis = scan.content_analysis
            row.board_found = scan.board_found
            due = [r.due_baht for r in rows if r.due_baht is not None]
            audit.record(
                session,
                actor=WORKER_ACTOR,
                action="photo.scanned",
                entity="photo",
                entity_id=photo_id,
                detail={
                    "candidates": len(rows),
                    "priced": len(due),
                    "due_baht_total": str(sum(due, Decimal("0.00"))),
                    "model_version": row.model_version,
                    "content_model_version": row.content_model_version,
                    "content_analysis": row.content_analysis,
                    "tax_year": self._tax_year,
                    "duration_s": round(duration_s, 3),
                },
            )
        log.info("photo %s scanned: %d candidate(s) in %.2f s", photo_id, len(rows), duration_s)

    def _finish_failed(self, photo_id: int, token: str, message: str) -> None:
        with self._db.transaction() as session:
            row = photos.get_claimed(session, photo_id, token)
            if row is None:
                return
            row.status = PhotoStatus.FAILED.value
            row.error = message
            row.claim_token = None
            row.scanned_at = datetime.now(UTC)
            audit.record(
                session,
                actor=WORKER_ACTOR,
                action="photo.scan_failed",
                entity="photo",
                entity_id=photo_id,
                detail={"error": message},
            )
        log.warning("photo %s failed: %s", photo_id, message)


def candidate_row(
    obs: SignObservation, price: SignPrice, *, index: int, tax_year: int
) -> CandidateRow:
    det, m, content = obs.detection, obs.measurement, obs.content
    return CandidateRow(
        index_in_photo=index,
        sign_class=det.sign_class.value,
        confidence=float(det.confidence),
        bbox_xyxy=[float(v) for v in det.bbox_xyxy],
        corners_px=[[float(x), float(y)] for x, y in det.corners_px],
        corners_source=det.corners_source,
        width_cm=m.width_cm if m else None,
        height_cm=m.height_cm if m else None,
        area_cm2=m.area_cm2 if m else None,
        area_ci95_low_cm2=m.area_ci95_cm2[0] if m else None,
        area_ci95_high_cm2=m.area_ci95_cm2[1] if m else None,
        measure_method=m.method.value if m else None,
        scale_source=m.scale_source if m else None,
        measurement_missing_reason=obs.measurement_missing_reason,
        scripts=sorted(s.value for s in content.scripts),
        thai_below_foreign=content.thai_below_foreign,
        has_graphics=content.has_graphics,
        moving=content.moving_display,
        content_confidence=float(content.confidence),
        content_needs_review=content.needs_review,
        content_lines=text_lines_to_dicts(content.lines),
        content_note=content.note,
        sign_type=price.sign_type,
        tax_year=tax_year,
        tax=price.detail,
        tax_missing_reason=price.tax_missing_reason,
        due_baht=price.due_baht,
        baht_at_risk=price.baht_at_risk,
    )


def _failure_message(exc: Exception) -> str:
    if isinstance(exc, InvalidImage):
        return f"the stored photo cannot be decoded: {exc}"
    if isinstance(exc, OSError):
        return f"the stored photo file cannot be read: {exc.strerror or exc}"
    if isinstance(exc, ModelUnavailable):
        return str(exc)
    return f"scan failed: {type(exc).__name__}: {exc}"


class ScanWorker:
    """One background thread running ``ScanJobs``; woken on upload, polling as a fallback."""

    def __init__(self, jobs: ScanJobs, *, poll_s: float) -> None:
        self._jobs = jobs
        self._poll_s = poll_s
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        if self.running:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name="signtax-scan-worker", daemon=True)
        self._thread.start()

    def notify(self) -> None:
        self._wake.set()

    def stop(self, timeout_s: float = 60.0) -> bool:
        """Ask the thread to finish its current scan and exit. True if it did within the time.

        A scan cannot be interrupted; if it outlives the timeout the daemon thread is left to
        die with the process and the photo, still ``processing``, is requeued at next start.
        """
        thread = self._thread
        if thread is None:
            return True
        self._stop.set()
        self._wake.set()
        thread.join(timeout_s)
        if thread.is_alive():
            log.warning(
                "scan worker still busy after %.0f s; leaving it to the next start", timeout_s
            )
            return False
        self._thread = None
        return True

    def _loop(self) -> None:
        log.info("scan worker started")
        self._jobs.warm_up()
        while not self._stop.is_set():
            self._wake.clear()  # before looking, so an upload during run_next() is not missed
            try:
                busy = self._jobs.run_next()
            except Exception:  # e.g. the database is briefly unreachable: wait and retry
                log.exception("scan worker error; retrying in %.1f s", self._poll_s)
                busy = False
            if not busy:
                self._wake.wait(self._poll_s)
        log.info("scan worker stopped")
