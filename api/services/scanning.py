"""One scanner per process: injected, or loaded once from the model folder, used one call at a time."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from vision.image import load_photo
from vision.types import Photo, PhotoScan

log = logging.getLogger(__name__)


class Scanner(Protocol):
    def scan(self, photo: Photo, *, distance_m: float | None = None) -> PhotoScan: ...


class ModelUnavailable(Exception):
    """The detector could not be loaded; jobs wait in the queue until it can."""


def _load_with_vision(model_dir: Path) -> Scanner:
    from api.paths import shipped_content_model_dir
    from vision.pipeline import load_scanner  # heavy (torch, ultralytics): only when needed

    return load_scanner(model_dir, content_model_dir=shipped_content_model_dir())


class ScannerProvider:
    """Holds the process's scanner.

    The YOLO model is slow to load and not thread-safe, so it is loaded at most once (retrying
    no more often than ``retry_after_s`` after a failure) and every ``scan`` holds a lock.
    """

    def __init__(
        self,
        *,
        model_dir: Path,
        scanner: Scanner | None = None,
        loader: Callable[[Path], Scanner] = _load_with_vision,
        retry_after_s: float = 60.0,
    ) -> None:
        self._model_dir = model_dir
        self._scanner = scanner
        self._loader = loader
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
        return str(named) if named else self._model_dir.name

    def get(self) -> Scanner:
        if self._scanner is not None:
            return self._scanner
        with self._load_lock:
            if self._scanner is not None:
                return self._scanner
            now = time.monotonic()
            if self._failed_at is not None and now - self._failed_at < self._retry_after_s:
                raise ModelUnavailable(self._error or "model failed to load")
            log.info("loading sign detector from %s", self._model_dir)
            try:
                self._scanner = self._loader(self._model_dir)
            except Exception as exc:  # any loader failure: report it, keep the jobs queued
                self._failed_at = now
                self._error = f"cannot load the model from {self._model_dir}: {exc}"
                log.error("%s", self._error)
                raise ModelUnavailable(self._error) from exc
            self._error = None
            self._failed_at = None
            return self._scanner

    def scan(self, photo: Photo, *, distance_m: float | None) -> PhotoScan:
        scanner = self.get()
        with self._scan_lock:
            return scanner.scan(photo, distance_m=distance_m)

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
                return scan_data(data, source_name=source_name, max_pixels=max_pixels,
                                 distance_m=distance_m)
            photo = load_photo(data, source_name=source_name, max_pixels=max_pixels)
            return scanner.scan(photo, distance_m=distance_m)
