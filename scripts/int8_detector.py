"""Post-training INT8 quantization of a detector, for measuring what it costs in accuracy
(issue 3's speed study; the scan does not use it, see the README).

Writes OUT/weights.pt (a copy) and OUT/weights.onnx: the detector's dynamic ONNX export with
ONNX Runtime's static QDQ quantization (int8 weights per channel, uint8 activations, MinMax
ranges from N real *training* photos, never the validation split). The head's decoding
(DFL, sigmoid, concatenation of boxes, scores and corners) stays in float: quantized, its one
output tensor mixes pixel coordinates with probabilities and every score rounds to 0.
``--keep-head-float`` also leaves the head's last convolutions in float. Then::

    .venv/bin/python scripts/int8_detector.py var/v5-int8
    .venv/bin/signtax eval detect --model var/v5-int8 --synth 0   # the shipped file is used

and the printed network times compare it with the float export on one photo.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from api.paths import project_root  # noqa: E402
from datasets.real import load_all  # noqa: E402
from datasets.split import is_validation  # noqa: E402
from training.benchmark import time_interleaved  # noqa: E402
from vision.detector import WEIGHTS_FILE, export_onnx, resolve_model_dir  # noqa: E402

HEAD = "/model.23/"  # yolo11-pose's head in ultralytics' ONNX export
STRIDE_PX = 32
PAD_GREY = 114


def network_input(path: Path, size_px: int) -> np.ndarray:
    """A photo as ultralytics feeds the dynamic export: long side ``size_px``, padded to the
    stride on grey, RGB, NCHW float in 0..1."""
    import cv2

    image = cv2.imread(str(path))
    h, w = image.shape[:2]
    scale = size_px / max(h, w)
    image = cv2.resize(image, (round(w * scale), round(h * scale)), interpolation=cv2.INTER_LINEAR)
    ph, pw = (int(np.ceil(v / STRIDE_PX) * STRIDE_PX) for v in image.shape[:2])
    out = np.full((ph, pw, 3), PAD_GREY, np.uint8)
    y0, x0 = (ph - image.shape[0]) // 2, (pw - image.shape[1]) // 2
    out[y0 : y0 + image.shape[0], x0 : x0 + image.shape[1]] = image
    return np.ascontiguousarray(out[..., ::-1].transpose(2, 0, 1)[None], np.float32) / 255


def network_ms(model_paths: list[Path], x: np.ndarray, runs: int = 15) -> list[float]:
    """Median wall ms of each model on ``x``, timed in turn (``training.benchmark``)."""
    import onnxruntime as ort

    def runner(path: Path):
        session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
        feed = {session.get_inputs()[0].name: x}
        return lambda: len(session.run(None, feed))

    timed = time_interleaved([runner(path) for path in model_paths], runs)
    return [wall_s * 1000 for wall_s, _, _ in timed]


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("out", type=Path, help="folder to write (a detector folder eval can load)")
    p.add_argument("--model", type=Path, default=project_root() / "models/sign-detector")
    p.add_argument("--data-root", type=Path, default=project_root().parent / "shared/data/real")
    p.add_argument("--photos", type=int, default=64, help="calibration photos (default 64)")
    p.add_argument("--size", type=int, default=640, help="network input long side")
    p.add_argument("--keep-head-float", action="store_true")
    args = p.parse_args()

    import onnx
    from onnxruntime.quantization import (
        CalibrationDataReader,
        QuantFormat,
        QuantType,
        quantize_static,
    )
    from onnxruntime.quantization.shape_inference import quant_pre_process

    version_dir = resolve_model_dir(args.model)
    train = [it.image_path for it in load_all(args.data_root)
             if not is_validation(f"{it.source}/{it.image_path.name}", seed=0, val_fraction=0.15)]
    if len(train) < args.photos:
        print(f"only {len(train)} training photos under {args.data_root}", file=sys.stderr)
        return 2
    chosen = [train[i] for i in np.random.default_rng(0).choice(len(train), args.photos,
                                                                 replace=False)]
    args.out.mkdir(parents=True, exist_ok=True)
    shutil.copy(version_dir / WEIGHTS_FILE, args.out / WEIGHTS_FILE)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        float_onnx = export_onnx(version_dir / WEIGHTS_FILE, work)
        graph = onnx.load(str(float_onnx))
        input_name = graph.graph.input[0].name
        exclude = [n.name for n in graph.graph.node if n.name.startswith(HEAD)
                   and (n.op_type != "Conv" or "/dfl/" in n.name
                        or (args.keep_head_float and n.name.endswith(".2/Conv")))]

        class Photos(CalibrationDataReader):
            def __init__(self) -> None:
                self._inputs = ({input_name: network_input(path, args.size)} for path in chosen)

            def get_next(self):
                return next(self._inputs, None)

        prepared = work / "prepared.onnx"
        quant_pre_process(str(float_onnx), str(prepared), skip_symbolic_shape=True)
        quantized = work / "int8.onnx"
        quantize_static(str(prepared), str(quantized), Photos(), quant_format=QuantFormat.QDQ,
                        per_channel=True, activation_type=QuantType.QUInt8,
                        weight_type=QuantType.QInt8, nodes_to_exclude=exclude)
        model = onnx.load(str(quantized))
        del model.metadata_props[:]  # ultralytics reads its task, names and size from these
        model.metadata_props.extend(graph.metadata_props)
        onnx.save(model, str(args.out / "weights.onnx"))
        x = network_input(chosen[0], args.size)
        float_ms, int8_ms = network_ms([float_onnx, args.out / "weights.onnx"], x)
        print(f"network, one {x.shape[3]}x{x.shape[2]} input, median of 15 in turn: float "
              f"{float_ms:.1f} ms, int8 {int8_ms:.1f} ms")
    print(f"wrote {args.out}; measure it with: signtax eval detect --model {args.out} --synth 0")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
