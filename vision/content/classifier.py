"""A small network that reads a sign crop's *facts* where the OCR cannot: which scripts it
carries, whether Thai sits below foreign text, and whether it has pictures or logos.

Why: Tesseract reads nothing on about a third of the held-out synthetic crops (night boards,
blur, LED dot text, small print; ``signtax eval content``), and a sign with nothing read
falls back to "no Thai". A network trained on the data engine's sign crops
(``signtax train-content``) still sees the shape of Thai letters and where the lines sit.
It reports probabilities, never a tax type: :func:`vision.content.analyze` fuses them with
what the OCR read (the tax engine decides the type).

The network: a letterboxed colour crop (``INPUT_HW_PX``, 128 x 384 from format 2 on; format 1
models used 96 x 288) -> convolutions down to a coarse feature grid, flattened so the head knows
*where* things are (Thai below Latin is a question of position, which global pooling would
throw away) -> one sigmoid per fact in :data:`FACTS`. Two architectures (:data:`ARCHS`):

- ``facts-s`` (c2..c5): a strided stem and four plain conv blocks, 12..56 channels, grid 1/32.
  Small enough to train on 2 CPU cores; it stopped improving with more data (c5) and misses
  clearly legible Thai, so it is capacity-bound.
- ``facts-m`` (c6 on): a residual network, 32..256 channels, that keeps a full-width stage at
  1/2 scale (a Thai tone mark on a 10 px line is a few pixels) and a 1/16 grid. About 20x the
  compute of ``facts-s``; trained on a GPU (``signtax train-content --device cuda``), and
  still some tens of milliseconds per crop on a CPU.

Weights live in ``models/content-classifier/<version>/weights.pt`` (a state dict plus the
metadata below, the input size and the architecture included); torch is imported only when a
classifier is built.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from vision.content.calibration import ConfidenceCalibration, load_calibration
from vision.content.ensemble import AS_CUT, MEMBERS_NAME, CropView, read_ensemble
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
# 2: the input size is stored with the weights; 3: the architecture's name too
FORMAT_VERSION = 3
READABLE_FORMATS = (1, 2, 3)
ARCHS = ("facts-s", "facts-m")
DEFAULT_ARCH = "facts-s"


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
            # A numpy float would make the facts derived from it numpy bools, which the tax
            # engine refuses as not bool.
            object.__setattr__(self, name, float(v))

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


def build_network(input_hw_px: tuple[int, int] = INPUT_HW_PX, arch: str = DEFAULT_ARCH):
    """The torch module of ``arch`` (see the module docstring). Imports torch here, not at
    import time."""
    if arch not in ARCHS:
        raise ValueError(f"unknown content network architecture {arch!r}, expected one of "
                         f"{ARCHS}")
    grid_h, grid_w = input_hw_px[0] // 32, input_hw_px[1] // 32
    if grid_h * 32 != input_hw_px[0] or grid_w * 32 != input_hw_px[1]:
        raise ValueError(f"input size must be multiples of 32, got {input_hw_px}")
    return _small(grid_h, grid_w) if arch == "facts-s" else _residual(grid_h * 2, grid_w * 2)


def _small(grid_h: int, grid_w: int):
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

    # A strided stem keeps the cost low on a CPU (training runs on 2 cores):
    # 128x384 -> 64x192 (stem) -> 32x96 -> 16x48 -> 8x24 -> 4x12
    features = nn.Sequential(
        nn.Conv2d(3, 12, 3, stride=2, padding=1, bias=False),
        nn.BatchNorm2d(12),
        nn.SiLU(inplace=True),
        block(12, 16), block(16, 24), block(24, 40), block(40, 56),
    )
    return _with_position_head(features, 56 * grid_h * grid_w, 128)


def _residual(grid_h: int, grid_w: int):
    import torch
    from torch import nn

    def conv_bn(cin: int, cout: int, stride: int = 1, act: bool = True) -> nn.Sequential:
        layers: list[nn.Module] = [nn.Conv2d(cin, cout, 3, stride, 1, bias=False),
                                   nn.BatchNorm2d(cout)]
        if act:
            layers.append(nn.SiLU(inplace=True))
        return nn.Sequential(*layers)

    class Residual(nn.Module):
        def __init__(self, cin: int, cout: int, stride: int) -> None:
            super().__init__()
            self.body = nn.Sequential(conv_bn(cin, cout, stride), conv_bn(cout, cout, act=False))
            self.skip = nn.Identity() if cin == cout and stride == 1 else nn.Sequential(
                nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))
            self.act = nn.SiLU(inplace=True)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return self.act(self.body(x) + self.skip(x))

    def stage(cin: int, cout: int, stride: int) -> nn.Sequential:
        return nn.Sequential(Residual(cin, cout, stride), Residual(cout, cout, 1))

    # 128x384 -> 64x192 (stem, and one full-width stage for thin marks) -> 32x96 -> 16x48
    # -> 8x24, then 1x1 down to 32 channels so the position-keeping flatten stays small.
    features = nn.Sequential(
        conv_bn(3, 32, 2),
        stage(32, 32, 1), stage(32, 64, 2), stage(64, 128, 2), stage(128, 256, 2),
        nn.Conv2d(256, 32, 1, bias=False), nn.BatchNorm2d(32), nn.SiLU(inplace=True),
    )
    return _with_position_head(features, 32 * grid_h * grid_w, 256)


def _with_position_head(features, flat: int, hidden: int):
    """``features`` followed by a head over the *flattened* grid (``flat`` values), so it
    knows where things are, with one logit per fact."""
    import torch
    from torch import nn

    class FactsNet(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.features = features
            self.head = nn.Sequential(
                nn.Flatten(),
                nn.Dropout(0.3),
                nn.Linear(flat, hidden),
                nn.SiLU(inplace=True),
                nn.Linear(hidden, len(FACTS)),
            )

        def forward(self, x: torch.Tensor) -> torch.Tensor:  # logits, one per fact
            return self.head(self.features(x))

    return FactsNet()


def resolve_content_model_dir(path: Path) -> Path:
    """A content network version folder (one network or an ensemble), or the one a model
    folder's ``PRODUCTION`` file names."""
    from vision.detector import resolve_model_dir

    return resolve_model_dir(Path(path), (WEIGHTS_NAME, MEMBERS_NAME))


