"""Detector adapter: the only place inference touches ultralytics (imported lazily).

A model folder is ``models/<name>/<version>/`` holding ``weights.pt`` (ultralytics checkpoint),
optionally ``weights.onnx`` (the same network exported) and ``model_card.md``;
``models/<name>/PRODUCTION`` names the active version. Detection models give box corners; pose
models (4 keypoints) give the corners.

With ``DetectorConfig.prefer_onnx`` the network runs on ONNX Runtime (about twice PyTorch's
speed on a CPU): a ``weights.onnx`` in the model folder wins; otherwise one is exported from
``weights.pt`` on first use into a cache folder (``vision.onnx_cache``). If no ONNX model can be
had, the detector says so in the log and runs on PyTorch: slower, never down.
"""

from __future__ import annotations

import ast
import contextlib
import logging
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from vision.corners import box_corners
from vision.errors import ModelLoadError
from vision.onnx_cache import DEFAULT_CACHE_DIR, cached_onnx
from vision.types import Detection, Photo, Preview, SignClass

log = logging.getLogger(__name__)

WEIGHTS_FILE = "weights.pt"
PRODUCTION_FILE = "PRODUCTION"  # in a model folder: names the version folder scans use
ONNX_FILE = "weights.onnx"
KEYPOINT_CONFIDENCE_MIN = 0.5  # below this a corner is not trusted; the box corners are used
# Names the export settings in the cache file name (``export_onnx``); change it with them.
ONNX_EXPORT_VARIANT = "dynamic"


@dataclass(frozen=True, slots=True)
class DetectorConfig:
    confidence_min: float = 0.25
    iou_nms: float = 0.5
    imgsz: int | None = None  # None: the size the model was trained at
    max_detections: int = 100
    prefer_onnx: bool = True
    onnx_cache_dir: Path | None = None  # None: <repo>/var/cache/onnx


def resolve_model_dir(path: Path, model_files: tuple[str, ...] = (WEIGHTS_FILE,)) -> Path:
    """Accept a version folder (one holding any of ``model_files``), or a model folder with a
    ``PRODUCTION`` pointer file naming one."""
    def is_version(folder: Path) -> bool:
        return any((folder / name).is_file() for name in model_files)

    if is_version(path):
        return path
    pointer = path / PRODUCTION_FILE
    wanted = " or ".join(model_files)
    if pointer.is_file():
        version = pointer.read_text().strip()
        if not version or "/" in version or version.startswith("."):
            raise ModelLoadError(f"{pointer} must name a version folder, got {version!r}")
        target = path / version
        if is_version(target):
            return target
        raise ModelLoadError(f"{pointer} names {version!r} but {target} holds no {wanted}")
    raise ModelLoadError(f"no {wanted} or PRODUCTION file in {path}")


@contextlib.contextmanager
def _keeping_torch_threads() -> Iterator[None]:
    """Put torch's thread count back after ultralytics: its device setup (on export and on a
    model's first predict, ONNX models included) sets it to cores - 1 for the whole process,
    so on a 2-core server the content network in the same scan ran on one thread (12.4 ms a
    crop against 9.2 on two)."""
    import torch  # ultralytics has imported it already

    threads = torch.get_num_threads()
    try:
        yield
    finally:
        if torch.get_num_threads() != threads:
            torch.set_num_threads(threads)


