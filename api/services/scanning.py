"""One scanner per process: injected, or loaded from the model folder (following its PRODUCTION
pointer), used one call at a time."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Protocol

from api.settings import resolve_model_dir
from vision.errors import ModelLoadError
from vision.image import load_photo
from vision.types import Photo, PhotoScan

log = logging.getLogger(__name__)


class Scanner(Protocol):
    def scan(self, photo: Photo, *, distance_m: float | None = None) -> PhotoScan: ...


class ModelUnavailable(Exception):
    """The detector could not be loaded; jobs wait in the queue until it can."""


def _production_content() -> Path | None:
    """The content network version PRODUCTION names now; None when none is promoted."""
    from api.paths import shipped_content_model_dir
    from vision.content.classifier import resolve_content_model_dir

    folder = shipped_content_model_dir()
    return None if folder is None else resolve_content_model_dir(folder)


def _load_with_vision(model_dir: Path) -> Scanner:
    from api.paths import shipped_content_model_dir
    from vision.pipeline import load_scanner  # heavy (torch, ultralytics): only when needed

    return load_scanner(model_dir, content_model_dir=shipped_content_model_dir())


class ScannerProvider:
    """Holds the process's scanner.

    The YOLO model is slow to load and not thread-safe, so it is loaded once (retrying no more
    often than ``retry_after_s`` after a failure) and every ``scan`` holds a lock. A loaded
    scanner follows the ``PRODUCTION`` pointers of the detector folder and of the content
    network's (``resolve_content``): when a promotion names another version of either, the next
    job loads the scanner again and the jobs after it use it; if that load fails, the scanner in
    hand keeps working and the switch is retried later. An injected scanner is kept.
    """

    def __init__(
        self,
        *,
        model_dir: Path,
        scanner: Scanner | None = None,
        loader: Callable[[Path], Scanner] = _load_with_vision,
        resolve: Callable[[Path], Path] = resolve_model_dir,
        resolve_content: Callable[[], Path | None] = _production_content,
        retry_after_s: float = 60.0,
    ) -> None:
        self._model_dir = model_dir
        self._scanner = scanner
        self._loaded_from: Path | None = None  # the detector version the scanner came from
        self._loaded_content: Path | None = None  # ... and the content network version
        self._follow = scanner is None
        self._loader = loader
        self._resolve = resolve
        self._resolve_content = resolve_content
        self._retry_after_s = retry_after_s
        self._load_lock = threading.Lock()
        self._scan_lock = threading.Lock()
        self._error: str | None = None
        self._failed_at: float | None = None

    @property
    def loaded(self) -> bool:
        return self._scanner is not None

    @property
    def error(self) -> str | None:
        """Why the last load failed, while no scanner is loaded."""
        return None if self._scanner is not None else self._error

    @property
    def version(self) -> str | None:
        """The loaded model's version (its folder name), None until a scanner is loaded."""
        if self._scanner is None:
            return None
        named = getattr(self._scanner, "model_version", None)
        return str(named) if named else self._folder_name(self._scanner)

    @property
    def content_version(self) -> str | None:
        """The loaded scanner's content network version; None when none is loaded or the
        scanner reads with the OCR alone."""
        if self._scanner is None:
            return None
        named = getattr(self._scanner, "content_version", None)
        return str(named) if named else None

    @property
    def content_analysis(self) -> str | None:
        """The loaded scanner's content analysis fingerprint (vision.content.fingerprint);
        None when none is loaded or the scanner does not name one."""
        if self._scanner is None:
            return None
        named = getattr(self._scanner, "content_analysis", None)
        return str(named) if named else None

    def _wanted(self) -> tuple[Path, Path | None] | None:
        """The detector and content network versions the PRODUCTION pointers name now; None
        when a pointer is broken."""
        try:
            return self._resolve(self._model_dir), self._resolve_content()
        except (ValueError, OSError, ModelLoadError) as exc:
            log.error("model folder %s: %s", self._model_dir, exc)
            return None

    def _current_for(self, wanted: tuple[Path, Path | None] | None) -> Scanner | None:
        """The scanner in hand if it is the one to use (or no other can be named)."""
        if self._scanner is not None and (
                wanted is None or wanted == (self._loaded_from, self._loaded_content)):
            return self._scanner
        return None

    def get(self) -> Scanner:
        if not self._follow and self._scanner is not None:
            return self._scanner
        wanted = self._wanted()
        if (ready := self._current_for(wanted)) is not None:
            return ready
        with self._load_lock:
            if (ready := self._current_for(wanted)) is not None:
                return ready
            in_hand = self._scanner
            now = time.monotonic()
            if self._failed_at is not None and now - self._failed_at < self._retry_after_s:
                if in_hand is not None:
                    return in_hand
                raise ModelUnavailable(self._error or "model failed to load")
            # A broken pointer with nothing loaded: the loader names what is wrong.
            source = self._model_dir if wanted is None else wanted[0]
            log.info("loading sign detector from %s", source)
            try:
                scanner = self._loader(source)
            except Exception as exc:  # any loader failure: report it, keep the jobs queued
                self._failed_at = now
                self._error = f"cannot load the model from {source}: {exc}"
                log.error("%s", self._error)
                if in_hand is not None:
                    log.error("keeping the sign detector from %s", self._loaded_from)
                    return in_hand
                raise ModelUnavailable(self._error) from exc
            content = None if wanted is None else wanted[1]
            if in_hand is not None:
                log.info("scanner switched from %s + %s to %s + %s (PRODUCTION changed)",
                         self._loaded_from, self._loaded_content, source, content)
            self._scanner, self._loaded_from, self._loaded_content = scanner, source, content
            self._error = None
            self._failed_at = None
            return scanner

    def scan(self, photo: Photo, *, distance_m: float | None) -> PhotoScan:
        scanner = self.get()
        with self._scan_lock:
            return self._stamped(scanner, scanner.scan(photo, distance_m=distance_m))

    def scan_data(self, data: bytes, *, source_name: str, max_pixels: int,
                  distance_m: float | None) -> PhotoScan:
        """Scan encoded bytes; raises ``InvalidImage`` for bytes that are not a usable photo.

        The vision scanner detects on a reduced decode first and decodes the full photo only
        when a sign is found; a scanner without ``scan_data`` (a test stand-in) gets the photo.
        """
        scanner = self.get()
        with self._scan_lock:
            scan_data = getattr(scanner, "scan_data", None)
            if scan_data is not None:
                scan = scan_data(data, source_name=source_name, max_pixels=max_pixels,
                                 distance_m=distance_m)
            else:
                photo = load_photo(data, source_name=source_name, max_pixels=max_pixels)
                scan = scanner.scan(photo, distance_m=distance_m)
            return self._stamped(scanner, scan)

    def _stamped(self, scanner: Scanner, scan: PhotoScan) -> PhotoScan:
        """The scan with the versions of the scanner that made it, where it did not name them
        itself: read from that scanner, not from ``version``, which a promotion may have moved
        on by the time the result is stored."""
        if scan.detector_version is not None:
            return scan
        named = getattr(scanner, "model_version", None)
        content = getattr(scanner, "content_version", None)
        analysis = getattr(scanner, "content_analysis", None)
        return replace(scan,
                       detector_version=str(named) if named else self._folder_name(scanner),
                       content_version=str(content) if content else None,
                       content_analysis=str(analysis) if analysis else None)

    def _folder_name(self, scanner: Scanner) -> str:
        loaded_from = self._loaded_from if scanner is self._scanner else None
        return (loaded_from or self._model_dir).name
