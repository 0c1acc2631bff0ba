"""The detector adapter: preview coordinates, and the ONNX model built from weights.pt."""

from __future__ import annotations

import logging
import shutil
import threading

import numpy as np
import pytest

from tests.factories import FakeTensor
from vision.detector import DetectorConfig, YoloDetector, resolve_model_dir
from vision.types import Camera, Preview, SignClass


class _Result:
    def __init__(self, xyxy, conf, cls, kpts, kpt_conf) -> None:
        self.boxes = type("Boxes", (), {"xyxy": FakeTensor(xyxy), "conf": FakeTensor(conf), "cls": FakeTensor(cls)})()
        self.keypoints = type("Kpts", (), {"xy": FakeTensor(kpts), "conf": FakeTensor(kpt_conf),
                                           "__len__": lambda s: len(kpts)})()


class _FakeModel:
    def __init__(self, result) -> None:
        self.result = result
        self.seen_shape = None

    def predict(self, pixels, **kw):
        self.seen_shape = pixels.shape
        return [self.result]


def _detector_with(model) -> YoloDetector:
    det = YoloDetector.__new__(YoloDetector)  # no weights: the model is a stand-in
    det.config, det.train_imgsz, det._lock = DetectorConfig(), 640, threading.Lock()
    det._model, det._classes = model, {0: SignClass.SIGNBOARD}
    return det


def test_preview_detections_come_back_in_full_photo_pixels():
    quad = [[12, 10], [90, 12], [88, 40], [10, 38]]
    result = _Result(xyxy=[[10, 10, 90, 40], [990, 5, 1010, 30]], conf=[0.9, 0.5], cls=[0, 0],
                     kpts=[quad, quad], kpt_conf=[[0.9] * 4, [0.1] * 4])
    model = _FakeModel(result)
    preview = Preview(np.zeros((750, 1000, 3), np.uint8), full_size_wh=(4000, 3000),
                      scale_xy=(4.0, 4.0), camera=Camera())
    first, second = _detector_with(model).detect_preview(preview)
    assert model.seen_shape == (750, 1000, 3)  # the detector ran on the preview
    assert first.bbox_xyxy == (40.0, 40.0, 360.0, 160.0)
    assert first.corners_source == "keypoints"
    assert first.corners_px == ((48.0, 40.0), (360.0, 48.0), (352.0, 160.0), (40.0, 152.0))
    # Clipped to the full photo, and box corners when the keypoints are not trusted.
    assert second.bbox_xyxy == (3960.0, 20.0, 4000.0, 120.0)
    assert second.corners_source == "box"


# --- with the shipped model: the ONNX export cache and the preview path on real photos -------


@pytest.fixture(scope="module")
def weights_only_model(tmp_path_factory, model_dir):
    """A copy of the production version folder holding only weights.pt (no shipped ONNX)."""
    folder = tmp_path_factory.mktemp("model") / "v"
    folder.mkdir()
    shutil.copyfile(resolve_model_dir(model_dir) / "weights.pt", folder / "weights.pt")
    return folder


@pytest.fixture(scope="module")
def onnx_cache(tmp_path_factory):
    return tmp_path_factory.mktemp("onnx-cache")


@pytest.fixture(scope="module")
def onnx_detector(weights_only_model, onnx_cache):
    return YoloDetector(weights_only_model, DetectorConfig(onnx_cache_dir=onnx_cache))


def _export_must_not_run(*args):
    raise AssertionError("exported again")


@pytest.mark.slow
def test_onnx_is_exported_on_first_use_and_reused(onnx_detector, weights_only_model, onnx_cache,
                                                  monkeypatch):
    assert onnx_detector.weights_path.parent == onnx_cache
    assert onnx_detector.weights_path.suffix == ".onnx"
    assert onnx_detector.task == "pose" and onnx_detector.train_imgsz == 640
    assert sorted(p.name for p in weights_only_model.iterdir()) == ["weights.pt"]
    monkeypatch.setattr("vision.detector.export_onnx", _export_must_not_run)
    again = YoloDetector(weights_only_model, DetectorConfig(onnx_cache_dir=onnx_cache))
    assert again.weights_path == onnx_detector.weights_path


