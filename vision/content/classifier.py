"""A small network that reads a sign crop's *facts* where the OCR cannot: which scripts it
carries, whether Thai sits below foreign text, and whether it has pictures or logos.

Why: Tesseract reads nothing on about a third of the held-out synthetic crops (night boards,
blur, LED dot text, small print; ``signtax eval content``), and a sign with nothing read
falls back to "no Thai". A network trained on the data engine's sign crops
(``signtax train-content``) still sees the shape of Thai letters and where the lines sit.
It reports probabilities, never a tax type: :func:`vision.content.analyze` fuses them with
what the OCR read (the tax engine decides the type).

The network: a letterboxed colour crop (``INPUT_HW_PX``, 128 x 384 from format 2 on; format 1
models used 96 x 288) -> a strided stem and four conv blocks -> a feature grid of 1/32 of the
input, flattened so the head knows *where* things are (Thai below Latin is a question of
position, which global pooling would throw away) -> one sigmoid per fact in :data:`FACTS`.

Weights live in ``models/content-classifier/<version>/weights.pt`` (a state dict plus the
metadata below, the input size included); torch is imported only when a classifier is built.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from vision.errors import ModelLoadError

# Input size (height, width) of new models. 128 x 384 rather than 96 x 288: a Latin subtitle
# at a tenth of a wide fascia's height is then ~10 px tall, enough to tell from Thai.
INPUT_HW_PX = (128, 384)
FORMAT1_INPUT_HW_PX = (96, 288)
# One sigmoid each. "latin", "cjk", "other": foreign scripts; "below": some Thai line sits
# below a foreign one (tax-law.md §4, Type 3); "graphics": a picture or logo.
FACTS = ("thai", "latin", "cjk", "other", "below", "graphics")
PAD_GREY = 114  # letterbox colour, as ultralytics uses
WEIGHTS_NAME = "weights.pt"
FORMAT_VERSION = 2  # 2: the input size is stored with the weights
READABLE_FORMATS = (1, 2)


@dataclass(frozen=True, slots=True)
class ContentFacts:
    """Probabilities (0..1) of each fact for one crop."""

    thai: float
    latin: float
    cjk: float
    other: float
    below: float
    graphics: float

    def __post_init__(self) -> None:
        for name in FACTS:
            v = getattr(self, name)
            if not (0.0 <= v <= 1.0):
                raise ValueError(f"{name} must be a probability in [0, 1], got {v}")

    @property
    def foreign(self) -> float:
        """Probability of some foreign script, taking the scripts as independent."""
        return 1.0 - (1.0 - self.latin) * (1.0 - self.cjk) * (1.0 - self.other)


def letterbox(crop_bgr: np.ndarray, input_hw_px: tuple[int, int] = INPUT_HW_PX) -> np.ndarray:
    """The crop scaled to fit ``input_hw_px`` (aspect kept), centred on grey.

    Tall crops (vertical banners) are turned a quarter turn first, so their lines run along
    the long side of the input, as they do on a wide fascia.
    """
    if crop_bgr.ndim != 3 or crop_bgr.shape[2] != 3 or min(crop_bgr.shape[:2]) < 2:
        raise ValueError(f"expected an HxWx3 BGR crop, got shape {crop_bgr.shape}")
    h, w = crop_bgr.shape[:2]
    if h > 1.5 * w:
        crop_bgr = cv2.rotate(crop_bgr, cv2.ROTATE_90_COUNTERCLOCKWISE)
        h, w = w, h
    in_h, in_w = input_hw_px
    scale = min(in_h / h, in_w / w)
    nw, nh = max(1, round(w * scale)), max(1, round(h * scale))
    interp = cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR
    small = cv2.resize(crop_bgr, (nw, nh), interpolation=interp)
    out = np.full((in_h, in_w, 3), PAD_GREY, np.uint8)
    y0, x0 = (in_h - nh) // 2, (in_w - nw) // 2
    out[y0 : y0 + nh, x0 : x0 + nw] = small
    return out


def build_network(input_hw_px: tuple[int, int] = INPUT_HW_PX):
    """The torch module (see the module docstring). Import torch here, not at import time."""
    grid_h, grid_w = input_hw_px[0] // 32, input_hw_px[1] // 32
    if grid_h * 32 != input_hw_px[0] or grid_w * 32 != input_hw_px[1]:
        raise ValueError(f"input size must be multiples of 32, got {input_hw_px}")
    import torch
    from torch import nn

    def block(cin: int, cout: int) -> nn.Sequential:
        return nn.Sequential(
            nn.Conv2d(cin, cout, 3, padding=1, bias=False),
            nn.BatchNorm2d(cout),
            nn.SiLU(inplace=True),
            nn.Conv2d(cout, cout, 3, padding=1, bias=False),
            nn.BatchNorm2d(cout),
            nn.SiLU(inplace=True),
            nn.MaxPool2d(2),
        )

    class FactsNet(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            # A strided stem keeps the cost low on a CPU (training runs on 2 cores):
            # 128x384 -> 64x192 (stem) -> 32x96 -> 16x48 -> 8x24 -> 4x12
            self.features = nn.Sequential(
                nn.Conv2d(3, 12, 3, stride=2, padding=1, bias=False),
                nn.BatchNorm2d(12),
                nn.SiLU(inplace=True),
                block(12, 16), block(16, 24), block(24, 40), block(40, 56),
            )
            self.head = nn.Sequential(
                nn.Flatten(),
                nn.Dropout(0.3),
                nn.Linear(56 * grid_h * grid_w, 128),
                nn.SiLU(inplace=True),
                nn.Linear(128, len(FACTS)),
            )

        def forward(self, x: torch.Tensor) -> torch.Tensor:  # logits, one per fact
            return self.head(self.features(x))

    return FactsNet()


def to_tensor_batch(images_bgr: list[np.ndarray]):
    """Letterboxed uint8 BGR images -> a float NCHW RGB tensor in 0..1."""
    import torch

    arr = np.stack([im[..., ::-1] for im in images_bgr]).astype(np.float32) / 255.0
    return torch.from_numpy(np.ascontiguousarray(arr.transpose(0, 3, 1, 2)))


def load_network(model_dir: Path):
    """The network of a model version directory and its input size (training starts from it
    too, with ``signtax train-content --init-from``)."""
    weights = Path(model_dir) / WEIGHTS_NAME
    if not weights.is_file():
        raise ModelLoadError(f"no content classifier weights at {weights}")
    import torch

    try:
        blob = torch.load(weights, map_location="cpu", weights_only=True)
        fmt = blob.get("format_version")
        if fmt not in READABLE_FORMATS or tuple(blob["facts"]) != FACTS:
            raise ModelLoadError(
                f"{weights}: format {fmt} facts {blob.get('facts')}, "
                f"expected a format in {READABLE_FORMATS} with facts {FACTS}"
            )
        input_hw = (tuple(blob["input_hw_px"]) if fmt >= 2 else FORMAT1_INPUT_HW_PX)
        net = build_network(input_hw)
        net.load_state_dict(blob["state_dict"])
    except ModelLoadError:
        raise
    except Exception as exc:  # a corrupt or foreign file
        raise ModelLoadError(f"cannot load content classifier {weights}: {exc}") from exc
    return net, input_hw


class ContentClassifier:
    """Loaded once per process from a model version directory; thread-safe."""

    def __init__(self, model_dir: Path) -> None:
        net, input_hw = load_network(model_dir)
        net.eval()
        self._net = net
        self._lock = threading.Lock()
        self.input_hw_px: tuple[int, int] = input_hw
        self.version = Path(model_dir).name

    def facts(self, crop_bgr: np.ndarray) -> ContentFacts:
        import torch

        x = to_tensor_batch([letterbox(crop_bgr, self.input_hw_px)])
        with self._lock, torch.inference_mode():
            p = torch.sigmoid(self._net(x))[0].tolist()
        return ContentFacts(*(min(1.0, max(0.0, float(v))) for v in p))
