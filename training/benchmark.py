"""CPU throughput on a large photo, decode included, for three paths side by side.

* ``ultralytics``: ultralytics' default PyTorch predict given the file path (it decodes the
  full photo with OpenCV), the way a plain script would use the model.
* ``shipped detector``: what ``signtax scan`` runs to find signs: read the file,
  ``vision.image.load_preview`` (JPEG decoded at 1/2-1/8 scale, EXIF-aware), then
  ``YoloDetector.detect_preview`` (ONNX Runtime when a ``weights.onnx`` ships or could be
  exported into the cache). The speed-up is this path against the first.
* ``full scan``: ``Scanner.scan_data`` end to end: the above, then, when a sign is found, the
  full-resolution decode, board search, corner refinement, measurement and content (OCR).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ULTRALYTICS_PATH = "ultralytics PyTorch predict"
SHIPPED_DETECTOR_PATH = "shipped detector"
FULL_SCAN_PATH = "full scan"


@dataclass(frozen=True, slots=True)
class PathTiming:
    name: str
    runs: int
    median_s: float
    images_per_s: float
    detections: int
    detail: str = ""  # what ran, e.g. the weights file
    # CPU time of this process (all threads, not child processes such as tesseract) per image:
    # the work done, which, unlike the wall time, barely changes when other processes share
    # the cores.
    cpu_median_s: float = 0.0


@dataclass(frozen=True, slots=True)
class DetectorBenchmark:
    paths: tuple[PathTiming, ...]

    def timing(self, name: str) -> PathTiming:
        return next(t for t in self.paths if t.name == name)

    @property
    def detector_speedup(self) -> float:
        """Shipped detector stage against ultralytics' default predict (the issue's ask: >= 2)."""
        return self.timing(ULTRALYTICS_PATH).median_s / self.timing(SHIPPED_DETECTOR_PATH).median_s


def time_interleaved(fns: list[Callable[[], int]], runs: int,
                     warmup: int = 2) -> list[tuple[float, float, int]]:
    """(median wall s, median CPU s, last result) per function, timed round-robin: on a shared
    machine a burst of load then slows every path alike instead of one."""
    for fn in fns:
        for _ in range(warmup):
            fn()
    wall: list[list[float]] = [[] for _ in fns]
    cpu: list[list[float]] = [[] for _ in fns]
    counts = [0] * len(fns)
    for _ in range(runs):
        for i, fn in enumerate(fns):
            start, start_cpu = time.perf_counter(), time.process_time()
            counts[i] = fn()
            wall[i].append(time.perf_counter() - start)
            cpu[i].append(time.process_time() - start_cpu)
    return [(statistics.median(w), statistics.median(c), n)
            for w, c, n in zip(wall, cpu, counts, strict=True)]


def benchmark_detector(model_dir: Path, photo_path: Path, *, runs: int = 10) -> DetectorBenchmark:
    from vision.detector import WEIGHTS_FILE, import_yolo, resolve_model_dir
    from vision.image import load_preview, read_photo_file
    from vision.pipeline import load_scanner

    version_dir = resolve_model_dir(model_dir)
    scanner = load_scanner(version_dir)
    shipped = scanner.detector
    plain = import_yolo()(str(version_dir / WEIGHTS_FILE))
    imgsz = shipped.train_imgsz

    def run_plain() -> int:
        return len(plain.predict(str(photo_path), imgsz=imgsz, conf=0.25, device="cpu",
                                 verbose=False)[0].boxes)

    def run_shipped() -> int:
        preview = load_preview(read_photo_file(photo_path), min_long_side_px=shipped.input_size_px)
        return len(shipped.detect_preview(preview))

    def run_scan() -> int:
        data = read_photo_file(photo_path)
        return len(scanner.scan_data(data, source_name=str(photo_path)).observations)

    specs = ((ULTRALYTICS_PATH, run_plain, f"{WEIGHTS_FILE}, file path"),
             (SHIPPED_DETECTOR_PATH, run_shipped, f"preview decode + {_runtime(shipped)}"),
             (FULL_SCAN_PATH, run_scan, "detector, full decode, board, corners, OCR"))
    timed = time_interleaved([fn for _, fn, _ in specs], runs)
    return DetectorBenchmark(tuple(
        PathTiming(name, runs, median, 1.0 / median, count, detail, cpu_median)
        for (name, _, detail), (median, cpu_median, count) in zip(specs, timed, strict=True)))


def _runtime(detector) -> str:
    weights = detector.weights_path
    if weights.suffix != ".onnx":
        return f"PyTorch ({weights.name}: no ONNX model, see the log)"
    shipped = weights.parent == detector.model_dir
    return f"ONNX Runtime ({weights.name if shipped else 'weights.pt exported to the cache'})"