@pytest.mark.slow
def test_corrupt_cached_onnx_is_rebuilt(onnx_detector, weights_only_model, onnx_cache, caplog):
    path = onnx_detector.weights_path
    path.write_bytes(b"not an onnx model")
    with caplog.at_level(logging.WARNING, logger="vision.detector"):
        rebuilt = YoloDetector(weights_only_model, DetectorConfig(onnx_cache_dir=onnx_cache))
    assert rebuilt.weights_path == path and path.stat().st_size > 1_000_000
    assert "exporting it again" in caplog.text


@pytest.mark.slow
def test_failed_export_falls_back_to_pytorch(weights_only_model, tmp_path, monkeypatch, caplog):
    def broken(*args):
        raise RuntimeError("no torch.onnx here")

    monkeypatch.setattr("vision.detector.export_onnx", broken)
    with caplog.at_level(logging.WARNING, logger="vision.detector"):
        det = YoloDetector(weights_only_model, DetectorConfig(onnx_cache_dir=tmp_path / "c"))
    assert det.weights_path.name == "weights.pt" and det.task == "pose"
    assert "runs on PyTorch" in caplog.text and "no torch.onnx here" in caplog.text


def _iou(a, b) -> float:
    ix = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - ix * iy
    return ix * iy / union


@pytest.mark.slow
def test_preview_and_full_photo_find_the_same_signs(onnx_detector, shared_data):
    from vision.image import load_photo, load_preview

    photos = sorted((shared_data / "signboards-vn/images/train").iterdir())[:4]
    matched = total = 0
    for path in photos:
        data = path.read_bytes()
        full = onnx_detector.detect(load_photo(data))
        preview = load_preview(data, min_long_side_px=onnx_detector.input_size_px)
        fast = onnx_detector.detect_preview(preview)
        for d in (d for d in full if d.confidence >= 0.5):
            total += 1
            matched += any(_iou(d.bbox_xyxy, f.bbox_xyxy) > 0.85 for f in fast)
    assert total >= 3
    assert matched == total


def test_first_ultralytics_import_on_a_machine_keeps_stdout_clean(tmp_path):
    """ultralytics prints "Creating new Ultralytics Settings" to stdout on its first import on a
    machine; `signtax bench detect --json` on a fresh CI machine got it before its document."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "YOLO_CONFIG_DIR": str(tmp_path / "fresh")}
    out = subprocess.run([sys.executable, "-c", "from vision.detector import import_yolo; "
                          "import_yolo()"], capture_output=True, text=True, env=env, check=True)
    assert out.stdout == ""
    assert (tmp_path / "fresh" / "Ultralytics").is_dir()  # it did create its settings there


@pytest.mark.slow
def test_the_detector_leaves_torchs_thread_count_as_it_was(onnx_detector, weights_only_model,
                                                           onnx_cache):
    """ultralytics' device setup sets torch to cores - 1 threads process-wide on a model's
    first predict; the content network in the same scan must keep the threads it was given."""
    import torch
    from ultralytics.utils import NUM_THREADS

    before = torch.get_num_threads()
    wanted = NUM_THREADS + 1  # never what ultralytics would set
    torch.set_num_threads(wanted)
    try:
        detector = YoloDetector(weights_only_model, DetectorConfig(onnx_cache_dir=onnx_cache))
        assert torch.get_num_threads() == wanted
        detector.detect_pixels(np.zeros((480, 640, 3), np.uint8))
        assert torch.get_num_threads() == wanted
        torch_only = YoloDetector(weights_only_model, DetectorConfig(prefer_onnx=False))
        torch_only.detect_pixels(np.zeros((480, 640, 3), np.uint8))
        assert torch.get_num_threads() == wanted
    finally:
        torch.set_num_threads(before)
