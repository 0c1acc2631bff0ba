"""CPU throughput of the detector on a large photo, decode included, for two paths side by side.

* ``ultralytics``: ultralytics' default PyTorch predict given the file path (it decodes with
  OpenCV), the way a plain script would use the model.
* ``shipped``: what ``signtax scan`` runs before corner refinement: ``vision.image.load_photo``
  (EXIF-aware decode) then ``vision.detector.YoloDetector`` (ONNX Runtime when the model folder
  ships ``weights.onnx``).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class PathTiming:
    name: str
    runs: int
    median_s: float
    images_per_s: float
    detections: int


def _time(fn: Callable[[], int], runs: int, warmup: int = 2) -> tuple[float, int]:
    for _ in range(warmup):
        fn()
    times, count = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        count = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), count


def benchmark_detector(model_dir: Path, photo_path: Path, *, runs: int = 10) -> list[PathTiming]:
    from ultralytics import YOLO

    from vision.detector import WEIGHTS_FILE, DetectorConfig, YoloDetector, resolve_model_dir
    from vision.image import load_photo_file

    version_dir = resolve_model_dir(model_dir)
    shipped = YoloDetector(version_dir, DetectorConfig())
    plain = YOLO(str(version_dir / WEIGHTS_FILE))
    imgsz = shipped.train_imgsz

    def run_plain() -> int:
        return len(plain.predict(str(photo_path), imgsz=imgsz, conf=0.25, device="cpu",
                                 verbose=False)[0].boxes)

    def run_shipped() -> int:
        return len(shipped.detect(load_photo_file(photo_path)))

    out = []
    for name, fn in (("ultralytics PyTorch predict", run_plain),
                     (f"shipped ({shipped.weights_path.name})", run_shipped)):
        median, count = _time(fn, runs)
        out.append(PathTiming(name, runs, median, 1.0 / median, count))
    return out
