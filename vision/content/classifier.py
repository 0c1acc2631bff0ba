"""A small network that reads a sign crop's *facts* where the OCR cannot: which scripts it
carries, whether Thai sits below foreign text, and whether it has pictures or logos.

Why: Tesseract reads nothing on about a third of the held-out synthetic crops (night boards,
blur, LED dot text, small print; ``signtax eval content``), and a sign with nothing read
falls back to "no Thai". A network trained on the data engine's sign crops
(``signtax train-content``) still sees the shape of Thai letters and where the lines sit.
It reports probabilities, never a tax type: :func:`vision.content.analyze` fuses them with
what the OCR read (the tax engine decides the type).

The network: a letterboxed ``INPUT_H_PX`` x ``INPUT_W_PX`` colour crop -> a strided stem and four conv blocks ->
a 3 x 9 feature grid, flattened so the head knows *where* things are (Thai below Latin is a
question of position, which global pooling would throw away) -> one sigmoid per fact in
:data:`FACTS`.

Weights live in ``models/content-classifier/<version>/weights.pt`` (a state dict plus the
metadata below); torch is imported only when a classifier is built.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from vision.errors import ModelLoadError

INPUT_H_PX = 96
INPUT_W_PX = 288
# One sigmoid each. "latin", "cjk", "other": foreign scripts; "below": some Thai line sits
# below a foreign one (tax-law.md §4, Type 3); "graphics": a picture or logo.
FACTS = ("thai", "latin", "cjk", "other", "below", "graphics")
PAD_GREY = 114  # letterbox colour, as ultralytics uses
WEIGHTS_NAME = "weights.pt"
FORMAT_VERSION = 1


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


def letterbox(crop_bgr: np.ndarray) -> np.ndarray:
    """The crop scaled to fit ``INPUT_H_PX`` x ``INPUT_W_PX`` (aspect kept), centred on grey.

    Tall crops (vertical banners) are turned a quarter turn first, so their lines run along
    the long side of the input, as they do on a wide fascia.
    """
    if crop_bgr.ndim != 3 or crop_bgr.shape[2] != 3 or min(crop_bgr.shape[:2]) < 2:
        raise ValueError(f"expected an HxWx3 BGR crop, got shape {crop_bgr.shape}")
    h, w = crop_bgr.shape[:2]
    if h > 1.5 * w:
        crop_bgr = cv2.rotate(crop_bgr, cv2.ROTATE_90_COUNTERCLOCKWISE)
        h, w = w, h
    scale = min(INPUT_H_PX / h, INPUT_W_PX / w)
    nw, nh = max(1, round(w * scale)), max(1, round(h * scale))
    interp = cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR
    small = cv2.resize(crop_bgr, (nw, nh), interpolation=interp)
    out = np.full((INPUT_H_PX, INPUT_W_PX, 3), PAD_GREY, np.uint8)
    y0, x0 = (INPUT_H_PX - nh) // 2, (INPUT_W_PX - nw) // 2
    out[y0 : y0 + nh, x0 : x0 + nw] = small
    return out


def build_network():
    """The torch module (see the module docstring). Import torch here, not at import time."""
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
            # 96x288 -> 48x144 (stem) -> 24x72 -> 12x36 -> 6x18 -> 3x9
            self.features = nn.Sequential(
                nn.Conv2d(3, 12, 3, stride=2, padding=1, bias=False),
                nn.BatchNorm2d(12),
                nn.SiLU(inplace=True),
                block(12, 16), block(16, 24), block(24, 40), block(40, 56),
            )
            self.head = nn.Sequential(
                nn.Flatten(),
                nn.Dropout(0.3),
                nn.Linear(56 * 3 * 9, 128),
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


class ContentClassifier:
    """Loaded once per process from a model version directory; thread-safe."""

    def __init__(self, model_dir: Path) -> None:
        weights = Path(model_dir) / WEIGHTS_NAME
        if not weights.is_file():
            raise ModelLoadError(f"no content classifier weights at {weights}")
        import torch

        try:
            blob = torch.load(weights, map_location="cpu", weights_only=True)
            if blob.get("format_version") != FORMAT_VERSION or tuple(blob["facts"]) != FACTS:
                raise ModelLoadError(
                    f"{weights}: format {blob.get('format_version')} facts {blob.get('facts')}, "
                    f"expected format {FORMAT_VERSION} facts {FACTS}"
                )
            net = build_network()
            net.load_state_dict(blob["state_dict"])
        except ModelLoadError:
            raise
        except Exception as exc:  # a corrupt or foreign file
            raise ModelLoadError(f"cannot load content classifier {weights}: {exc}") from exc
        net.eval()
        self._net = net
        self._lock = threading.Lock()
        self.version = Path(model_dir).name

    def facts(self, crop_bgr: np.ndarray) -> ContentFacts:
        import torch

        x = to_tensor_batch([letterbox(crop_bgr)])
        with self._lock, torch.inference_mode():
            p = torch.sigmoid(self._net(x))[0].tolist()
        return ContentFacts(*(min(1.0, max(0.0, float(v))) for v in p))
