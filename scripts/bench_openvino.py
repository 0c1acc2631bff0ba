"""Is OpenVINO faster than the shipped ONNX Runtime path here? (issue 3: "export to ONNX or
OpenVINO, whichever measures faster").

Times, round-robin on the same photo, decode included in both:

* the shipped detector: ``load_preview`` + ``YoloDetector.detect_preview`` (ONNX Runtime);
* the same preview decode + ultralytics' OpenVINO export of the same weights (dynamic input
  size, as the ONNX export; a fixed 640x640 input measured slower, since a 4:3 photo is then
  padded to a square).

and checks that both find the same boxes. OpenVINO is not a project dependency (59 MB): install
it into the venv for the measurement only::

    .venv/bin/pip install openvino==2026.4.1
    .venv/bin/signtax synth --out var/s12 -n 1 --seed 7000 --size 4000x3000
    .venv/bin/python scripts/bench_openvino.py var/s12/images/00007000.jpg --runs 30
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from training.benchmark import time_interleaved  # noqa: E402
from vision.detector import WEIGHTS_FILE, YoloDetector, import_yolo, resolve_model_dir  # noqa: E402
from vision.image import load_preview, read_photo_file  # noqa: E402


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("photo", type=Path)
    p.add_argument("--model", type=Path, default=Path("models/sign-detector"))
    p.add_argument("--runs", type=int, default=30)
    args = p.parse_args()
    try:
        import openvino  # noqa: F401
    except ImportError:
        print("openvino is not installed: .venv/bin/pip install openvino==2026.4.1",
              file=sys.stderr)
        return 2
    version_dir = resolve_model_dir(args.model)
    shipped = YoloDetector(version_dir)
    size = shipped.input_size_px
    with tempfile.TemporaryDirectory() as tmp:
        # Exported beside a copy: ultralytics writes <name>_openvino_model/ next to the weights.
        weights = Path(tmp) / WEIGHTS_FILE
        shutil.copy(version_dir / WEIGHTS_FILE, weights)
        exported = import_yolo()(str(weights), task="pose").export(
            format="openvino", imgsz=size, dynamic=True, half=False)
        openvino_model = import_yolo()(exported, task="pose")

        def run_shipped() -> list:
            preview = load_preview(read_photo_file(args.photo), min_long_side_px=size)
            return [d.bbox_xyxy for d in shipped.detect_preview(preview)]

        def run_openvino() -> list:
            preview = load_preview(read_photo_file(args.photo), min_long_side_px=size)
            result = openvino_model.predict(preview.pixels_bgr, imgsz=size,
                                            conf=shipped.config.confidence_min,
                                            iou=shipped.config.iou_nms, device="cpu",
                                            verbose=False)[0]
            sx, sy = preview.scale_xy
            return list(result.boxes.xyxy.numpy() * np.array([sx, sy, sx, sy]))

        (onnx_s, onnx_cpu, onnx_boxes), (ov_s, ov_cpu, ov_boxes) = time_interleaved(
            [run_shipped, run_openvino], args.runs)
    print(f"{args.photo} ({version_dir.name}, input {size} px, {args.runs} runs each, "
          "decode included)")
    print(f"  ONNX Runtime (shipped): median {onnx_s * 1000:.1f} ms wall, "
          f"{onnx_cpu * 1000:.1f} ms CPU, {len(onnx_boxes)} signs")
    print(f"  OpenVINO:               median {ov_s * 1000:.1f} ms wall, "
          f"{ov_cpu * 1000:.1f} ms CPU, {len(ov_boxes)} signs")
    if len(onnx_boxes) == len(ov_boxes) and onnx_boxes:
        diff = np.abs(np.sort(np.array(onnx_boxes), 0) - np.sort(np.array(ov_boxes), 0)).max()
        print(f"  largest box difference: {diff:.2f} px")
    print(f"  OpenVINO / ONNX Runtime wall time: {ov_s / onnx_s:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