def to_tensor_batch(images_bgr: list[np.ndarray]):
    """Letterboxed uint8 BGR images -> a float NCHW RGB tensor in 0..1."""
    import torch

    arr = np.stack([im[..., ::-1] for im in images_bgr]).astype(np.float32) / 255.0
    return torch.from_numpy(np.ascontiguousarray(arr.transpose(0, 3, 1, 2)))


def load_network(model_dir: Path):
    """The network of a model version directory, its input size and its architecture's name
    (training starts from it too, with ``signtax train-content --init-from``)."""
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
        arch = blob["arch"] if fmt >= 3 else "facts-s"
        net = build_network(input_hw, arch)
        # Weights may be stored in half precision (smaller files); loading casts them back.
        net.load_state_dict(blob["state_dict"])
    except ModelLoadError:
        raise
    except Exception as exc:  # a corrupt or foreign file
        raise ModelLoadError(f"cannot load content classifier {weights}: {exc}") from exc
    return net, input_hw, arch


class ContentClassifier:
    """Loaded once per process from a model version directory; thread-safe.

    The folder holds one network (``weights.pt``) or names shipped versions whose
    probabilities are averaged, over several views of the crop for format 2
    (``members.json``, :mod:`vision.content.ensemble`).
    """

    def __init__(self, model_dir: Path) -> None:
        ensemble = read_ensemble(model_dir)
        member_dirs = ensemble.member_dirs if ensemble is not None else (Path(model_dir),)
        self.views: tuple[CropView, ...] = ensemble.views if ensemble is not None else AS_CUT
        self._members: list[tuple[object, tuple[int, int]]] = []
        archs = []
        for d in member_dirs:
            net, input_hw, arch = load_network(d)
            net.eval()
            self._members.append((net, input_hw))
            archs.append(arch if ensemble is None else f"{d.name}:{arch}")
        self._lock = threading.Lock()
        # The first member's input size: what a single network reads (members may differ).
        self.input_hw_px: tuple[int, int] = self._members[0][1]
        self.arch = archs[0] if ensemble is None else "mean(" + ", ".join(archs) + ")"
        if len(self.views) > 1:
            self.arch += " over views (" + "; ".join(v.describe() for v in self.views) + ")"
        self.version = Path(model_dir).name
        # Fitted for this network by `signtax eval fusion --write-calibration`; None: raw.
        self.calibration: ConfidenceCalibration | None = load_calibration(model_dir)

    def facts(self, crop_bgr: np.ndarray) -> ContentFacts:
        import torch

        views = [v.apply(crop_bgr) for v in self.views]
        inputs: dict[tuple[int, int], object] = {}  # one batch of views per input size
        total = np.zeros(len(FACTS))
        with self._lock, torch.inference_mode():
            for net, input_hw in self._members:
                if input_hw not in inputs:
                    inputs[input_hw] = to_tensor_batch([letterbox(v, input_hw) for v in views])
                total += torch.sigmoid(net(inputs[input_hw])).double().sum(0).numpy()
        p = total / (len(self._members) * len(views))
        return ContentFacts(*(min(1.0, max(0.0, float(v))) for v in p))
