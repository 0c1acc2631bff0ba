"""Detector adapter: the only place inference touches ultralytics (imported lazily).

A model folder is ``models/<name>/<version>/`` holding ``weights.pt`` (ultralytics checkpoint)
and ``model_card.md``; ``models/<name>/PRODUCTION`` names the active version.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from vision.corners import box_corners
from vision.errors import ModelLoadError
from vision.types import Detection, Photo, SignClass

WEIGHTS_FILE = "weights.pt"


@dataclass(frozen=True, slots=True)
class DetectorConfig:
    confidence_min: float = 0.25
    iou_nms: float = 0.5
    imgsz: int | None = None  # None: the size the model was trained at
    max_detections: int = 100


def resolve_model_dir(path: Path) -> Path:
    """Accept a version folder, or a model folder with a ``PRODUCTION`` pointer file."""
    if (path / WEIGHTS_FILE).is_file():
        return path
    pointer = path / "PRODUCTION"
    if pointer.is_file():
        version = pointer.read_text().strip()
        if not version or "/" in version or version.startswith("."):
            raise ModelLoadError(f"{pointer} must name a version folder, got {version!r}")
        target = path / version
        if (target / WEIGHTS_FILE).is_file():
            return target
        raise ModelLoadError(f"{pointer} names {version!r} but {target / WEIGHTS_FILE} is missing")
    raise ModelLoadError(f"no {WEIGHTS_FILE} or PRODUCTION file in {path}")


class YoloDetector:
    """Loaded once per process. ultralytics models are not thread-safe: calls are serialised."""

    def __init__(self, model_dir: Path, config: DetectorConfig = DetectorConfig()) -> None:
        self.model_dir = resolve_model_dir(model_dir)
        self.version = self.model_dir.name
        self.config = config
        try:
            from ultralytics import YOLO

            self._model = YOLO(str(self.model_dir / WEIGHTS_FILE), task="detect")
        except Exception as exc:  # ultralytics raises many types for a bad file
            raise ModelLoadError(f"cannot load detector from {self.model_dir}: {exc}") from exc
        names = self._model.names
        try:
            self._classes = {int(i): SignClass(n) for i, n in names.items()}
        except ValueError as exc:
            raise ModelLoadError(f"model classes {names} are not SignTax classes") from exc
        args = getattr(self._model, "overrides", {}) or {}
        self.train_imgsz = int(args.get("imgsz", 640))
        self._lock = threading.Lock()

    def detect(self, photo: Photo) -> tuple[Detection, ...]:
        cfg = self.config
        with self._lock:
            results = self._model.predict(
                photo.pixels_bgr, conf=cfg.confidence_min, iou=cfg.iou_nms,
                imgsz=cfg.imgsz or self.train_imgsz, max_det=cfg.max_detections,
                device="cpu", verbose=False,
            )
        boxes = results[0].boxes
        xyxy = boxes.xyxy.cpu().numpy().astype(np.float64)
        conf = boxes.conf.cpu().numpy().astype(np.float64)
        cls = boxes.cls.cpu().numpy().astype(int)
        w, h = photo.size_wh
        out = []
        for (x1, y1, x2, y2), c, k in zip(xyxy, conf, cls, strict=True):
            x1, x2 = float(np.clip(x1, 0, w)), float(np.clip(x2, 0, w))
            y1, y2 = float(np.clip(y1, 0, h)), float(np.clip(y2, 0, h))
            if x2 - x1 < 1 or y2 - y1 < 1:
                continue
            bbox = (x1, y1, x2, y2)
            corners = tuple((float(x), float(y)) for x, y in box_corners(bbox))
            out.append(Detection(self._classes[int(k)], float(c), bbox, corners, "box"))
        out.sort(key=lambda d: -d.confidence)
        return tuple(out)
