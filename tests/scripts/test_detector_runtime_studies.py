"""scripts/int8_detector.py and scripts/bench_openvino.py: the runtime studies the README reports."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, SCRIPTS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def int8():
    return _load("int8_detector")


def test_network_input_is_ultralytics_letterbox_of_the_dynamic_export(int8, tmp_path):
    import cv2

    photo = np.zeros((300, 700, 3), np.uint8)
    photo[:, :, 2] = 255  # red in BGR
    path = tmp_path / "wide.png"
    cv2.imwrite(str(path), photo)
    x = int8.network_input(path, 640)
    # 700x300 -> 640x274, padded to the stride: 288 rows, 7 grey rows above and below.
    assert x.shape == (1, 3, 288, 640) and x.dtype == np.float32
    assert np.allclose(x[0, :, :7, :], 114 / 255) and np.allclose(x[0, :, -7:, :], 114 / 255)
    assert np.allclose(x[0, 0, 7:281, :], 1.0) and np.allclose(x[0, 1:, 7:281, :], 0.0)  # RGB


@pytest.mark.slow
def test_int8_copy_loads_as_a_detector_and_finds_the_float_models_signs(
        int8, shared_data, model_dir, tmp_path, monkeypatch):
    from training.metrics import iou_matrix
    from vision.detector import DetectorConfig, YoloDetector
    from vision.image import load_preview

    out = tmp_path / "v5-int8"
    monkeypatch.setattr(sys, "argv", ["int8_detector.py", str(out), "--model", str(model_dir),
                                      "--data-root", str(shared_data), "--photos", "4"])
    assert int8.main() == 0
    assert {p.name for p in out.iterdir()} == {"weights.pt", "weights.onnx"}
    quantized = YoloDetector(out, DetectorConfig(onnx_cache_dir=tmp_path / "cache"))
    assert quantized.weights_path == out / "weights.onnx"  # the int8 file, not a fallback
    shipped = YoloDetector(model_dir, DetectorConfig(onnx_cache_dir=tmp_path / "cache"))
    photo = next((shared_data / "signboards-vn").rglob("*.jpg")).read_bytes()
    preview = load_preview(photo, min_long_side_px=640)
    strong = np.array([d.bbox_xyxy for d in shipped.detect_preview(preview)
                       if d.confidence >= 0.6]).reshape(-1, 4)
    got = np.array([d.bbox_xyxy for d in quantized.detect_preview(preview)]).reshape(-1, 4)
    assert len(strong), "the float model should be sure of some sign on a Vietnamese signboard photo"
    # Every sign the float model is sure of, the int8 copy finds too (the study's losses are
    # among the unsure ones): a broken quantization (all scores rounded to 0) finds none.
    assert len(got) and (iou_matrix(strong, got).max(axis=1) >= 0.7).all()


def test_bench_openvino_says_how_to_install_it(monkeypatch, capsys, tmp_path):
    bench = _load("bench_openvino")
    monkeypatch.setitem(sys.modules, "openvino", None)  # import fails as if not installed
    monkeypatch.setattr(sys, "argv", ["bench_openvino.py", str(tmp_path / "photo.jpg")])
    assert bench.main() == 2
    assert "pip install openvino==" in capsys.readouterr().err