class YoloDetector:
    """Loaded once per process. ultralytics models are not thread-safe: calls are serialised."""

    def __init__(self, model_dir: Path, config: DetectorConfig = DetectorConfig()) -> None:
        self.model_dir = resolve_model_dir(model_dir)
        self.version = self.model_dir.name
        self.config = config
        self._lock = threading.Lock()
        with _keeping_torch_threads():
            self._model, self.weights_path = self._load()
        self.task = self._model.task
        names = self._model.names
        try:
            self._classes = {int(i): SignClass(n) for i, n in names.items()}
        except ValueError as exc:
            raise ModelLoadError(f"model classes {names} are not SignTax classes") from exc

    @property
    def input_size_px(self) -> int:
        """The network's input size: a preview needs a long side at least this large."""
        return self.config.imgsz or self.train_imgsz

    def _load(self):
        """(model, weights path): ONNX when preferred and obtainable, else PyTorch."""
        pt = self.model_dir / WEIGHTS_FILE
        if self.config.prefer_onnx:
            shipped = self.model_dir / ONNX_FILE
            if shipped.is_file():
                loaded = self._try_onnx(shipped)
                if loaded is not None:
                    return loaded, shipped
            else:
                loaded = self._cached_onnx(pt)
                if loaded is not None:
                    return loaded
        return self._load_torch(pt), pt

    def _load_torch(self, weights: Path):
        try:
            YOLO = import_yolo()
            model = YOLO(str(weights))  # the task is stored in the checkpoint
        except Exception as exc:  # ultralytics raises many types for a bad file
            raise ModelLoadError(f"cannot load detector from {weights}: {exc}") from exc
        self.train_imgsz = _trained_imgsz(model)
        return model

    def _cached_onnx(self, pt: Path):
        """(model, path) from the ONNX cache, exporting (once more if the file is bad); or None."""
        cache_dir = self.config.onnx_cache_dir or DEFAULT_CACHE_DIR
        for rebuild in (False, True):
            try:
                path = cached_onnx(pt, cache_dir=cache_dir, exporter=export_onnx,
                                   variant=ONNX_EXPORT_VARIANT, rebuild=rebuild)
            except Exception as exc:  # export needs torch.onnx, onnx and a writable folder
                log.warning("cannot export %s to ONNX (%s); the detector runs on PyTorch, "
                            "about 2x slower", pt, exc)
                return None
            model = self._try_onnx(path)
            if model is not None:
                return model, path
            if not rebuild:
                log.warning("cached ONNX model %s is unusable; exporting it again", path)
        return None

    def _try_onnx(self, path: Path):
        """The ONNX model, run once on a blank image so a bad file fails here; or None."""
        try:
            YOLO = import_yolo()
            from ultralytics.nn.backends.base import BaseBackend

            size = _imgsz_value(BaseBackend.read_metadata(path).get("imgsz"))
            if size is None:
                raise ValueError("no ultralytics metadata (image size) in the file")
            with _ultralytics_output_to_stderr():  # it logs the ONNX Runtime session start
                model = YOLO(str(path))  # the task is in the ONNX metadata
                blank = np.zeros((size, size, 3), np.uint8)
                model.predict(blank, imgsz=size, device="cpu", verbose=False)
                if _use_non_spinning_session(model, path):
                    model.predict(blank, imgsz=size, device="cpu", verbose=False)
        except Exception as exc:  # ONNX Runtime and ultralytics raise many types for a bad file
            log.warning("cannot run ONNX model %s (%s)", path, exc)
            return None
        self.train_imgsz = size
        return model

    def detect(self, photo: Photo) -> tuple[Detection, ...]:
        return self._detect(photo.pixels_bgr, photo.size_wh, (1.0, 1.0))

    def detect_preview(self, preview: Preview) -> tuple[Detection, ...]:
        """Detect on a reduced copy (``vision.image.load_preview``); boxes and corners come
        back in the full photo's pixels."""
        return self._detect(preview.pixels_bgr, preview.full_size_wh, preview.scale_xy)

    def detect_pixels(self, pixels_bgr: np.ndarray, *, scale_xy: tuple[float, float] = (1.0, 1.0),
                      size_wh: tuple[int, int] | None = None) -> tuple[Detection, ...]:
        """Detect on any BGR array, e.g. a reduced tile of a photo (``vision.tiling``).

        Boxes and corners come back multiplied by ``scale_xy`` (the caller's pixels per array
        pixel) and clipped to ``size_wh`` (default: the array's size times ``scale_xy``).
        """
        if pixels_bgr.ndim != 3 or pixels_bgr.shape[2] != 3 or pixels_bgr.dtype != np.uint8:
            raise ValueError(f"pixels_bgr must be HxWx3 uint8, got shape {pixels_bgr.shape} "
                             f"dtype {pixels_bgr.dtype}")
        if size_wh is None:
            h, w = pixels_bgr.shape[:2]
            size_wh = (round(w * scale_xy[0]), round(h * scale_xy[1]))
        return self._detect(pixels_bgr, size_wh, scale_xy)

    def _detect(self, pixels_bgr: np.ndarray, size_wh: tuple[int, int],
                scale_xy: tuple[float, float]) -> tuple[Detection, ...]:
        cfg = self.config
        with self._lock, _keeping_torch_threads():
            results = self._model.predict(
                pixels_bgr, conf=cfg.confidence_min, iou=cfg.iou_nms,
                imgsz=self.input_size_px, max_det=cfg.max_detections,
                device="cpu", verbose=False,
            )
        result = results[0]
        boxes = result.boxes
        sx, sy = scale_xy
        xyxy = boxes.xyxy.cpu().numpy().astype(np.float64) * np.array([sx, sy, sx, sy])
        conf = boxes.conf.cpu().numpy().astype(np.float64)
        cls = boxes.cls.cpu().numpy().astype(int)
        kpts = kpt_conf = None
        if result.keypoints is not None and len(result.keypoints):
            kpts = result.keypoints.xy.cpu().numpy().astype(np.float64) * np.array([sx, sy])
            kc = result.keypoints.conf
            kpt_conf = (kc.cpu().numpy() if kc is not None else np.ones(kpts.shape[:2]))
        w, h = size_wh
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


