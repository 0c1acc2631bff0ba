"""Detector adapter: the only place inference touches ultralytics (imported lazily).

A model folder is ``models/<name>/<version>/`` holding ``weights.pt`` (ultralytics checkpoint),
optionally ``weights.onnx`` (the same network exported; preferred when present, see
``DetectorConfig.prefer_onnx``) and ``model_card.md``; ``models/<name>/PRODUCTION`` names the
active version. Detection models give box corners; pose models (4 keypoints) give the corners.
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
ONNX_FILE = "weights.onnx"
KEYPOINT_CONFIDENCE_MIN = 0.5  # below this a corner is not trusted; the box corners are used


@dataclass(frozen=True, slots=True)
class DetectorConfig:
    confidence_min: float = 0.25
    iou_nms: float = 0.5
    imgsz: int | None = None  # None: the size the model was trained at
    max_detections: int = 100
    prefer_onnx: bool = True


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
        onnx = self.model_dir / ONNX_FILE
        weights = onnx if config.prefer_onnx and onnx.is_file() else self.model_dir / WEIGHTS_FILE
        try:
            from ultralytics import YOLO

            # The task is stored in the checkpoint (and in the ONNX metadata).
            self._model = YOLO(str(weights))
        except Exception as exc:  # ultralytics raises many types for a bad file
            raise ModelLoadError(f"cannot load detector from {weights}: {exc}") from exc
        self.weights_path = weights
        self.task = self._model.task
        names = self._model.names
        try:
            self._classes = {int(i): SignClass(n) for i, n in names.items()}
        except ValueError as exc:
            raise ModelLoadError(f"model classes {names} are not SignTax classes") from exc
        self.train_imgsz = _trained_imgsz(self._model)
        self._lock = threading.Lock()

    def detect(self, photo: Photo) -> tuple[Detection, ...]:
        cfg = self.config
        with self._lock:
            results = self._model.predict(
                photo.pixels_bgr, conf=cfg.confidence_min, iou=cfg.iou_nms,
                imgsz=cfg.imgsz or self.train_imgsz, max_det=cfg.max_detections,
                device="cpu", verbose=False,
            )
        result = results[0]
        boxes = result.boxes
        xyxy = boxes.xyxy.cpu().numpy().astype(np.float64)
        conf = boxes.conf.cpu().numpy().astype(np.float64)
        cls = boxes.cls.cpu().numpy().astype(int)
        kpts = kpt_conf = None
        if result.keypoints is not None and len(result.keypoints):
            kpts = result.keypoints.xy.cpu().numpy().astype(np.float64)
            kc = result.keypoints.conf
            kpt_conf = (kc.cpu().numpy() if kc is not None else np.ones(kpts.shape[:2]))
        w, h = photo.size_wh
        out = []
        for i, ((x1, y1, x2, y2), c, k) in enumerate(zip(xyxy, conf, cls, strict=True)):
            x1, x2 = float(np.clip(x1, 0, w)), float(np.clip(x2, 0, w))
            y1, y2 = float(np.clip(y1, 0, h)), float(np.clip(y2, 0, h))
            if x2 - x1 < 1 or y2 - y1 < 1:
                continue
            bbox = (x1, y1, x2, y2)
            quad, source = box_corners(bbox), "box"
            if kpts is not None and kpts.shape[1] == 4 and np.all(kpt_conf[i] >= KEYPOINT_CONFIDENCE_MIN):
                # Keypoints are trained clockwise from the sign's top-left (flip_idx 1,0,3,2).
                quad, source = kpts[i], "keypoints"
            corners = tuple((float(x), float(y)) for x, y in quad)
            out.append(Detection(self._classes[int(k)], float(c), bbox, corners, source))
        out.sort(key=lambda d: -d.confidence)
        return tuple(out)


def _trained_imgsz(model) -> int:
    """The image size the network was trained or exported at (checkpoint args or ONNX metadata)."""
    args = getattr(model, "overrides", {}) or {}
    size = args.get("imgsz")
    if size is None:
        meta = getattr(getattr(model, "predictor", None), "model", None)
        size = getattr(meta, "imgsz", None)
    if isinstance(size, list | tuple):
        size = max(size)
    return int(size or 640)