def _use_non_spinning_session(model, path: Path) -> bool:
    """Swap ultralytics' ONNX Runtime session for one whose threads sleep instead of spinning.

    ONNX Runtime's worker threads busy-wait between operators. With the cores shared (the web
    service, OCR of the previous sign, other processes) that made inference about 1.5x slower
    on the 2-core machine (495 -> 317 ms for YOLO11s-pose at 640x480) and starved the rest;
    on an idle machine sleeping costs little. ultralytics offers no option for it, so the
    session is replaced; if its internals differ from this version's, its own session stays.
    """
    import onnxruntime

    backend = getattr(getattr(getattr(model, "predictor", None), "model", None), "backend", None)
    session = getattr(backend, "session", None)
    if not isinstance(session, onnxruntime.InferenceSession) or getattr(backend, "use_io_binding", True):
        return False
    options = onnxruntime.SessionOptions()
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    backend.session = onnxruntime.InferenceSession(str(path), options,
                                                   providers=["CPUExecutionProvider"])
    return True


def export_onnx(weights_pt: Path, work_dir: Path) -> Path:
    """ONNX export of ``weights_pt`` (traced at its trained size) inside ``work_dir``.

    ultralytics writes the export beside the checkpoint, so a copy in ``work_dir`` is exported,
    never the model folder. Dynamic input shape: ultralytics then letterboxes a 4:3 photo to
    640x480 as it does for PyTorch, not to a padded 640x640 (25 % less compute on a CPU), and
    any ``DetectorConfig.imgsz`` runs on the same file. No simplifier (onnxslim is not installed).
    """
    import shutil

    YOLO = import_yolo()
    copy = work_dir / WEIGHTS_FILE
    shutil.copyfile(weights_pt, copy)
    with _ultralytics_output_to_stderr():
        model = YOLO(str(copy))
        size = _trained_imgsz(model)
        log.info("exporting %s to ONNX (once; cached)", weights_pt)
        produced = model.export(format="onnx", imgsz=size, simplify=False, dynamic=True)
    return Path(produced)


def import_yolo():
    """ultralytics' ``YOLO`` class. Its first import on a machine prints "Creating new
    Ultralytics Settings ..." to *stdout*, where ``--json`` commands write their document, so
    it is imported with stdout sent to stderr."""
    with contextlib.redirect_stdout(sys.stderr):
        from ultralytics import YOLO
    return YOLO


@contextlib.contextmanager
def _ultralytics_output_to_stderr() -> Iterator[None]:
    """ultralytics logs to stdout, where ``signtax scan --json`` writes its document."""
    import_yolo()  # its first import prints, too
    from ultralytics.utils import LOGGER

    moved = []
    for handler in LOGGER.handlers:
        if isinstance(handler, logging.StreamHandler) and handler.stream is not sys.stderr:
            # Assigned, not setStream(): that flushes the old stream, which may be closed.
            moved.append((handler, handler.stream))
            handler.stream = sys.stderr
    try:
        with contextlib.redirect_stdout(sys.stderr):
            yield
    finally:
        for handler, stream in moved:
            handler.stream = stream


def _imgsz_value(size) -> int | None:
    """An image size as ultralytics stores it (640, [640, 640], or "[640, 640]" in ONNX)."""
    if isinstance(size, str):
        try:
            size = ast.literal_eval(size)
        except (ValueError, SyntaxError):
            return None
    if isinstance(size, list | tuple):
        size = max(size) if size else None
    return int(size) if size else None


def _trained_imgsz(model) -> int:
    """The image size the network was trained at (checkpoint args)."""
    args = getattr(model, "overrides", {}) or {}
    return _imgsz_value(args.get("imgsz")) or 640
